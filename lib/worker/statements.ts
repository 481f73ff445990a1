import type pg from 'pg';

/** The worker's SQL. Each function is one round trip; each statement is its own transaction. */

export interface Pair {
  symbol: string;
  timeframe: string;
}

export interface PairListing {
  /** The database's clock when the pass began: due-ness is judged on the database's clock. */
  dbNow: Date;
  pairs: Pair[];
}

// One row with two arrays instead of 30,000 rows: a tenth of the bytes to parse.
const LIST_PAIRS = `
  SELECT now() AS db_now,
         coalesce(array_agg(canonical_symbol ORDER BY canonical_symbol, timeframe), '{}') AS symbols,
         coalesce(array_agg(timeframe ORDER BY canonical_symbol, timeframe), '{}') AS timeframes
    FROM data_agg_state
   WHERE enabled`;

export async function listPairs(pool: pg.Pool): Promise<PairListing> {
  const result = await pool.query<{ db_now: Date; symbols: string[]; timeframes: string[] }>({
    name: 'worker_list_pairs',
    text: LIST_PAIRS,
  });
  const row = result.rows[0];
  if (!row) throw new Error('listing the pairs returned no row');
  const pairs = row.symbols.map((symbol, index) => ({ symbol, timeframe: row.timeframes[index] ?? '' }));
  return { dbNow: row.db_now, pairs };
}

/**
 * Claim and run in one statement, hence one implicit transaction:
 *  - the CTE locks the state row with SKIP LOCKED, so a pair another worker holds yields no row
 *    instead of a wait, and a pair is never run by two workers at once;
 *  - "due" skips a pair some worker attempted less than half an interval ago, which is what
 *    spreads one pass's pairs over several workers instead of each running all of them;
 *  - a failing pair waits out its retry backoff (next_retry_utc, sql/011);
 *  - MATERIALIZED makes the lock happen before run_catchup is evaluated.
 * Returns only the few result fields the pass summary needs.
 */
const RUN_PAIR = `
  WITH claimed AS MATERIALIZED (
    SELECT canonical_symbol, timeframe
      FROM data_agg_state
     WHERE canonical_symbol = $1 AND timeframe = $2 AND enabled
       AND (last_attempt_utc IS NULL OR last_attempt_utc <= now() - make_interval(secs => $5::double precision / 1000))
       AND (next_retry_utc IS NULL OR next_retry_utc <= now())
       FOR UPDATE SKIP LOCKED
  ), ran AS (
    SELECT run_catchup(canonical_symbol, timeframe, $3, $4) AS r FROM claimed
  )
  SELECT (r->>'windows_processed')::int AS windows,
         (r->>'bars_written')::int AS bars,
         r->>'stop_reason' AS stop_reason
    FROM ran`;

export interface RunOutcome {
  windows: number;
  bars: number;
  stopReason: string;
}

/** undefined: not claimed (another worker holds it, it is not due, or it was disabled meanwhile). */
export async function runPair(
  pool: pg.Pool,
  pair: Pair,
  maxWindows: number,
  graceMinutes: number,
  minGapMs: number,
): Promise<RunOutcome | undefined> {
  const result = await pool.query<{ windows: number; bars: number; stop_reason: string }>({
    name: 'worker_run_pair',
    text: RUN_PAIR,
    values: [pair.symbol, pair.timeframe, maxWindows, graceMinutes, minGapMs],
  });
  const row = result.rows[0];
  return row ? { windows: row.windows, bars: row.bars, stopReason: row.stop_reason } : undefined;
}

/** Retry backoff of a failing pair (sql/011): the first retry after base, doubling up to cap. */
export interface RetryBackoff {
  baseSeconds: number;
  capSeconds: number;
}

// set_config(…, true) lasts for this statement's transaction only: the backoff settings reach
// record_aggregation_failure without changing its documented signature.
const RECORD_FAILURE = `
  WITH settings AS MATERIALIZED (
    SELECT set_config('frontier.retry_base_seconds', $5, true), set_config('frontier.retry_cap_seconds', $6, true)
  )
  SELECT record_aggregation_failure($1, $2, $3, $4, $7, $8) FROM settings`;

/** What PostgreSQL said besides the message: its SQLSTATE (when it is one) and the HINT. */
export interface RaisedWith {
  sqlstate?: string;
  hint?: string;
}

/** The SQLSTATE and HINT of a database error; nothing for other errors (network, a bug of ours). */
export function raisedWith(error: unknown): RaisedWith {
  if (typeof error !== 'object' || error === null) return {};
  const { code, hint } = error as { code?: unknown; hint?: unknown };
  return {
    sqlstate: typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined,
    hint: typeof hint === 'string' && hint.trim() !== '' ? hint : undefined,
  };
}

/** After the failed run was rolled back: its own transaction, as record_aggregation_failure wants. */
export async function recordFailure(
  pool: pg.Pool,
  pair: Pair,
  error: string,
  startedAt: Date,
  backoff: RetryBackoff = { baseSeconds: 30, capSeconds: 900 },
  raised: RaisedWith = {},
): Promise<void> {
  await pool.query({
    name: 'worker_record_failure',
    text: RECORD_FAILURE,
    values: [
      pair.symbol,
      pair.timeframe,
      error,
      startedAt,
      String(backoff.baseSeconds),
      String(backoff.capSeconds),
      raised.sqlstate ?? null,
      raised.hint ?? null,
    ],
  });
}

/**
 * Deletes one batch of history older than the retention, oldest first. SKIP LOCKED lets two
 * workers prune at once without waiting on each other's batch.
 */
const PRUNE_BATCH = `
  WITH doomed AS (
    SELECT run_id FROM data_agg_runs
     WHERE started_at_utc < now() - make_interval(days => $1)
     ORDER BY started_at_utc
     LIMIT $2
       FOR UPDATE SKIP LOCKED
  )
  DELETE FROM data_agg_runs r USING doomed d WHERE r.run_id = d.run_id`;

export async function pruneBatch(pool: pg.Pool, retentionDays: number, batchSize: number): Promise<number> {
  const result = await pool.query({ name: 'worker_prune_runs', text: PRUNE_BATCH, values: [retentionDays, batchSize] });
  return result.rowCount ?? 0;
}

/**
 * The worker's check that the outage is over: the database answers and can take writes. A node
 * that became a standby answers SELECT 1 too; the connection that found it so is discarded, not
 * put back in the pool, so the next one goes through the host list (lib/server/connect.ts).
 */
export async function pingWritable(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    const result = await client.query<{ read_only: boolean }>(
      "SELECT pg_is_in_recovery() OR current_setting('transaction_read_only') = 'on' AS read_only",
    );
    if (result.rows[0]?.read_only !== false) {
      throw Object.assign(new Error('the database is read-only (a standby): waiting for a primary'), { code: '25006' });
    }
    client.release();
  } catch (error) {
    client.release(error instanceof Error ? error : new Error(String(error)));
    throw error;
  }
}
