// The overview page's HTML carries its first answer (app/page.tsx, lib/api/overview-first-answer.ts):
// the same text and ETag GET /api/health/overview gives, under the key the tab's query uses, aged
// by its snapshot; a held snapshot up to five minutes old is taken without starting a rebuild.
import { hydrate, QueryClient } from '@tanstack/react-query';
import { describe, expect, test, vi } from 'vitest';
import { GET } from '../../app/api/health/overview/route';
import { overviewFirstAnswer } from '../../lib/api/overview-first-answer';
import { PAGE_FIRST_LOOK_STALE_MS, SNAPSHOT_TTL_MS, snapshotCache } from '../../lib/api/snapshot';
import { listSearch, readListView } from '../../lib/health/list-contract';
import {
  firstOverviewRequest,
  overviewPath,
  overviewQueryKey,
  type HeldOverview,
} from '../../lib/health/overview-request';
import { GENERATED_AT_HEADER } from '../../lib/health/clock';
import { useEveryStateDatabase } from './fixture';
import { resetApiCaches } from './support';

useEveryStateDatabase();

/** What the tab finds in its query cache once the page's state is hydrated. */
async function pageAnswer(search: string) {
  const params = new URLSearchParams(search);
  const state = await overviewFirstAnswer(Object.fromEntries(params));
  const client = new QueryClient();
  hydrate(client, state);
  const key = overviewQueryKey(firstOverviewRequest(readListView(params)));
  return { client, key, held: client.getQueryData<HeldOverview>(key), state: client.getQueryState(key) };
}

const apiAnswer = (search: string) =>
  GET(new Request(`http://127.0.0.1${overviewPath(firstOverviewRequest(readListView(new URLSearchParams(search))))}`));

describe('the overview page’s first answer', () => {
  test.each(['', 'preset=stalled', 'q=eur&sort=symbol&dir=desc', 'timeframe=1h&state=OK,AHEAD'])(
    '"%s": the API’s text and ETag for the tab’s first request, aged by its snapshot',
    async (search) => {
      resetApiCaches();
      const { held, state } = await pageAnswer(search);
      const api = await apiAnswer(search);
      expect(held).toBeDefined();
      expect(held!.etag).toBe(api.headers.get('etag'));
      expect(held!.answer).toEqual(await api.json());
      expect(held!.viewKey).toBe(listSearch(readListView(new URLSearchParams(search))));
      expect(state!.dataUpdatedAt).toBe(Date.parse(api.headers.get(GENERATED_AT_HEADER)!));
    },
  );

  test('an address the page reads leniently (an unknown sort, a bad state) still gets the answer of the view it shows', async () => {
    resetApiCaches();
    const { held } = await pageAnswer('sort=bogus&state=NOPE&team=Not%20A%20Team');
    expect(held).toBeDefined();
    expect(held!.viewKey).toBe('');
    expect(held!.etag).toBe((await apiAnswer('')).headers.get('etag'));
  });

  test('a held snapshot up to five minutes old is taken as it is: no rebuild started, its age shown', async () => {
    resetApiCaches();
    const first = await pageAnswer('');
    expect(snapshotCache.loads).toBe(1);
    vi.useFakeTimers({ toFake: ['Date'] }); // only Date: the driver's timers run as usual
    try {
      vi.setSystemTime(Date.now() + SNAPSHOT_TTL_MS + PAGE_FIRST_LOOK_STALE_MS - 1_000);
      const later = await pageAnswer('');
      expect(later.held!.etag).toBe(first.held!.etag);
      expect(later.state!.dataUpdatedAt).toBe(first.state!.dataUpdatedAt);
      expect(snapshotCache.loads).toBe(1); // the tab's own request after hydration rebuilds
      // Older than that, the page waits for a new snapshot.
      vi.setSystemTime(Date.now() + 2_000);
      const late = await pageAnswer('');
      expect(late.state!.dataUpdatedAt).toBeGreaterThan(first.state!.dataUpdatedAt);
      expect(snapshotCache.loads).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});
