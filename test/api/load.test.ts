import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test, vi } from 'vitest';
import { GET as healthGET } from '../../app/api/health/route';
import { GET as summaryGET } from '../../app/api/health/summary/route';
import { GET as metricsGET } from '../../app/api/metrics/route';
import { GET as detailGET } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import { SingleFlightCache } from '../../lib/api/cache';
import {
  getHealthSnapshot,
  REBUILD_SPACING,
  SNAPSHOT_MAX_TTL_MS,
  SNAPSHOT_TTL_MS,
  snapshotCache,
  snapshotTtlMs,
} from '../../lib/api/snapshot';
import * as metrics from '../../lib/api/metrics';
import { closePool, getPool } from '../../lib/server/db';
import type { HealthListResponse, HealthSummaryResponse } from '../../lib/shared/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MINUTE, call, currentWindow, pointApiAt, resetApiCaches } from './support';

const SYMBOLS = 5_000;
const PAIRS = SYMBOLS * 6;
let db: TestDatabase;

/** 30,000 pairs (5,000 symbols × 6 timeframes), i % 7 windows behind, as production sizes go. */
beforeAll(async () => {
  db = await createTestDatabase();
  const frontier = new Date(currentWindow() - MINUTE).toISOString();
  await db.sql(
    `INSERT INTO bars_1m (canonical_symbol, ts_utc, open, high, low, close, volume)
     SELECT 'S' || lpad(g::text, 5, '0'), $1::timestamptz, 1, 1, 1, 1, 1 FROM generate_series(1, $2) g`,
    [frontier, SYMBOLS],
  );
  await db.sql(
    `INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc, last_success_utc, last_attempt_utc, recent_bars, recent_bars_sum)
     SELECT 'S' || lpad(g::text, 5, '0'), t.timeframe,
            agg_last_complete_window_start(t.step, 'infinity', 0, $1::timestamptz) - (g % 7) * t.step, now(), now(), '{5,5}', 10
       FROM generate_series(1, $2) g CROSS JOIN agg_timeframes t`,
    [frontier, SYMBOLS],
  );
  await db.sql('ANALYZE');
  // The statements are counted in this process (a spy on its pool): the snapshot is built here,
  // not in the snapshot thread (test/api/snapshot-thread.test.ts covers that).
  await pointApiAt(db.url, { SNAPSHOT_THREAD: 'off' });
}, 60_000);

afterAll(async () => {
  await closePool();
  await db.drop();
});

/** Counts the statements lib/server/db.ts sends (a spy that calls through: the database is real). */
function countQueries() {
  const spy = vi.spyOn(getPool(), 'query');
  return {
    /** Resolves once at least n queries were issued (the stale-while-revalidate refresh runs after the answers). */
    reached: (n: number) =>
      vi.waitFor(() => expect(spy.mock.calls.length).toBeGreaterThanOrEqual(n), { timeout: 10_000 }),
    stop: () => {
      const count = spy.mock.calls.length;
      spy.mockRestore();
      return count;
    },
  };
}

/** Waits for an in-flight background refresh of the snapshot to land. */
async function getHealthSnapshotSettled(): Promise<void> {
  await vi.waitFor(
    async () => {
      const first = await getHealthSnapshot();
      expect(Date.now() - Date.parse(first.generatedAt)).toBeLessThan(SNAPSHOT_TTL_MS);
    },
    { timeout: 10_000 },
  );
}

