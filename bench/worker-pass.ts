// Worker throughput: one full pass over N caught-up pairs (the steady state: every pair is
// polled, few have work), against the floor of the same protocol, one trivial round trip per
// pair at the same concurrency, measured in the same run. Then a 1-day backlog cleared.
import type pg from 'pg';
import { createWorkerPool } from '../lib/worker/pool';
import { Worker, type WorkerSettings } from '../lib/worker/worker';
import { round, timed, type BenchDatabase } from './support';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

function settings(concurrency: number, maxWindows = 1000): WorkerSettings {
  return {
    intervalMs: 0,
    maxWindows,
    graceMinutes: 1,
    concurrency,
    retentionDays: 7,
    pruneEveryPasses: 1_000_000,
    pruneBatchSize: 1000,
    pruneMaxBatches: 1,
    backoffMaxMs: 1000,
  };
}

export async function seedPairs(pool: pg.Pool, symbols: number, minutes: number, caughtUp: boolean): Promise<void> {
  await pool.query('TRUNCATE bars_1m, bars_agg, data_agg_state, data_agg_runs');
  await pool.query(
    `
    INSERT INTO bars_1m (canonical_symbol, ts_utc, open, high, low, close, volume)
    SELECT 'W' || lpad(s::text, 5, '0'), date_trunc('minute', now()) - m * interval '1 minute', 10, 11, 9, 10.5, 1
      FROM generate_series(0, $1::int - 1) s, generate_series(1, $2::int) m`,
    [symbols, minutes],
  );
  await pool.query(
    `
    INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc)
    SELECT sym, t.timeframe,
           CASE WHEN $1::boolean THEN agg_last_complete_window_start(t.step, now(), 1, f.max_ts)
                ELSE agg_window_start(t.step, f.min_ts) - t.step END
      FROM (SELECT canonical_symbol AS sym, min(ts_utc) AS min_ts, max(ts_utc) AS max_ts FROM bars_1m GROUP BY 1) f
     CROSS JOIN agg_timeframes t`,
    [caughtUp],
  );
  await pool.query('VACUUM ANALYZE');
}

export interface WorkerPassResult {
  pairs: number;
  concurrency: number;
  passMs: number;
  pairsPerSecond: number;
  floorPairsPerSecond: number;
  ratioToFloor: number;
}

export async function benchWorkerPass(
  db: BenchDatabase,
  symbols: number,
  concurrency: number,
): Promise<WorkerPassResult> {
  await seedPairs(db.pool, symbols, 30, true);
  const pairs = symbols * 6;
  const pool = workerPool(db, concurrency);
  try {
    const worker = new Worker(pool, settings(concurrency), quiet);
    let summary = await worker.runPass(); // warm-up pass: plans cached, pages in memory
    if (summary.failed > 0) throw new Error(`${summary.failed} pairs failed in the warm-up pass`);
    await db.pool.query('UPDATE data_agg_state SET last_attempt_utc = NULL');
    const passMs = await timed(async () => {
      summary = await worker.runPass();
    });
    if (summary.ok !== pairs)
      throw new Error(
        `pass ran ${summary.ok} of ${pairs} pairs (failed ${summary.failed}, skipped ${summary.skipped})`,
      );

    let next = 0;
    const floorMs = await timed(() =>
      Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next++ < pairs) await pool.query({ name: 'bench_floor', text: 'SELECT 1' });
        }),
      ),
    );
    return {
      pairs,
      concurrency,
      passMs: round(passMs),
      pairsPerSecond: Math.round(pairs / (passMs / 1000)),
      floorPairsPerSecond: Math.round(pairs / (floorMs / 1000)),
      ratioToFloor: round(floorMs / passMs),
    };
  } finally {
    await pool.end();
  }
}

/** The worker's own pool, with the settings `npm run worker` uses. */
function workerPool(db: BenchDatabase, concurrency: number): pg.Pool {
  return createWorkerPool({
    connectionString: db.url,
    concurrency,
    statementTimeoutMs: 120_000,
    connectTimeoutMs: 5_000,
  });
}

export interface BacklogResult {
  symbols: number;
  pairs: number;
  sourceRows: number;
  passes: number;
  minutes: number;
  bars: number;
}

/** A day of bars for every symbol, all cursors at the start: passes until no pair is behind. */
export async function benchBacklog(db: BenchDatabase, symbols: number, concurrency: number): Promise<BacklogResult> {
  await seedPairs(db.pool, symbols, 1440, false);
  const pool = workerPool(db, concurrency);
  const worker = new Worker(pool, settings(concurrency), quiet);
  let passes = 0;
  let bars = 0;
  const ms = await timed(async () => {
    for (;;) {
      await db.pool.query('UPDATE data_agg_state SET last_attempt_utc = NULL');
      const summary = await worker.runPass();
      passes += 1;
      bars += summary.bars;
      if (summary.failed > 0) throw new Error(`${summary.failed} pairs failed`);
      if (summary.behind === 0) break;
    }
  }).finally(() => pool.end());
  const [{ behind }] = (
    await db.pool.query<{ behind: number }>(
      'SELECT count(*)::int AS behind FROM v_aggregation_frontier_health WHERE bars_behind > 1',
    )
  ).rows as [{ behind: number }];
  if (behind > 0) throw new Error(`${behind} pairs still behind after the backlog passes`);
  return { symbols, pairs: symbols * 6, sourceRows: symbols * 1440, passes, minutes: round(ms / 60_000, 2), bars };
}
