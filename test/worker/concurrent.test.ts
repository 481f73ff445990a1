import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertBars, minutesBetween, randomWalkBars, type MinuteBar } from '../support/bars';
import { bootstrapAll, expectExactCatchUp, floorMinute, makeWorker, MINUTE, waitFor } from './support';

// Three workers, each with its own pool (as three processes would have), over 240 pairs while
// the source keeps growing: every window must be aggregated exactly once.
describe('several workers at once', () => {
  let db: TestDatabase;
  const symbols = Array.from({ length: 40 }, (_, i) => `W${String(i).padStart(2, '0')}`);
  const now = floorMinute(Date.now());
  const start = now - 12 * 60 * MINUTE;
  const end = now - 4 * MINUTE; // bars up to now-5min: completeness is bounded by the frontier, not the clock
  const bars: MinuteBar[] = symbols.flatMap((symbol, i) =>
    randomWalkBars(symbol, minutesBetween(new Date(start), new Date(end)), 100 + i, 50 + i),
  );
  const cut = (ms: number) => bars.filter((bar) => bar.ts.getTime() < ms && bar.ts.getTime() >= ms - 20 * MINUTE);

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertBars(
      db.pool,
      bars.filter((bar) => bar.ts.getTime() < end - 60 * MINUTE),
    );
    await bootstrapAll(db.pool, symbols);
  });
  afterAll(async () => db?.drop());

  it('aggregates every window exactly once, spreads the work and records no failure', async () => {
    const workers = [0, 1, 2].map(() => makeWorker(db.url, { maxWindows: 10, concurrency: 2, intervalMs: 30 }));
    const productive = () =>
      workers.map(({ logger }) =>
        logger.lines
          .filter((l) => l.message === 'pass')
          .reduce((sum, l) => sum + Number(l.fields.ok) - Number(l.fields.idle), 0),
      );
    try {
      for (const { worker } of workers) worker.start();
      // The feed delivers the last hour in three slices while the workers run.
      for (const sliceEnd of [end - 40 * MINUTE, end - 20 * MINUTE, end]) {
        const before = productive().reduce((a, b) => a + b, 0);
        await waitFor('the workers to make progress', () => productive().reduce((a, b) => a + b, 0) > before + 20);
        await insertBars(db.pool, cut(sliceEnd));
      }
      await waitFor(
        'every pair caught up with the final frontier',
        async () => {
          const [row] = await db.sql<{ behind: number; frontier: Date }>(
            `SELECT sum(bars_behind)::int AS behind, min(source_max_ts_utc) AS frontier FROM v_aggregation_frontier_health`,
          );
          return row!.behind === 0 && row!.frontier.getTime() === end - MINUTE;
        },
        45_000,
        100,
      );
    } finally {
      await Promise.all(workers.map((w) => w.close()));
    }

    const runsPerWorker = productive();
    expect(
      runsPerWorker.every((runs) => runs > 0),
      `runs with work per worker: ${runsPerWorker.join(', ')}`,
    ).toBe(true);
    for (const { logger } of workers) {
      expect(logger.lines.filter((line) => line.level !== 'info')).toEqual([]);
    }
    const [failures] = await db.sql<{ n: number; f: number }>(
      'SELECT (SELECT count(*)::int FROM data_agg_runs WHERE NOT ok) AS n, (SELECT sum(consecutive_failures)::int FROM data_agg_state) AS f',
    );
    expect(failures).toEqual({ n: 0, f: 0 });
    await expectExactCatchUp(db.pool, bars, Date.now());
  });
});