describe('many dashboards at once share one database round trip', () => {
  test('the cold snapshot of 30,000 pairs is built in bounded time', async () => {
    resetApiCaches();
    const answer = await call<HealthListResponse>(healthGET, '/api/health?limit=10');
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(PAIRS);
    expect(answer.ms).toBeLessThan(10_000);
    const lagging = await call<HealthListResponse>(healthGET, '/api/health?state=LAGGING&limit=1');
    // g % 7 in {4,5,6} windows behind is over the threshold of 3.
    expect(lagging.body.total).toBe(6 * [...Array(SYMBOLS).keys()].map((i) => (i + 1) % 7).filter((n) => n > 3).length);
  });

  test('300 concurrent requests of every kind: one frontier query, one replication query, one timeframe query, one state_since query, one incidents read, one current-acks read', async () => {
    resetApiCaches();
    const queries = countQueries();
    const paths = [
      '/api/health?limit=200',
      '/api/health?state=LAGGING&limit=50',
      '/api/health?timeframe=5m&sort=symbol&limit=100',
      '/api/health?q=s0001&preset=stalled',
    ];
    const requests = [
      // Full lists (30,000 rows, ~20 MB of JSON): serialized once, sent to each. Two only, as
      // reading them back here costs the test far more than the server.
      ...Array.from({ length: 2 }, () => call(healthGET, '/api/health')),
      ...Array.from({ length: 198 }, (_, i) => call(healthGET, paths[i % paths.length]!)),
      ...Array.from({ length: 80 }, () => call(summaryGET, '/api/health/summary')),
      ...Array.from({ length: 20 }, () => call(metricsGET, '/api/metrics')),
    ];
    const answers = await Promise.all(requests);
    // + the open incidents of /api/metrics, as GET /api/incidents reads them: the page query and,
    // the page being empty here, its count query; + the current acks of the summary's problems
    // (lib/api/current-acks.ts), once for all 80.
    expect(queries.stop()).toBe(7);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(snapshotCache.loads).toBe(1);
    const summary = answers[200]!.body as HealthSummaryResponse;
    expect(summary.total).toBe(PAIRS);
    expect((answers[0]!.body as HealthListResponse).rows).toHaveLength(PAIRS);
  });

  test('after the TTL the next burst costs exactly one more snapshot (its frontier, replication and state_since queries)', async () => {
    resetApiCaches(); // no refresh of an earlier test may still be in flight
    await call(healthGET, '/api/health?limit=1');
    // Only Date is faked, so the database driver's own timers run as usual.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + snapshotCache.ttlOf('all')! + 100);
    const queries = countQueries();
    const loads = snapshotCache.loads;
    const answers = await Promise.all(Array.from({ length: 100 }, () => call(healthGET, '/api/health?limit=1')));
    await queries.reached(3);
    await getHealthSnapshotSettled();
    expect(snapshotCache.loads - loads).toBe(1);
    expect(queries.stop()).toBe(3);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    vi.useRealTimers();
  });

  test('50 people opening one pair page: one row query, one replication query, one history query, its next retry, its state_since, its acknowledgement and its source frontier', async () => {
    resetApiCaches();
    const queries = countQueries();
    const pair = { symbol: 'S00042', timeframe: '1h' };
    const answers = await Promise.all(Array.from({ length: 50 }, () => call(detailGET, '/api/pairs/S00042/1h', pair)));
    expect(queries.stop()).toBe(7);
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
  });

  test('the metrics text for 30,000 pairs stays small and is rendered once per snapshot', async () => {
    resetApiCaches();
    const rendersBefore = metrics.metricsRenders;
    const first = await call<string>(metricsGET, '/api/metrics');
    const again = await call<string>(metricsGET, '/api/metrics');
    // i % 7 windows behind: 3 of 7 are LAGGING (> 3 bars), so 12,858 problem pairs → 500 listed.
    const lines = first.body.split('\n');
    expect(lines.filter((line) => line.startsWith('frontier_pair_state{'))).toHaveLength(
      500 * metrics.PAIR_SERIES_STATES.length,
    );
    expect(lines.find((line) => line.startsWith('frontier_pairs_omitted '))).toBe(
      `frontier_pairs_omitted ${Math.floor((SYMBOLS * 3) / 7) * 6 - 500}`,
    );
    expect(first.body.length).toBeLessThan(1_000_000);
    expect(again.body).toBe(first.body);
    expect(metrics.metricsRenders - rendersBefore).toBe(1);
  });
});

