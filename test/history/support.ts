import type pg from 'pg';
import { recordStates, type EvaluationResult, type ObservedStates } from '../../lib/history/statements';
import type { HealthState } from '../../lib/shared/types';

export type Observation = [symbol: string, timeframe: string, state: HealthState, reason?: string];

export function observed(rows: Observation[]): ObservedStates {
  return {
    symbols: rows.map((row) => row[0]),
    timeframes: rows.map((row) => row[1]),
    states: rows.map((row) => row[2]),
    reasons: rows.map((row) => row[3] ?? `${row[2].toLowerCase()} reason`),
  };
}

export const SETTINGS = { settleSeconds: 0, flapWindowSeconds: 600, flapChanges: 4, globalSymbols: 20 };

/** One evaluation on a connection of the pool, as the writer would run it. */
export async function evaluate(
  pool: pg.Pool,
  rows: Observation[],
  settings: Partial<typeof SETTINGS> = {},
): Promise<EvaluationResult> {
  const client = await pool.connect();
  try {
    return await recordStates(client, observed(rows), { ...SETTINGS, ...settings });
  } finally {
    client.release();
  }
}

export interface IntervalRow {
  pair: string;
  state: string;
  open: boolean;
  flapping: boolean;
  reason: string | null;
}

export async function intervals(pool: pg.Pool): Promise<IntervalRow[]> {
  const result = await pool.query<IntervalRow>(
    `SELECT canonical_symbol || '/' || timeframe AS pair, state, until IS NULL AS open, flapping, reason
       FROM pair_state_intervals ORDER BY canonical_symbol, timeframe, since, interval_id`,
  );
  return result.rows;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
