import { query } from '../server/db';

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
