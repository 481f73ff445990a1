import { createHash } from 'node:crypto';
import {
  countByState,
  heatmapGrid,
  matchingPairs,
  orderedPairs,
  overviewAnswerOf,
  overviewCounts,
  type HeatmapGrid,
  type OverviewCounts,
} from '../health/overview';
import type { HealthState, PairHealth } from '../shared/types';
import { processWide } from '../server/process-wide';
import { parseOverviewQuery, type OverviewQuery } from './health-params';
import { readListView } from '../health/list-contract';
import { firstOverviewRequest, overviewPath, type OverviewRequest } from '../health/overview-request';
import { ackKey, currentAcks, type CurrentAcks } from './current-acks';
import { log } from '../server/log';
import { getHealthSnapshot, onNewSnapshot, type FirstLook, type HealthSnapshot } from './snapshot';

/**
 * GET /api/health/overview over the in-memory snapshot (lib/health/overview.ts says what is in
 * it). The filtered order, the heatmap's grid and each answer (its JSON text and its ETag)
 * are made once per snapshot and query and served as the same bytes to every viewer.
 */

/** Per snapshot, bounded: queries come from URLs, and each view holds up to every row. */
const MAX_VIEWS = 64;
const MAX_ANSWERS = 512;

export interface CachedAnswer {
  etag: string;
  text: string;
}

interface SnapshotViews {
  counts?: OverviewCounts;
  ordered: Map<string, PairHealth[]>;
  grids: Map<string, HeatmapGrid>;
  stateCounts: Map<string, Record<HealthState, number>>;
  answers: Map<string, CachedAnswer>;
}

/**
 * Process-wide (lib/server/process-wide.ts): the page's first answer (app/page.tsx, the pages'
 * copy of this module) and the API's (the routes' copy) share one snapshot's views.
 */
const views = processWide('overviewViews', () => new WeakMap<HealthSnapshot, SnapshotViews>());

function viewsOf(snapshot: HealthSnapshot): SnapshotViews {
  let found = views.get(snapshot);
  if (!found)
    views.set(snapshot, (found = { ordered: new Map(), grids: new Map(), stateCounts: new Map(), answers: new Map() }));
  return found;
}

function remember<V>(map: Map<string, V>, key: string, max: number, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    if (map.size >= max) map.delete(map.keys().next().value!);
    map.set(key, value);
  }
  return value;
}

function answerText(snapshot: HealthSnapshot, query: OverviewQuery, acks: CurrentAcks): string {
  const cache = viewsOf(snapshot);
  const filters = {
    states: query.states,
    timeframes: query.timeframes,
    q: query.q,
    preset: query.preset,
    team: query.team ?? null,
  };
  const filterKey = JSON.stringify(filters);
  const matching = remember(cache.ordered, filterKey, MAX_VIEWS, () => matchingPairs(snapshot.rows, filters));
  const ordered = remember(cache.ordered, `${filterKey}|${query.sort}|${query.dir}`, MAX_VIEWS, () =>
    orderedPairs(matching, query),
  );
  const grid = remember(cache.grids, filterKey, MAX_VIEWS, () => heatmapGrid(matching));
  const matchedByState = remember(cache.stateCounts, filterKey, MAX_VIEWS, () => countByState(matching));
  cache.counts ??= overviewCounts(snapshot.rows);
  const answer = overviewAnswerOf(snapshot.thresholds, cache.counts, ordered, matchedByState, grid, query);
  // The window's acked rows carry their ack; the others carry no key at all (bytes per poll).
  if (acks.byPair.size > 0)
    for (const row of answer.rows) {
      const ack = acks.byPair.get(ackKey(row.symbol, row.timeframe));
      if (ack) row.ack = ack;
    }
  return JSON.stringify(answer);
}

/** A query's key: its answers' (with the acks' version) and RecentQueries'. */
const keyOf = (query: OverviewQuery) => JSON.stringify(query);

/** The answer for a query (queryKey: keyOf(query)) on a snapshot, made once per snapshot, acks version and query. */
function answerFor(snapshot: HealthSnapshot, acks: CurrentAcks, query: OverviewQuery, queryKey: string): CachedAnswer {
  // Cached under the acks' version too: an ack that starts or ends makes a new text (and ETag).
  const key = `${acks.version}|${queryKey}`;
  return remember(viewsOf(snapshot).answers, key, MAX_ANSWERS, () => {
    const text = answerText(snapshot, query, acks);
    const etag = `"o.${createHash('sha1').update(text).digest('base64url').slice(0, 22)}"`;
    return { etag, text };
  });
}

