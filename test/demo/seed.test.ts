import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLiveBars } from '../../lib/demo/feed';
import { seedDemo } from '../../lib/demo/seed';
import { DEMO_SYMBOLS } from '../../lib/demo/symbols';
import { seededRandom } from '../support/bars';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { makeWorker } from '../worker/support';

interface ViewRow {
  pair: string;
  enabled: boolean;
  cursor_status: string;
  bars_behind: number | null;
  source_age_minutes: string;
  consecutive_failures: number;
  last_error: string | null;
}

describe('the demo feed', () => {
  let db: TestDatabase;
  const started = new Date();
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db?.drop());

  const counts = async () =>
    (
      await db.sql<{ bars: number; pairs: number; runs: number; aggs: number }>(
        `SELECT (SELECT count(*)::int FROM bars_1m) AS bars, (SELECT count(*)::int FROM data_agg_state) AS pairs,
            (SELECT count(*)::int FROM data_agg_runs) AS runs, (SELECT count(*)::int FROM bars_agg) AS aggs`,
      )
    )[0]!;

  it('after seeding and one worker pass shows every state at once', async () => {
    const seeded = await seedDemo(db.pool, { now: started, random: seededRandom(5) });
    expect(seeded.backfilled).toHaveLength(DEMO_SYMBOLS.length);
    expect(seeded.pairsRegistered).toBe(72);

    const { worker, close } = makeWorker(db.url, { maxWindows: 25, intervalMs: 1 });
    try {
      const pass = await worker.runPass();
      expect(pass.pairs).toBe(71); // MSFT/1d is disabled
      expect(pass.failed).toBeGreaterThanOrEqual(6);
    } finally {
      await close();
    }
    const rows = await db.sql<ViewRow>(
      `SELECT canonical_symbol || '/' || timeframe AS pair, enabled, cursor_status, bars_behind, source_age_minutes::text,
              consecutive_failures, last_error FROM v_aggregation_frontier_health`,
    );
    const view = Object.fromEntries(rows.map((row) => [row.pair, row]));

    expect(view['XAUUSD/4h']).toMatchObject({
      cursor_status: 'NULL',
      consecutive_failures: 1,
      last_error: 'catchup_aggregation_range: start cursor is NULL for XAUUSD/4h',
    });
    expect(view['NVDA/1h']).toMatchObject({ cursor_status: 'AHEAD', consecutive_failures: 1 });
    expect(view['NVDA/1h']!.last_error).toMatch(
      /^catchup_aggregation_range: cursor .* of NVDA\/1h is AHEAD of the source frontier/,
    );
    // Caught up until the corrupt bar three hours back: the next run of each pair whose window
    // holding it is complete fails (1h and shorter always are; 4h and 1d depend on the hour).
    for (const tf of ['5m', '15m', '30m', '1h']) {
      expect(view[`USDJPY/${tf}`]).toMatchObject({ cursor_status: 'OK', consecutive_failures: 1 });
      expect(view[`USDJPY/${tf}`]!.last_error).toMatch(new RegExp(`^corrupt source data for USDJPY/${tf} window`));
    }
    for (const tf of ['5m', '15m', '30m', '1h', '4h', '1d']) {
      expect(Number(view[`CLZ6/${tf}`]!.source_age_minutes)).toBeGreaterThanOrEqual(90);
      expect(view[`CLZ6/${tf}`]).toMatchObject({ bars_behind: 0, consecutive_failures: 0 }); // its frontier is old: no grace question
      expect(view[`EURUSD/${tf}`]).toMatchObject({ cursor_status: 'OK', consecutive_failures: 0, last_error: null });
      // The view counts without grace, the worker waits a grace minute: one window may be between.
      expect(view[`EURUSD/${tf}`]!.bars_behind).toBeLessThanOrEqual(1);
      expect(Number(view[`EURUSD/${tf}`]!.source_age_minutes)).toBeLessThan(3);
    }
    // Ten days behind, 25 windows a run: far from caught up after one pass.
    expect(view['ESZ6/5m']!.bars_behind).toBeGreaterThan(2_500);
    expect(view['ESZ6/5m']).toMatchObject({ cursor_status: 'OK', consecutive_failures: 0 });
    expect(view['MSFT/1d']!.enabled).toBe(false);
    // AAPL's demo exchange is closed from 2 h before the start to 3 h after: no bars since its close.
    expect(Number(view['AAPL/5m']!.source_age_minutes)).toBeGreaterThanOrEqual(120);
    const market = await db.one<{ calendar: string; is_open: boolean; opens_in: number; closed_for: number }>(
      `SELECT calendar, is_open, minutes_until_open AS opens_in, minutes_since_close AS closed_for FROM v_symbol_market_session WHERE canonical_symbol = 'AAPL'`,
    );
    expect(market).toMatchObject({ calendar: 'demo-exchange', is_open: false });
    expect(Math.abs(market.opens_in - 180)).toBeLessThan(2); // seconds have passed since the seed
    expect(Math.abs(market.closed_for - 120)).toBeLessThan(2);

    const insane = await db.sql<{ symbol: string; n: number }>(
      `SELECT canonical_symbol AS symbol, count(*)::int AS n FROM bars_1m
        WHERE NOT (low <= open AND low <= close AND open <= high AND close <= high AND low > 0)
        GROUP BY 1`,
    );
    expect(insane).toEqual([{ symbol: 'USDJPY', n: 1 }]);
  });

  it('seeding again changes nothing; a later restart fills the gap without holes or duplicates', async () => {
    const before = await counts();
    const again = await seedDemo(db.pool, { now: started });
    expect(again).toEqual({ backfilled: [], barsInserted: 0, pairsRegistered: 0, pairsCaughtUp: 0 });
    expect(await counts()).toEqual(before);

    const later = new Date(started.getTime() + 30 * 60_000);
    const refill = await seedDemo(db.pool, { now: later });
    expect(refill.barsInserted).toBe(30 * 10); // every live symbol; CLZ6's feed stays stopped, AAPL's market is closed
    expect(await appendLiveBars(db.pool, later)).toBe(0);
    expect(await appendLiveBars(db.pool, new Date(later.getTime() + 60_000))).toBe(10);
    // Once AAPL's market opens, its feed resumes from the open, leaving the closed hours empty.
    const open = new Date(started.getTime() + 190 * 60_000);
    expect(await appendLiveBars(db.pool, open)).toBe(159 * 10 + 10); // 159 minutes of the others, 10 of AAPL since its open
    expect(
      await db.one(`SELECT count(*)::int AS n FROM bars_1m WHERE canonical_symbol = 'AAPL' AND ts_utc >= $1`, [
        started,
      ]),
    ).toEqual({ n: 10 });

    const spans = await db.sql<{ symbol: string; n: number; minutes: number }>(
      `SELECT canonical_symbol AS symbol, count(*)::int AS n,
              (extract(epoch FROM max(ts_utc) - min(ts_utc)) / 60)::int + 1 AS minutes
         FROM bars_1m GROUP BY 1`,
    );
    expect(spans).toHaveLength(12);
    for (const span of spans) {
      // AAPL traded nothing while its market was closed (5 hours), and nothing else is missing.
      const hole = span.symbol === 'AAPL' ? 300 : 0;
      expect(span.n, `${span.symbol} has one bar per minute, no hole`).toBe(span.minutes - hole);
    }
    expect((await counts()).pairs).toBe(72);
  });
});
