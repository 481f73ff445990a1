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
