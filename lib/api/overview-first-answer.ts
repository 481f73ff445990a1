import { dehydrate, QueryClient, type DehydratedState } from '@tanstack/react-query';
import { overviewQueryKey, overviewViewKey, type HeldOverview } from '../health/overview-request';
import type { OverviewResponse } from '../shared/types';
import { log } from '../server/log';
import { overviewAnswer, pageFirstRequest } from './overview';

/**
 * The overview's first answer, rendered with the page (app/page.tsx): the rows are in its HTML,
 * so they are on screen before the scripts have loaded, and the tab does not wait for its
 * scripts to ask. It is the answer GET /api/health/overview gives — the same cached text and
 * ETag — under the key the tab's query uses (lib/health/overview-request.ts), from a held
 * snapshot up to PAGE_FIRST_LOOK_STALE_MS old (lib/api/snapshot.ts): the tab asks for the
 * fresh one once it has hydrated.
 *
 * A page never waits long for it: past FIRST_ANSWER_WAIT_MS (a snapshot being rebuilt, the
 * database away) the page is sent without it and the tab asks, as it did before.
 */
export const FIRST_ANSWER_WAIT_MS = 1_500;

type SearchParams = Record<string, string | string[] | undefined>;

function urlSearchParams(searchParams: SearchParams): URLSearchParams {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(searchParams))
    for (const one of Array.isArray(value) ? value : value === undefined ? [] : [value]) params.append(name, one);
  return params;
}

const timedOut = (ms: number) =>
  new Promise<'timed out'>((resolve) => setTimeout(() => resolve('timed out'), ms).unref?.());

/** The dehydrated query cache holding the page's first answer, or an empty one (the tab then asks). */
export async function overviewFirstAnswer(searchParams: SearchParams): Promise<DehydratedState> {
  const client = new QueryClient();
  const started = performance.now();
  try {
    const { request, query } = pageFirstRequest(urlSearchParams(searchParams));
    const answer = await Promise.race([overviewAnswer(query, { firstLook: 'page' }), timedOut(FIRST_ANSWER_WAIT_MS)]);
    if (answer === 'timed out')
      log.debug('the overview page was sent without its first answer', { waitedMs: FIRST_ANSWER_WAIT_MS });
    else {
      const held: HeldOverview = {
        viewKey: overviewViewKey(request),
        etag: answer.etag,
        answer: JSON.parse(answer.text) as OverviewResponse,
        generatedAt: answer.generatedAt,
      };
      log.debug('the overview page has its first answer', {
        ms: Math.round(performance.now() - started),
        snapshotAgeMs: Date.now() - Date.parse(answer.generatedAt),
      });
      // Its age is the snapshot's: "Updated N s ago" says how old the data is, not the page.
      client.setQueryData(overviewQueryKey(request), held, { updatedAt: Date.parse(answer.generatedAt) });
    }
  } catch (error) {
    // The tab asks for itself and shows what went wrong, as the API says it.
    log.debug('the overview page was sent without its first answer', { error: (error as Error).message });
  }
  return dehydrate(client);
}
