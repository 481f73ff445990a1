// The worker's late-data sweep: a minute inserted behind the cursor is repaired by the next
// audit of the pair, and a running worker repairs it within one audit cycle.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { barsEqualRecompute } from '../support/audit';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { floorMinute, makeWorker, MINUTE, waitFor } from './support';

let db: TestDatabase;
const NOW = floorMinute(Date.now());
const START = new Date(Math.floor((NOW - 6 * 60 * MINUTE) / (60 * MINUTE)) * 60 * MINUTE); // whole hour: no partial first window
const LATE = new Date(NOW - 3 * 60 * MINUTE + 7 * MINUTE); // inside finalized windows of every timeframe up to 1h
const AUDIT = { lookbackHours: 24, intervalMs: 400, pairsPerPass: 100 };

async function lateBar(symbol: string): Promise<void> {
  const [bar] = randomWalkBars(symbol, [LATE], 99, 100);
  await insertBars(db.pool, [{ ...bar!, volume: 12345 }]);
}

async function cursorEnd(symbol: string, tf: string): Promise<string> {
  const row = await db.one<{ e: Date }>(
    `SELECT s.last_agg_bar_ts_utc + t.step AS e FROM data_agg_state s JOIN agg_timeframes t USING (timeframe)
      WHERE s.canonical_symbol = $1 AND s.timeframe = $2`,
    [symbol, tf],
  );
  return row.e.toISOString();
}

beforeAll(async () => {
  db = await createTestDatabase();
  for (const symbol of ['LATE1', 'LATE2']) {
    const minutes = minutesBetween(START, new Date(NOW)).filter((m) => m.getTime() !== LATE.getTime());
    await insertBars(db.pool, randomWalkBars(symbol, minutes, 3, 100));
    for (const tf of ['5m', '15m', '1h']) await db.sql('SELECT bootstrap_aggregation_cursor($1, $2)', [symbol, tf]);
  }
});
afterAll(async () => {
  await db?.drop();
});

describe('worker audit', () => {
  test('the next audit after a late minute repairs every timeframe; catch-up counters untouched; nothing found means no run row', async () => {
    const settings = { ...AUDIT, intervalMs: 2_000 }; // long enough that "not due yet" holds on a busy machine
    const { worker, close } = makeWorker(db.url, { audit: settings });
    try {
      await worker.runPass();
      const first = await worker.auditor!.runDue(
        2,
        () => false,
        () => {},
      );
      expect(first).toMatchObject({ audited: 6, repaired: 0, failed: 0 });
      expect(
        (await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM data_agg_runs WHERE result->>'kind' = 'audit'`)).n,
      ).toBe(0);

      await lateBar('LATE1');
      const counters = await db.sql(
        `SELECT timeframe, total_runs, total_bars_written, recent_bars FROM data_agg_state WHERE canonical_symbol = 'LATE1' ORDER BY 1`,
      );
      // not due yet: audited less than the interval ago
      expect(
        await worker.auditor!.runDue(
          2,
          () => false,
          () => {},
        ),
      ).toMatchObject({ audited: 0 });
      await new Promise((resolve) => setTimeout(resolve, settings.intervalMs));
      const second = await worker.auditor!.runDue(
        2,
        () => false,
        () => {},
      );
      expect(second).toMatchObject({ audited: 6, repaired: 3, failed: 0 }); // one window in each of LATE1's 3 timeframes
      for (const tf of ['5m', '15m', '1h']) {
        expect(
          await barsEqualRecompute(db.pool, 'LATE1', tf, START.toISOString(), await cursorEnd('LATE1', tf)),
        ).toEqual([]);
      }
      const runs = await db.sql<{ timeframe: string; repaired: string }>(
        `SELECT timeframe, result->>'repaired' AS repaired FROM data_agg_runs WHERE result->>'kind' = 'audit' ORDER BY timeframe`,
      );
      expect(runs).toEqual([
        { timeframe: '15m', repaired: '1' },
        { timeframe: '1h', repaired: '1' },
        { timeframe: '5m', repaired: '1' },
      ]);
      expect(
        await db.sql(
          `SELECT timeframe, total_runs, total_bars_written, recent_bars FROM data_agg_state WHERE canonical_symbol = 'LATE1' ORDER BY 1`,
        ),
      ).toEqual(counters);
    } finally {
      await close();
    }
  });

  test('a running worker repairs a late minute within one audit cycle', async () => {
    const { worker, logger, close } = makeWorker(db.url, { audit: AUDIT });
    try {
      worker.start();
      await waitFor(
        'a first audit of LATE2',
        async () =>
          (
            await db.one<{ n: number }>(
              `SELECT count(*)::int AS n FROM data_agg_state WHERE canonical_symbol = 'LATE2' AND audit_last_utc IS NOT NULL`,
            )
          ).n === 3,
      );
      const inserted = Date.now();
      await lateBar('LATE2');
      await waitFor(
        'the late minute repaired in LATE2/1h',
        async () =>
          (await barsEqualRecompute(db.pool, 'LATE2', '1h', START.toISOString(), await cursorEnd('LATE2', '1h')))
            .length === 0,
        10_000,
        20,
      );
      // one audit cycle: the interval plus a pass and an audit round, with room for a slow machine
      expect(Date.now() - inserted).toBeLessThan(AUDIT.intervalMs + 3_000);
      await waitFor(
        'all of LATE2 repaired',
        async () => {
          for (const tf of ['5m', '15m']) {
            if (
              (await barsEqualRecompute(db.pool, 'LATE2', tf, START.toISOString(), await cursorEnd('LATE2', tf)))
                .length > 0
            )
              return false;
          }
          return true;
        },
        5_000,
        20,
      );
      expect(logger.count('audit repaired late data')).toBe(3);
    } finally {
      await close();
    }
  });
});
