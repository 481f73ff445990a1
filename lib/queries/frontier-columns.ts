import type { CursorStatus, FrontierRow } from '../shared/types';
import { MARKET_JOIN, MARKET_SELECT, marketParser, type MarketDbColumns } from './market-columns';

/**
 * A timestamptz as ISO-8601 UTC text (as Date.toISOString writes it). For 30,000 rows the
 * database formats these far cheaper than node-postgres parses Dates that are turned back
 * into strings anyway.
 */
export function iso(column: string): string {
  return `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${column.replace(/^\w+\./, '')}`;
}

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
       ${iso('s.audit_last_utc')}, ${MARKET_SELECT}
  FROM v_aggregation_frontier_health v
  JOIN data_agg_state s ON s.canonical_symbol = v.canonical_symbol AND s.timeframe = v.timeframe
  JOIN agg_timeframes t ON t.timeframe = v.timeframe
  ${MARKET_JOIN}`;

/** As node-postgres returns it (NUMERIC and INT8 parse as numbers, see lib/db.ts). */
export interface FrontierDbRow extends MarketDbColumns {
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
}

/** parseMarket: one marketParser() per query result, so each symbol's session is parsed once. */
export function toFrontierRow(row: FrontierDbRow, parseMarket = marketParser()): FrontierRow {
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
  };
}