describe('SingleFlightCache', () => {
  // The cache's own clock is what these tests move: fake timers, no sleeping.
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  /** A load that settles after ms with value()'s result, or its exception as the rejection. */
  const after = <T>(ms: number, value: () => T) =>
    new Promise<T>((resolve, reject) =>
      setTimeout(() => {
        try {
          resolve(value());
        } catch (error) {
          reject(error);
        }
      }, ms),
    );
  /** Runs a call while the fake clock moves on, so its timers (and the loads they wait on) fire. */
  async function settle<T>(promise: Promise<T>, ms = 100): Promise<T> {
    await vi.advanceTimersByTimeAsync(ms);
    return promise;
  }

  test('joins in-flight loads, does not keep failures, honours the TTL and its size bound', async () => {
    const cache = new SingleFlightCache<number>(50, 2);
    let calls = 0;
    const slow = () => after(20, () => ++calls);
    expect(await settle(Promise.all([cache.get('a', slow), cache.get('a', slow), cache.get('a', slow)]), 20)).toEqual([
      1, 1, 1,
    ]);
    expect(await cache.get('a', slow)).toBe(1);
    await vi.advanceTimersByTimeAsync(50); // TTL 50 ms, counted from when the load settled
    expect(await cache.get('a', slow)).toBe(1); // exactly at the TTL: still fresh
    await vi.advanceTimersByTimeAsync(1);
    expect(await settle(cache.get('a', slow), 20)).toBe(2);
    const failing = () => Promise.reject(new Error('down'));
    await expect(Promise.all([cache.get('b', failing), cache.get('b', failing)])).rejects.toThrow('down');
    expect(await settle(cache.get('b', slow), 20)).toBe(3);
    await settle(cache.get('c', slow), 20);
    await settle(cache.get('d', slow), 20);
    expect(cache.loads).toBe(6);
    expect(await settle(cache.get('a', slow), 20)).toBe(6); // evicted: at most 2 keys are kept
  });

  test('a caller may take a value older than the stale window; one it is too old for waits for the refresh in flight, never a second load', async () => {
    const cache = new SingleFlightCache<number>(30, 10, 100);
    let calls = 0;
    const slow = () => after(40, () => ++calls);
    expect(await settle(cache.get('k', slow), 40)).toBe(1);
    await vi.advanceTimersByTimeAsync(200); // past TTL + stale window (130 ms), within TTL + 500
    expect(await cache.get('k', slow, 500)).toBe(1); // at once, the old value; one refresh starts
    expect(cache.loads).toBe(2);
    const polled = cache.get('k', slow); // too old for the cache's own window: waits for that refresh
    expect(await settle(polled, 40)).toBe(2);
    expect(cache.loads).toBe(2);
    await vi.advanceTimersByTimeAsync(700); // past every window: a load of its own
    expect(await settle(cache.get('k', slow, 500), 40)).toBe(3);
  });

  test('while a caller too old for the value waits for its refresh, the old value is still held for one that takes it (held, no load)', async () => {
    const cache = new SingleFlightCache<number>(30, 10, 100);
    let calls = 0;
    const slow = () => after(40, () => ++calls);
    expect(await settle(cache.get('k', slow), 40)).toBe(1);
    await vi.advanceTimersByTimeAsync(200); // past TTL + stale window
    const polled = cache.get('k', slow); // waits for one refresh
    expect(cache.loads).toBe(2);
    expect(await cache.held('k', 500)).toBe(1); // the page's HTML takes the old value meanwhile
    expect(cache.held('k', 100)).toBeUndefined(); // too old for a caller that takes less
    expect(await settle(polled, 40)).toBe(2);
    expect(await cache.held('k', 0)).toBe(2);
    expect(cache.loads).toBe(2); // held() never loads
  });

  test('a TTL given as a function of the value: each value is fresh for what it says, its stale window after that', async () => {
    let calls = 0;
    const cache = new SingleFlightCache<number>((value) => value * 100, 10, 50);
    const load = () => after(10, () => ++calls); // 1 (fresh 100 ms), then 2 (fresh 200 ms)
    expect(await settle(cache.get('k', load), 10)).toBe(1);
    expect(cache.ttlOf('k')).toBe(100);
    await vi.advanceTimersByTimeAsync(100);
    expect(await cache.get('k', load)).toBe(1); // at its TTL: still fresh, no load
    expect(cache.loads).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await cache.get('k', load)).toBe(1); // stale: answered at once, one refresh behind it
    await vi.advanceTimersByTimeAsync(10);
    expect(cache.ttlOf('k')).toBe(200);
    await vi.advanceTimersByTimeAsync(190);
    expect(await cache.get('k', load)).toBe(2); // the new value's own, longer TTL
    expect(cache.loads).toBe(2);
  });

  test('the snapshot is fresh for REBUILD_SPACING times what it took to build, within its bounds', () => {
    expect(snapshotTtlMs(0)).toBe(SNAPSHOT_TTL_MS);
    expect(snapshotTtlMs(SNAPSHOT_TTL_MS / REBUILD_SPACING)).toBe(SNAPSHOT_TTL_MS);
    expect(snapshotTtlMs(1_500)).toBe(REBUILD_SPACING * 1_500);
    expect(snapshotTtlMs(60_000)).toBe(SNAPSHOT_MAX_TTL_MS);
  });

  test('stale-while-revalidate: past the TTL the old value answers at once while one refresh runs', async () => {
    const cache = new SingleFlightCache<number>(30, 10, 200);
    let calls = 0;
    let fail = false;
    const slow = () =>
      after(40, () => {
        if (fail) throw new Error('down');
        return ++calls;
      });
    expect(await settle(cache.get('k', slow), 40)).toBe(1);
    await vi.advanceTimersByTimeAsync(31); // past the TTL, within the stale window
    // Answered from the old value without the clock moving: nobody waits for the refresh.
    expect(await Promise.all([cache.get('k', slow), cache.get('k', slow)])).toEqual([1, 1]);
    await vi.advanceTimersByTimeAsync(40); // the one refresh lands
    expect(await cache.get('k', slow)).toBe(2);
    expect(cache.loads).toBe(2);
    fail = true;
    await vi.advanceTimersByTimeAsync(31);
    expect(await cache.get('k', slow)).toBe(2); // refresh starts, and fails in the background
    await vi.advanceTimersByTimeAsync(40);
    expect(await cache.get('k', slow)).toBe(2); // old value kept while still within the stale window
    await vi.advanceTimersByTimeAsync(200); // too stale: a fresh load runs, and its error shows
    const tooStale = expect(cache.get('k', slow)).rejects.toThrow('down');
    await vi.advanceTimersByTimeAsync(40);
    await tooStale;
  });
});
