/**
 * The pipeline's repair statements, written once: the health rules quote them in a pair's
 * one-line action (lib/health.ts) and the pair page's remediation SQL lists them
 * (lib/remediation.ts). Pure.
 */

import type { FrontierRow } from './types';

/** A SQL string literal; symbols come from the database and may contain quotes. */
export function sqlLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

export function bootstrapSql(symbol: string, timeframe: string): string {
  return `SELECT bootstrap_aggregation_cursor(${sqlLiteral(symbol)}, ${sqlLiteral(timeframe)});`;
}

export const RESET_DRY_RUN_SQL = 'SELECT * FROM reset_aggregation_cursors(true);';
export const RESET_APPLY_SQL = 'SELECT * FROM reset_aggregation_cursors(false);';

export function enableSql(symbol: string, timeframe: string): string {
  return `UPDATE data_agg_state SET enabled = true WHERE canonical_symbol = ${sqlLiteral(symbol)} AND timeframe = ${sqlLiteral(timeframe)};`;
}

/** The SQL that re-audits and repairs the span an audit left unrepaired (docs/AUDIT.md). */
export function driftRepairSql(row: FrontierRow): string {
  const from = row.auditUnrepairedFromUtc ?? row.cursorUtc ?? '';
  const to = row.auditUnrepairedToUtc ?? row.cursorUtc ?? '';
  return `SELECT audit_aggregation_range(${sqlLiteral(row.symbol)}, ${sqlLiteral(row.timeframe)}, ${sqlLiteral(from)}, ${sqlLiteral(to)}, true);`;
}
