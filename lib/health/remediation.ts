import type { FrontierRow, PairHealth } from '../shared/types';

/**
 * What to do about a pair, written once: the pipeline's repair statements (quoted by the health
 * rules in a pair's one-line action), the advice for a failure, and the SQL an on-call engineer
 * copies from the pair page. Pure.
 */

/** A SQL string literal; symbols come from the database and may contain quotes. */
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function bootstrapSql(symbol: string, timeframe: string): string {
  return `SELECT bootstrap_aggregation_cursor(${sqlLiteral(symbol)}, ${sqlLiteral(timeframe)});`;
}

/** The reset of one pair's cursor (never another pair's): the dry run, or the reset itself. */
export function resetPairSql(symbol: string, timeframe: string, dryRun: boolean): string {
  return `SELECT * FROM reset_aggregation_cursor(${sqlLiteral(symbol)}, ${sqlLiteral(timeframe)}, ${dryRun});`;
}

export function enableSql(symbol: string, timeframe: string): string {
  return `UPDATE data_agg_state SET enabled = true WHERE canonical_symbol = ${sqlLiteral(symbol)} AND timeframe = ${sqlLiteral(timeframe)};`;
}

/** The SQL that re-audits and repairs the span an audit left unrepaired (docs/AUDIT.md). */
export function driftRepairSql(row: FrontierRow): string {
  const from = row.auditUnrepairedFromUtc ?? row.cursorUtc ?? '';
  const to = row.auditUnrepairedToUtc ?? row.cursorUtc ?? '';
  return `SELECT audit_aggregation_range(${sqlLiteral(row.symbol)}, ${sqlLiteral(row.timeframe)}, ${sqlLiteral(from)}, ${sqlLiteral(to)}, true);`;
}

/** SQLSTATEs that PostgreSQL itself raises (so no HINT of ours comes with them), and what to do. */
const SQLSTATE_ADVICE: Record<string, string> = {
  '57014': 'the run timed out; lower WORKER_MAX_WINDOWS',
  '40001': 'another run moved the cursor; it retries by itself',
  '40P01': 'a deadlock with another session; the next run retries',
};

/**
 * What to do about a failure: the HINT the SQL raised it with (sql/012 keeps it), else advice
 * for PostgreSQL's own SQLSTATE, else the general rule. Never re-derived from the message.
 */
export function failureHint(row: Pick<FrontierRow, 'lastErrorHint' | 'lastErrorSqlstate'>): string {
  return row.lastErrorHint ?? SQLSTATE_ADVICE[row.lastErrorSqlstate ?? ''] ?? 'fix its cause; the next run retries';
}

/**
 * The SQL an on-call engineer copies from the pair page, per state. Pure; every statement
 * is one of the pipeline's own functions or a read-only look, so pasting it is safe, and the
 * destructive ones (reset without dry run) come after the dry run that shows what they do.
 */
export function remediationSql(pair: PairHealth): string | null {
  const symbol = sqlLiteral(pair.symbol);
  const timeframe = sqlLiteral(pair.timeframe);
  const where = `canonical_symbol = ${symbol} AND timeframe = ${timeframe}`;
  const recentRuns = [
    `SELECT run_id, finished_at_utc, ok, result->>'windows_processed' AS windows, result->>'bars_written' AS bars,`,
    `       result->>'bars_behind' AS behind, result->>'stop_reason' AS stop_reason, error`,
    `  FROM data_agg_runs WHERE ${where} ORDER BY run_id DESC LIMIT 20;`,
  ].join('\n');

  switch (pair.state) {
    case 'NULL':
      return [
        pair.sourceMaxTsUtc
          ? '-- the cursor was never set: start it at the first source bar'
          : '-- no source bars yet: this raises until the feed delivers some',
        bootstrapSql(pair.symbol, pair.timeframe),
      ].join('\n');
    case 'AHEAD':
      return [
        '-- 1. see what the reset of this pair would change (writes nothing)',
        resetPairSql(pair.symbol, pair.timeframe, true),
        "-- 2. move this pair's cursor (and no other) to a safe position, validated before commit",
        resetPairSql(pair.symbol, pair.timeframe, false),
        '-- 3. check',
        `SELECT * FROM v_aggregation_frontier_health WHERE ${where};`,
      ].join('\n');
    case 'FAILING':
      return [
        `-- the last errors (${failureHint(pair)})`,
        `SELECT run_id, started_at_utc, error FROM data_agg_runs WHERE ${where} AND NOT ok ORDER BY run_id DESC LIMIT 10;`,
        ...(pair.lastError?.startsWith('corrupt source data')
          ? [
              '-- the bad source bars',
              `SELECT * FROM bars_1m WHERE canonical_symbol = ${symbol}`,
              '   AND (high < low OR low <= 0 OR open <= 0 OR close <= 0 OR volume < 0) ORDER BY ts_utc;',
            ]
          : []),
      ].join('\n');
    case 'STALLED':
      return [
        '-- when did it last run, and is anything holding its row lock?',
        `SELECT last_attempt_utc, last_success_utc, consecutive_failures FROM data_agg_state WHERE ${where};`,
        'SELECT pid, application_name, state, now() - xact_start AS in_transaction, left(query, 80) AS query',
        "  FROM pg_stat_activity WHERE query ILIKE '%run_catchup%' ORDER BY xact_start;",
        '-- one run by hand (max 1000 windows, 1 minute grace)',
        `SELECT run_catchup(${symbol}, ${timeframe}, 1000, 1);`,
      ].join('\n');
    case 'DRIFT':
      return [
        `-- the audit found ${pair.auditUnrepaired} finalized window(s) that differ from bars_1m and left them:`,
        '-- re-audit that span and rewrite the missing and drifted bars (idempotent; orphans are kept)',
        driftRepairSql(pair),
        '-- what the audits did (kind = audit)',
        `SELECT run_id, finished_at_utc, result->>'missing' AS missing, result->>'drifted' AS drifted, result->>'repaired' AS repaired`,
        `  FROM data_agg_runs WHERE ${where} AND result->>'kind' = 'audit' ORDER BY run_id DESC LIMIT 20;`,
      ].join('\n');
    case 'SOURCE_STALE':
      return [
        '-- the feed, not the aggregator: when did the last source bar arrive?',
        `SELECT max(ts_utc) AS last_bar, now() - max(ts_utc) AS silent_for FROM bars_1m WHERE canonical_symbol = ${symbol};`,
      ].join('\n');
    case 'LAGGING':
    case 'INEFFICIENT':
      return ['-- is bars_behind shrinking run by run, and why did each run stop?', recentRuns].join('\n');
    case 'DISABLED':
      return ['-- only if it should be aggregated again', enableSql(pair.symbol, pair.timeframe)].join('\n');
    case 'CLOSED':
      return [
        "-- the symbol's market calendar, and its state now (docs/SESSIONS.md)",
        `SELECT * FROM market_session_at(${symbol}, now());`,
      ].join('\n');
    case 'MAINTENANCE':
      return [
        '-- the maintenance window this pair is in (docs/MAINTENANCE.md); it ends by itself',
        `SELECT * FROM v_pair_maintenance WHERE ${where};`,
      ].join('\n');
    case 'OK':
      return null;
  }
}
