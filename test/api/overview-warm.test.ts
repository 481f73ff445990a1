// A new snapshot makes the overview page's first answer and the answers lately asked for before
// anyone asks again (lib/api/overview.ts warmAnswers): the first page or poll after a rebuild
// finds its answer made.
// The filtering and sorting are counted on lib/health/overview.ts (a spy that calls through).
import { describe, expect, test, vi } from 'vitest';
import { GET } from '../../app/api/health/overview/route';
import { getHealthSnapshot, snapshotCache } from '../../lib/api/snapshot';
import { WARM_WITHIN_MS } from '../../lib/api/overview';
import { overviewFirstAnswer } from '../../lib/api/overview-first-answer';
import * as overview from '../../lib/health/overview';
import { useEveryStateDatabase } from './fixture';
import { call, resetApiCaches } from './support';

vi.mock('../../lib/health/overview', async (original) => {
  const real = await original<typeof import('../../lib/health/overview')>();
  return { ...real, orderedPairs: vi.fn(real.orderedPairs) };
});

useEveryStateDatabase();

const sorts = () => vi.mocked(overview.orderedPairs).mock.calls.length;
const POLL = '/api/health/overview?offset=0&limit=100&hoffset=0&hlimit=150';
const SORTED = `${POLL}&sort=symbol&dir=asc`;

/** Until the sorts stop (a warm-up of an earlier snapshot may still be running): the count then. */
async function settledSorts(): Promise<number> {
  for (let last = -1; ;) {
    const now = sorts();
    if (now === last) return now;
    last = now;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A new snapshot in the cache, as a rebuild after the TTL makes one; the sorts before it. */
async function rebuild(): Promise<number> {
  const before = await getHealthSnapshot();
  const count = await settledSorts();
  snapshotCache.clear();
  expect(await getHealthSnapshot()).not.toBe(before);
  return count;
}

describe('overview answers made ahead', () => {
  test("the page's first request is made on every new snapshot, asked or not; the page then sorts nothing", async () => {
    resetApiCaches();
    const beforeWarm = await rebuild();
    await vi.waitFor(() => expect(sorts()).toBe(beforeWarm + 1));
    // The page's HTML asks it (lib/api/overview-first-answer.ts); so does a 1920×1080 tab's poll.
    const state = await overviewFirstAnswer({});
    expect(state.queries).toHaveLength(1);
    expect((await call(GET, POLL)).status).toBe(200);
    expect(sorts()).toBe(beforeWarm + 1);
  });

  test('a view asked lately is made too, before its next poll', async () => {
    resetApiCaches();
    expect((await call(GET, SORTED)).status).toBe(200);
    const beforeWarm = await rebuild();
    await vi.waitFor(() => expect(sorts()).toBe(beforeWarm + 2)); // the sorted view and the page's
    expect((await call(GET, SORTED)).status).toBe(200);
    expect(sorts()).toBe(beforeWarm + 2);
    // A view nobody asked for is made when asked.
    expect((await call(GET, `${POLL}&sort=symbol&dir=desc`)).status).toBe(200);
    expect(sorts()).toBe(beforeWarm + 3);
  });

  test('a view last asked longer than WARM_WITHIN_MS ago is not made', async () => {
    resetApiCaches();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      expect((await call(GET, SORTED)).status).toBe(200);
      vi.setSystemTime(Date.now() + WARM_WITHIN_MS + 1_000);
      const beforeWarm = await rebuild();
      await vi.waitFor(() => expect(sorts()).toBe(beforeWarm + 1)); // the page's only
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sorts()).toBe(beforeWarm + 1);
    } finally {
      vi.useRealTimers();
    }
  });
});
