// A new snapshot makes the overview answers lately asked for before anyone asks again
// (lib/api/overview.ts warmAnswers): the first poll after a rebuild finds its answer made.
// The filtering and sorting are counted on lib/health/overview.ts (a spy that calls through).
import { describe, expect, test, vi } from 'vitest';
import { GET } from '../../app/api/health/overview/route';
import { getHealthSnapshot, snapshotCache } from '../../lib/api/snapshot';
import { WARM_WITHIN_MS } from '../../lib/api/overview';
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

/** A new snapshot in the cache, as a rebuild after the TTL makes one. */
async function rebuild() {
  const before = await getHealthSnapshot();
  snapshotCache.clear();
  const after = await getHealthSnapshot();
  expect(after).not.toBe(before);
  return after;
}

describe('overview answers made ahead', () => {
  test('the view asked lately is made once the new snapshot is in; its next poll sorts nothing', async () => {
    resetApiCaches();
    expect((await call(GET, POLL)).status).toBe(200);
    await rebuild();
    const beforeWarm = sorts();
    await vi.waitFor(() => expect(sorts()).toBe(beforeWarm + 1));

    const answer = await call(GET, POLL);
    expect(answer.status).toBe(200);
    expect(sorts()).toBe(beforeWarm + 1);
    // A view nobody asked for is made when asked.
    expect((await call(GET, `${POLL}&sort=symbol&dir=asc`)).status).toBe(200);
    expect(sorts()).toBe(beforeWarm + 2);
  });

  test('nothing is made when nobody asked within WARM_WITHIN_MS', async () => {
    resetApiCaches();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      expect((await call(GET, POLL)).status).toBe(200);
      vi.setSystemTime(Date.now() + WARM_WITHIN_MS + 1_000);
      const before = sorts();
      await rebuild();
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(sorts()).toBe(before);
    } finally {
      vi.useRealTimers();
    }
  });
});
