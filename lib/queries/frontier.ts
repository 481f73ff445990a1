// The frontier of every pair: the monitoring view's rows with their market session, the state
// history's "since when", the configured timeframes and the readiness ping. Plain SQL, snake_case
// mapped to camelCase here and nowhere else.
import type { MarketSession } from '../health/market-session';
import { query } from '../server/db';
import type { CursorStatus, FrontierRow, HealthPolicy, PairMaintenance, SourceFrontierSample } from '../shared/types';

/**
 * A timestamptz as ISO-8601 UTC text (as Date.toISOString writes it). For 30,000 rows the
 * database formats these far cheaper than node-postgres parses Dates that are turned back
 * into strings anyway.
 */
export function iso(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column.replace(/^\w+\./, '')}`;
}

/**
 * A symbol's market session (v_symbol_market_session, sql/009) joined into the frontier
 * queries as one text column, `market_json`: NULL for a symbol with no calendar. Built once
 * per symbol inside the subquery (OFFSET 0 keeps the planner from moving it up), and parsed
 * once per symbol below, not once per pair: with every symbol of a 30,000-pair book on a
 * calendar, 5,000 small JSON texts instead of eleven more columns on 30,000 rows. The explicit
 * COLLATE "C" lets the join work on an adopted database whose symbol columns have another one.
 */
const stamp = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const MARKET_JOIN = `LEFT JOIN (
    SELECT canonical_symbol, json_build_object(
             'calendar', calendar, 'timeZone', time_zone, 'isOpen', is_open,
             'openedAt', ${stamp('opened_at_utc')}, 'closesAt', ${stamp('closes_at_utc')},
             'nextOpensAt', ${stamp('next_opens_at_utc')}, 'lastClosedAt', ${stamp('last_closed_at_utc')},
             'minutesSinceOpen', minutes_since_open, 'minutesUntilClose', minutes_until_close,
             'minutesUntilOpen', minutes_until_open, 'minutesSinceClose', minutes_since_close)::text AS market_json
      FROM v_symbol_market_session OFFSET 0) m ON m.canonical_symbol = v.canonical_symbol COLLATE "C"`;

export const MARKET_SELECT = 'm.market_json';

export interface MarketDbColumns {
  market_json: string | null;
}

/**
 * Parses each distinct text once: the rows of one symbol share it. Call one per query result
 * (the cache lives as long as the returned function).
 */
export function marketParser(): (row: MarketDbColumns) => MarketSession | null {
  const seen = new Map<string, MarketSession>();
  return (row) => {
    if (row.market_json === null) return null;
    let market = seen.get(row.market_json);
    if (!market) {
      market = JSON.parse(row.market_json) as MarketSession;
      seen.set(row.market_json, market);
    }
    return market;
  };
}

/** The pair's health policy as the view resolves it (sql/019; NULL thresholds: the default's). */
const POLICY_SELECT = `v.health_policy, v.policy_stall_minutes, v.policy_lag_bars, v.policy_source_stale_minutes,
       v.policy_min_bars_per_run`;

export interface PolicyDbColumns {
  health_policy: string | null;
  policy_stall_minutes: number | null;
  policy_lag_bars: number | null;
  policy_source_stale_minutes: number | null;
  policy_min_bars_per_run: number | null;
}

/**
 * One HealthPolicy object per policy name and query result: the pairs that follow a policy
 * share it, so the rules resolve its thresholds once (lib/health/policy.ts).
 */
export function policyParser(): (row: PolicyDbColumns) => HealthPolicy | null {
  const seen = new Map<string, HealthPolicy>();
  return (row) => {
    if (row.health_policy === null) return null;
    let policy = seen.get(row.health_policy);
    if (!policy) {
      policy = {
        name: row.health_policy,
        stallMinutes: row.policy_stall_minutes,
        lagBars: row.policy_lag_bars,
        sourceStaleMinutes: row.policy_source_stale_minutes,
        minBarsPerRun: row.policy_min_bars_per_run,
      };
      seen.set(row.health_policy, policy);
    }
    return policy;
  };
}

/**
 * The team of each symbol (sql/020): owner_team once per registered symbol, not per pair, and
 * not at all while no owner is set (the EXISTS is evaluated once).
 */
export const OWNER_JOIN = `LEFT JOIN (
    SELECT sym.canonical_symbol, owner_team(sym.canonical_symbol) AS team
      FROM (SELECT DISTINCT canonical_symbol FROM data_agg_state) sym
     WHERE EXISTS (SELECT 1 FROM owners) OFFSET 0) ow ON ow.canonical_symbol = v.canonical_symbol COLLATE "C"`;

/**
 * The select list shared by the list query and the one-pair query: the view joined with the
 * two state columns the rules need (recent_bars ring, the timeframe's step). The one place
 * these columns are mapped to camelCase.
 */
export const FRONTIER_SELECT = `
SELECT v.canonical_symbol, v.timeframe, extract(epoch FROM t.step) / 60 AS step_minutes, v.enabled,
       ${iso('v.cursor_utc')}, ${iso('v.source_max_ts_utc')}, v.cursor_status, v.gap_minutes, v.bars_behind,
       v.source_age_minutes, ${iso('v.last_attempt_utc')}, ${iso('v.last_success_utc')}, ${iso('s.registered_at_utc')}, v.minutes_since_success,
       v.last_error, ${iso('v.last_error_utc')}, s.last_error_sqlstate, s.last_error_hint, v.consecutive_failures, v.total_runs, v.total_bars_written,
       v.bars_per_run, s.recent_bars, s.audit_unrepaired, ${iso('s.audit_unrepaired_from')}, ${iso('s.audit_unrepaired_to')},
       CASE WHEN cardinality(s.audit_repairs_utc) = 0 THEN 0
            ELSE agg_audit_repaired_since(s.audit_repairs_utc, s.audit_repairs_n, now() - interval '24 hours') END AS audit_repaired_24h,
       ${iso('s.audit_last_utc')}, ${MARKET_SELECT}, ${POLICY_SELECT},
       mw.window_id, ${iso('mw.starts_at')}, ${iso('mw.ends_at')}, mw.reason AS maintenance_reason, mw.created_by AS maintenance_by, ow.team
  FROM v_aggregation_frontier_health v
  JOIN data_agg_state s ON s.canonical_symbol = v.canonical_symbol AND s.timeframe = v.timeframe
  JOIN agg_timeframes t ON t.timeframe = v.timeframe
  ${MARKET_JOIN}
  ${OWNER_JOIN}
  LEFT JOIN v_pair_maintenance mw ON mw.canonical_symbol = v.canonical_symbol AND mw.timeframe = v.timeframe`;

/** The maintenance window a pair is in now (v_pair_maintenance, sql/018); NULLs when none. */
export interface MaintenanceDbColumns {
  window_id: number | null;
  starts_at: string | null;
  ends_at: string | null;
  maintenance_reason: string | null;
  maintenance_by: string | null;
}

function maintenanceOf(row: MaintenanceDbColumns): PairMaintenance | null {
  if (row.window_id === null) return null;
  return {
    id: row.window_id,
    startsAt: row.starts_at!,
    endsAt: row.ends_at!,
    reason: row.maintenance_reason ?? '',
    createdBy: row.maintenance_by ?? '',
  };
}

/** As node-postgres returns it (NUMERIC and INT8 parse as numbers, see lib/db.ts). */
export interface FrontierDbRow extends MarketDbColumns, PolicyDbColumns, MaintenanceDbColumns {
  canonical_symbol: string;
  timeframe: string;
  step_minutes: number;
  enabled: boolean;
  cursor_utc: string | null;
  source_max_ts_utc: string | null;
  cursor_status: CursorStatus;
  gap_minutes: number | null;
  bars_behind: number | null;
  source_age_minutes: number | null;
  last_attempt_utc: string | null;
  last_success_utc: string | null;
  registered_at_utc: string;
  minutes_since_success: number | null;
  last_error: string | null;
  last_error_utc: string | null;
  last_error_sqlstate: string | null;
  last_error_hint: string | null;
  consecutive_failures: number;
  total_runs: number;
  total_bars_written: number;
  bars_per_run: number | null;
  recent_bars: number[] | null;
  audit_unrepaired: number;
  audit_unrepaired_from: string | null;
  audit_unrepaired_to: string | null;
  audit_repaired_24h: number;
  audit_last_utc: string | null;
  team: string | null;
}

/** parseMarket, parsePolicy: one of each per query result, so each session and policy is built once. */
export function toFrontierRow(
  row: FrontierDbRow,
  parseMarket = marketParser(),
  parsePolicy = policyParser(),
): FrontierRow {
  return {
    symbol: row.canonical_symbol,
    timeframe: row.timeframe,
    stepMinutes: row.step_minutes,
    enabled: row.enabled,
    cursorUtc: row.cursor_utc,
    sourceMaxTsUtc: row.source_max_ts_utc,
    cursorStatus: row.cursor_status,
    gapMinutes: row.gap_minutes,
    barsBehind: row.bars_behind,
    sourceAgeMinutes: row.source_age_minutes,
    lastAttemptUtc: row.last_attempt_utc,
    lastSuccessUtc: row.last_success_utc,
    registeredAtUtc: row.registered_at_utc,
    minutesSinceSuccess: row.minutes_since_success,
    lastError: row.last_error,
    lastErrorUtc: row.last_error_utc,
    lastErrorSqlstate: row.last_error_sqlstate,
    lastErrorHint: row.last_error_hint,
    consecutiveFailures: row.consecutive_failures,
    totalRuns: row.total_runs,
    totalBarsWritten: row.total_bars_written,
    barsPerRun: row.bars_per_run,
    recentBars: row.recent_bars ?? [],
    auditUnrepaired: row.audit_unrepaired,
    auditUnrepairedFromUtc: row.audit_unrepaired_from,
    auditUnrepairedToUtc: row.audit_unrepaired_to,
    auditRepaired24h: row.audit_repaired_24h,
    auditLastUtc: row.audit_last_utc,
    market: parseMarket(row),
    policy: parsePolicy(row),
    maintenance: maintenanceOf(row),
    team: row.team,
  };
}

/** Every pair's frontier row: one statement for all 30,000 pairs (callers cache it). */
export async function fetchFrontierRows(): Promise<FrontierRow[]> {
  const rows = await query<FrontierDbRow>('frontier-rows', FRONTIER_SELECT);
  const parseMarket = marketParser();
  const parsePolicy = policyParser();
  return rows.map((row) => toFrontierRow(row, parseMarket, parsePolicy));
}

/** One pair's frontier row, or null when the pair is not registered. */
export async function fetchPairFrontierRow(symbol: string, timeframe: string): Promise<FrontierRow | null> {
  const rows = await query<FrontierDbRow>(
    'pair-frontier-row',
    `${FRONTIER_SELECT}
 WHERE s.canonical_symbol = $1 AND s.timeframe = $2`,
    [symbol, timeframe],
  );
  return rows[0] ? toFrontierRow(rows[0]) : null;
}

/**
 * The registered symbol that a case-insensitive name stands for, when exactly one does (search
 * ignores case, so a typed URL should too); null when none or several do.
 */
export async function fetchCanonicalSymbol(symbol: string, timeframe: string): Promise<string | null> {
  const rows = await query<{ canonical_symbol: string }>(
    'canonical-symbol',
    `SELECT canonical_symbol FROM data_agg_state WHERE lower(canonical_symbol) = lower($1) AND timeframe = $2 LIMIT 2`,
    [symbol, timeframe],
  );
  return rows.length === 1 ? rows[0]!.canonical_symbol : null;
}

/** When a failing pair is retried next (sql/011 backoff); null when it is not in backoff. */
export async function fetchPairNextRetry(symbol: string, timeframe: string): Promise<string | null> {
  const rows = await query<{ next_retry_utc: string | null }>(
    'pair-next-retry',
    `SELECT ${iso('next_retry_utc')} FROM data_agg_state WHERE canonical_symbol = $1 AND timeframe = $2 AND next_retry_utc > now()`,
    [symbol, timeframe],
  );
  return rows[0]?.next_retry_utc ?? null;
}

/** Recorded and observed state of every pair (pair_state_current, sql/010), keyed "symbol\ttimeframe". */
export interface PairStateSince {
  state: string;
  stateSince: string;
  observedState: string;
  observedSince: string;
}

interface StateSinceDbRow {
  canonical_symbol: string;
  timeframe: string;
  state: string;
  state_since: string;
  observed_state: string;
  observed_since: string;
}

export const pairKey = (symbol: string, timeframe: string) => `${symbol}\t${timeframe}`;

export async function fetchStateSince(): Promise<Map<string, PairStateSince>> {
  const rows = await query<StateSinceDbRow>(
    'state-since',
    `SELECT canonical_symbol, timeframe, state, ${iso('state_since')}, observed_state, ${iso('observed_since')}
       FROM pair_state_current`,
  );
  const byPair = new Map<string, PairStateSince>();
  for (const row of rows) {
    byPair.set(pairKey(row.canonical_symbol, row.timeframe), {
      state: row.state,
      stateSince: row.state_since,
      observedState: row.observed_state,
      observedSince: row.observed_since,
    });
  }
  return byPair;
}

/**
 * Since when a pair is in the state derived now: the recorded interval's start when the history
 * agrees, else when the observed state (not settled yet) began, else unknown.
 */
export function stateSinceFor(state: string, known: PairStateSince | undefined): string | null {
  if (!known) return null;
  if (known.state === state) return known.stateSince;
  if (known.observedState === state) return known.observedSince;
  return null;
}

/** One pair's recorded and observed state (pair_state_current), or undefined. */
export async function fetchPairStateSince(symbol: string, timeframe: string): Promise<PairStateSince | undefined> {
  const rows = await query<{ state: string; state_since: string; observed_state: string; observed_since: string }>(
    'pair-state-since',
    `SELECT state, ${iso('state_since')}, observed_state, ${iso('observed_since')}
       FROM pair_state_current WHERE canonical_symbol = $1 AND timeframe = $2`,
    [symbol, timeframe],
  );
  const row = rows[0];
  return (
    row && {
      state: row.state,
      stateSince: row.state_since,
      observedState: row.observed_state,
      observedSince: row.observed_since,
    }
  );
}

export interface Timeframe {
  timeframe: string;
  stepMinutes: number;
}

/** The configured timeframes, shortest first (to validate ?timeframe= against). */
export async function fetchTimeframes(): Promise<Timeframe[]> {
  const rows = await query<{ timeframe: string; step_minutes: number }>(
    'timeframes',
    'SELECT timeframe, extract(epoch FROM step) / 60 AS step_minutes FROM agg_timeframes ORDER BY step',
  );
  return rows.map((row) => ({ timeframe: row.timeframe, stepMinutes: row.step_minutes }));
}

/** Readiness: one round trip that also proves the schema is migrated. */
export async function pingDatabase(): Promise<void> {
  await query<{ ok: number }>('ping', 'SELECT 1 AS ok FROM agg_timeframes LIMIT 1');
}

/**
 * The symbol's newest source minute at or before each time, in the times' order
 * (sql/definitions/source_frontier_at.sql: the dashboard role reads no bars_1m row itself).
 */
export async function fetchSourceFrontierAt(symbol: string, times: readonly string[]): Promise<SourceFrontierSample[]> {
  const rows = await query<{ at_utc: string; source_max_ts_utc: string | null }>(
    'source-frontier-at',
    `SELECT ${iso('f.at_utc')}, ${iso('f.source_max_ts_utc')} FROM source_frontier_at($1, $2::timestamptz[]) f`,
    [symbol, times],
  );
  return rows.map((row) => ({ atUtc: row.at_utc, sourceMaxTsUtc: row.source_max_ts_utc }));
}
