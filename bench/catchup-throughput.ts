// Catch-up throughput: a 30-day backfill of one symbol through catchup_aggregation_range,
// against one set-based INSERT … SELECT … GROUP BY date_bin(…) over the same source rows,
// side by side in one run (alternating, each in a rolled-back transaction; median of N).
import type pg from 'pg';
import { BASELINE_SQL, inRolledBackTransaction, median, round, seedMinuteBars, type BenchDatabase } from './support';

const SYMBOL = 'BENCHUSD';
const DAYS = 30;
const FROM = '2026-01-01T00:00:00Z';

export interface CatchupBenchResult {
  timeframe: string;
  sourceRows: number;
  bars: number;
  baselineMs: number;
  catchupMs: number;
  /** catch-up speed as a fraction of the set-based statement's: baselineMs / catchupMs */
  ratio: number;
  catchupBatchedMs: number;
  ratioBatched: number;
}

export async function benchCatchupThroughput(db: BenchDatabase, repetitions: number): Promise<CatchupBenchResult[]> {
  const { pool } = db;
  await seedMinuteBars(pool, SYMBOL, FROM, DAYS);
  await pool.query('VACUUM ANALYZE bars_1m');

  const results: CatchupBenchResult[] = [];
  for (const timeframe of ['5m', '1h']) {
    const [{ cursor, until }] = (
      await pool.query<{ cursor: Date; until: Date }>(
        `SELECT bootstrap_aggregation_cursor($1, $2) AS cursor,
              agg_last_complete_window_start(step, 'infinity', 0, (SELECT max(ts_utc) FROM bars_1m WHERE canonical_symbol = $1)) + step AS until
         FROM agg_timeframes WHERE timeframe = $2`,
        [SYMBOL, timeframe],
      )
    ).rows as [{ cursor: Date; until: Date }];
    const windows = (DAYS * 1440) / (timeframe === '5m' ? 5 : 60);

    const now = new Date(until.getTime() + 3_600_000).toISOString();
    // Both produce the same bars: checked once, outside the timing.
    const check = await pool.connect();
    try {
      await check.query('BEGIN');
      await check.query(BASELINE_SQL, [SYMBOL, timeframe, FROM, until]);
      await check.query(`SELECT catchup_aggregation_range($1, $2, $3, $4, $5, 0, true)`, [
        SYMBOL,
        timeframe,
        cursor,
        windows,
        now,
      ]);
      const diff = await check.query(
        `SELECT count(*)::int AS n FROM (
          (SELECT ts_utc, open, high, low, close, volume, source_count FROM bars_agg WHERE canonical_symbol = $1 AND timeframe = $2
           EXCEPT SELECT ts_utc, open, high, low, close, volume, source_count FROM bench_bars_agg)
          UNION ALL
          (SELECT ts_utc, open, high, low, close, volume, source_count FROM bench_bars_agg
           EXCEPT SELECT ts_utc, open, high, low, close, volume, source_count FROM bars_agg WHERE canonical_symbol = $1 AND timeframe = $2)) d`,
        [SYMBOL, timeframe],
      );
      if (diff.rows[0].n !== 0)
        throw new Error(`catch-up and baseline disagree on ${diff.rows[0].n} bars for ${timeframe}`);
    } finally {
      await check.query('ROLLBACK');
      check.release();
    }

    const baseline: number[] = [];
    const single: number[] = [];
    const batched: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      baseline.push(
        await inRolledBackTransaction(pool, (c) => c.query(BASELINE_SQL, [SYMBOL, timeframe, FROM, until])),
      );
      single.push(
        await inRolledBackTransaction(pool, (c) =>
          c.query(`SELECT catchup_aggregation_range($1, $2, $3, $4, $5, 1, true)`, [
            SYMBOL,
            timeframe,
            cursor,
            windows,
            now,
          ]),
        ),
      );
      // As the worker runs it: run_catchup-sized calls of 1,000 windows, one after another.
      batched.push(
        await inRolledBackTransaction(pool, async (c) => {
          let current: string | Date = cursor;
          for (;;) {
            const r: pg.QueryResult<{ r: { cursor_utc: string; windows_processed: number } }> = await c.query<{
              r: { cursor_utc: string; windows_processed: number };
            }>(`SELECT catchup_aggregation_range($1, $2, $3, 1000, $4, 1, true) AS r`, [
              SYMBOL,
              timeframe,
              current,
              now,
            ]);
            if (r.rows[0]!.r.windows_processed === 0) break;
            current = r.rows[0]!.r.cursor_utc;
          }
        }),
      );
    }
    const baselineMs = median(baseline);
    const catchupMs = median(single);
    const catchupBatchedMs = median(batched);
    results.push({
      timeframe,
      sourceRows: DAYS * 1440,
      bars: windows,
      baselineMs: round(baselineMs),
      catchupMs: round(catchupMs),
      ratio: round(baselineMs / catchupMs),
      catchupBatchedMs: round(catchupBatchedMs),
      ratioBatched: round(baselineMs / catchupBatchedMs),
    });
    await pool.query(`DELETE FROM data_agg_state WHERE canonical_symbol = $1`, [SYMBOL]);
  }
  return results;
}
