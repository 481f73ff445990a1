// Audit speed: audit_aggregation_range over 30 days of one symbol, all six timeframes, against
// one set-based INSERT … SELECT … GROUP BY date_bin per timeframe over the same source rows
// (the recompute an audit cannot be faster than). Alternating, each in a rolled-back
// transaction, median of N. Measured clean (nothing to repair) and with 1% of bars drifted.
import type pg from 'pg';
import {
  BASELINE_SQL,
  inRolledBackTransaction,
  median,
  round,
  seedMinuteBars,
  timed,
  type BenchDatabase,
} from './support';

const SYMBOL = 'AUDITUSD';
const DAYS = 30;
const FROM = '2026-01-01T00:00:00Z';
const UNTIL = '2026-01-31T00:00:00Z';
const TIMEFRAMES = ['5m', '15m', '30m', '1h', '4h', '1d'];

const AUDIT_SQL = `SELECT audit_aggregation_range($1, $2, $3, $4, true) AS r`;

export interface AuditBenchResult {
  sourceRows: number;
  bars: number;
  baselineMs: number;
  auditMs: number;
  /** audit speed as a fraction of the recompute's: baselineMs / auditMs */
  ratio: number;
  driftedBars: number;
  auditDriftMs: number;
  ratioDrift: number;
}

export async function benchAudit(db: BenchDatabase, repetitions: number): Promise<AuditBenchResult> {
  const { pool } = db;
  await seedMinuteBars(pool, SYMBOL, FROM, DAYS);
  await pool.query(`DELETE FROM bars_agg WHERE canonical_symbol = $1`, [SYMBOL]);
  await pool.query(`DELETE FROM data_agg_state WHERE canonical_symbol = $1`, [SYMBOL]);
  for (const tf of TIMEFRAMES) {
    await pool.query('SELECT bootstrap_aggregation_cursor($1, $2)', [SYMBOL, tf]);
    const cursor = (
      await pool.query<{ c: Date }>(
        'SELECT last_agg_bar_ts_utc AS c FROM data_agg_state WHERE canonical_symbol = $1 AND timeframe = $2',
        [SYMBOL, tf],
      )
    ).rows[0]!.c;
    await pool.query(`SELECT catchup_aggregation_range($1, $2, $3, 100000, '2027-01-01', 0, true)`, [
      SYMBOL,
      tf,
      cursor,
    ]);
  }
  await pool.query('VACUUM ANALYZE bars_1m, bars_agg');
  const bars = Number(
    (
      await pool.query<{ n: string }>(
        'SELECT count(*) AS n FROM bars_agg WHERE canonical_symbol = $1 AND ts_utc < $2',
        [SYMBOL, UNTIL],
      )
    ).rows[0]!.n,
  );

  // The audit of a clean range must find nothing: checked once, outside the timing.
  for (const tf of TIMEFRAMES) {
    const r = (
      await pool.query<{ r: { missing: number; drifted: number; orphaned: number } }>(
        AUDIT_SQL.replace('true', 'false'),
        [SYMBOL, tf, FROM, UNTIL],
      )
    ).rows[0]!.r;
    if (r.missing + r.drifted + r.orphaned !== 0)
      throw new Error(`the bench's bars are not clean for ${tf}: ${JSON.stringify(r)}`);
  }

  const everyTimeframe = (sql: string) => async (client: pg.PoolClient) => {
    for (const tf of TIMEFRAMES) await client.query(sql, [SYMBOL, tf, FROM, UNTIL]);
  };
  const baseline: number[] = [];
  const audit: number[] = [];
  const drift: number[] = [];
  let driftedBars = 0;
  for (let i = 0; i < repetitions; i++) {
    baseline.push(await inRolledBackTransaction(pool, everyTimeframe(BASELINE_SQL)));
    audit.push(await inRolledBackTransaction(pool, everyTimeframe(AUDIT_SQL)));
    // 1% of the bars drifted (a late minute in each), repaired in the same rolled-back transaction.
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      driftedBars =
        (
          await client.query(
            `UPDATE bars_agg SET volume = volume + 1 WHERE canonical_symbol = $1 AND ts_utc < $2 AND random() < 0.01`,
            [SYMBOL, UNTIL],
          )
        ).rowCount ?? 0;
      drift.push(await timed(() => everyTimeframe(AUDIT_SQL)(client)));
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }
  const baselineMs = median(baseline);
  const auditMs = median(audit);
  const auditDriftMs = median(drift);
  return {
    sourceRows: DAYS * 1440,
    bars,
    baselineMs: round(baselineMs),
    auditMs: round(auditMs),
    ratio: round(baselineMs / auditMs),
    driftedBars,
    auditDriftMs: round(auditDriftMs),
    ratioDrift: round(baselineMs / auditDriftMs),
  };
}

export interface WorkerAuditResult {
  pairs: number;
  passMs: number;
  pairsPerSecond: number;
  audited: number;
  auditMs: number;
  auditedPerSecond: number;
}

/**
 * The worker's sweep next to its catch-up pass: caught-up pairs with a day of history and their
 * bars written, one catch-up pass (what the ≥ 2,000 pairs/s target is about), then one audit
 * round of WORKER_AUDIT_PAIRS_PER_PASS pairs over a 24 h lookback, which runs after the pass.
 */
export async function benchWorkerAudit(
  db: BenchDatabase,
  symbols: number,
  pairsPerPass: number,
): Promise<WorkerAuditResult> {
  const { seedPairs } = await import('./worker-pass');
  const { createWorkerPool } = await import('../lib/worker/pool');
  const { Worker } = await import('../lib/worker/worker');
  await seedPairs(db.pool, symbols, 1440, false);
  const pool = createWorkerPool({
    connectionString: db.url,
    concurrency: 4,
    statementTimeoutMs: 120_000,
    connectTimeoutMs: 5_000,
  });
  const quiet = { info: () => {}, warn: () => {}, error: () => {} };
  const worker = new Worker(
    pool,
    {
      intervalMs: 0,
      maxWindows: 100_000,
      graceMinutes: 1,
      concurrency: 4,
      retentionDays: 7,
      pruneEveryPasses: 1_000_000,
      pruneBatchSize: 1000,
      pruneMaxBatches: 1,
      backoffMaxMs: 1000,
      audit: { lookbackHours: 24, intervalMs: 1, pairsPerPass },
    },
    quiet,
  );
  try {
    await worker.runPass(); // writes the day's bars
    await db.pool.query('VACUUM ANALYZE');
    await db.pool.query('UPDATE data_agg_state SET last_attempt_utc = NULL');
    let pairs = 0;
    const passMs = await timed(async () => {
      pairs = (await worker.runPass()).ok;
    });
    let audited = 0;
    const auditMs = await timed(async () => {
      audited = (
        await worker.auditor!.runDue(
          4,
          () => false,
          () => {},
        )
      ).audited;
    });
    return {
      pairs,
      passMs: round(passMs),
      pairsPerSecond: Math.round(pairs / (passMs / 1000)),
      audited,
      auditMs: round(auditMs),
      auditedPerSecond: Math.round(audited / (auditMs / 1000)),
    };
  } finally {
    await pool.end();
  }
}