/**
 * The answer for a query as cached bytes: its ETag is a digest of its text (the acks of its rows
 * included), equal whenever two snapshots say the same. firstLook: the asker holds no answer yet (getHealthSnapshot).
 */
export async function overviewAnswer(
  query: OverviewQuery,
  options: { firstLook?: FirstLook } = {},
): Promise<CachedAnswer & { generatedAt: string }> {
  // A timeframe no pair has matches nothing, where GET /api/health answers 400: the overview
  // says so next to its filters (a shared link with a typo or a retired timeframe).
  const [snapshot, acks] = await Promise.all([getHealthSnapshot(options), currentAcks()]);
  const key = keyOf(query);
  const answer = answerFor(snapshot, acks, query, key);
  lately.asked(key, query);
  return { ...answer, generatedAt: snapshot.generatedAt };
}

/**
 * The queries asked within WARM_WITHIN_MS, the latest last, at most WARM_QUERIES: a new snapshot
 * makes their answers as soon as it is in the cache, one per turn of the event loop, so the
 * first poll or page after a rebuild finds its answer made instead of filtering and sorting
 * every pair in its own request (130–170 ms at 30,000 pairs beside the worker, measured). The
 * overview page's own first request (no filter, the first windows) is made on every snapshot,
 * asked or not: the page opened after a quiet spell — an on-call engineer's first look — is the
 * one that would otherwise wait.
 */
export const WARM_QUERIES = 8;
export const WARM_WITHIN_MS = 30_000;

class RecentQueries {
  private readonly queries = new Map<string, { query: OverviewQuery; at: number }>();

  asked(key: string, query: OverviewQuery): void {
    this.queries.delete(key);
    this.queries.set(key, { query, at: Date.now() });
    if (this.queries.size > WARM_QUERIES) this.queries.delete(this.queries.keys().next().value!);
  }

  /** The latest first, by their keys. */
  since(at: number): Map<string, OverviewQuery> {
    const recent = [...this.queries].filter(([, entry]) => entry.at >= at).reverse();
    return new Map(recent.map(([key, entry]) => [key, entry.query]));
  }
}

const lately = processWide('overviewRecentQueries', () => new RecentQueries());

/**
 * The overview page's first request for the parameters of its URL, read leniently
 * (lib/health/list-contract.ts), and the API's own strict reading of that request: what
 * GET /api/health/overview would be asked. Throws as the API's reading does (an unknown sort).
 */
export function pageFirstRequest(params: URLSearchParams): { request: OverviewRequest; query: OverviewQuery } {
  const request = firstOverviewRequest(readListView(params));
  const query = parseOverviewQuery(new URL(overviewPath(request), 'http://page.invalid').searchParams);
  return { request, query };
}

/** The page's first query with no filter in its URL, keyed as RecentQueries keys it: the same for every snapshot. */
let unfiltered: { key: string; query: OverviewQuery } | undefined;
function unfilteredPageQuery(): { key: string; query: OverviewQuery } {
  if (!unfiltered) {
    const { query } = pageFirstRequest(new URLSearchParams());
    unfiltered = { key: keyOf(query), query };
  }
  return unfiltered;
}

/** Makes the answers lately asked for, and the page's first, on a new snapshot (resolves when done). */
export async function warmAnswers(snapshot: HealthSnapshot): Promise<void> {
  const queries = lately.since(Date.now() - WARM_WITHIN_MS);
  const page = unfilteredPageQuery();
  if (!queries.has(page.key)) queries.set(page.key, page.query);
  const acks = await currentAcks();
  for (const [key, query] of queries) {
    await new Promise<void>((resolve) => setImmediate(resolve)); // a request waiting goes first
    answerFor(snapshot, acks, query, key);
  }
}

onNewSnapshot('overview answers', (snapshot) => {
  warmAnswers(snapshot).catch((error: unknown) =>
    log.warn('could not make the overview answers ahead', { error: (error as Error).message }),
  );
});
