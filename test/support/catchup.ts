import type pg from 'pg';

export interface CatchupResult {
  symbol: string;
  to_tf: string;
  start_cursor_utc: string;
  cursor_utc: string;
  windows_processed: number;
  bars_written: number;
  source_rows: number;
  max_source_ts: string | null;
  stop_reason: 'max_windows' | 'window_open' | 'source_frontier' | 'no_source';
  persisted: boolean;
  duration_ms: number;
  bars_behind: number | null;
}

export interface CatchupCall {
  symbol: string;
  tf: string;
  cursor: string | Date | null;
  maxWindows?: number | null;
  now: string | Date | null;
  grace?: number | null;
  persist?: boolean | null;
}

/** catchup_aggregation_range with named arguments; returns its JSON. */
export async function catchup(client: pg.Pool | pg.PoolClient | pg.Client, call: CatchupCall): Promise<CatchupResult> {
  const result = await client.query<{ r: CatchupResult }>(
    'SELECT catchup_aggregation_range($1, $2, $3::timestamptz, $4, $5::timestamptz, $6, $7) AS r',
    [
      call.symbol,
      call.tf,
      call.cursor,
      call.maxWindows === undefined ? 1000 : call.maxWindows,
      call.now,
      call.grace === undefined ? 1 : call.grace,
      call.persist === undefined ? true : call.persist,
    ],
  );
  return result.rows[0]!.r;
}

/** The stored cursor of a pair as an ISO string, or null. */
export async function storedCursor(client: pg.Pool | pg.Client, symbol: string, tf: string): Promise<string | null> {
  const result = await client.query<{ c: Date | null }>(
    'SELECT last_agg_bar_ts_utc AS c FROM data_agg_state WHERE canonical_symbol = $1 AND timeframe = $2',
    [symbol, tf],
  );
  return result.rows[0]?.c ? result.rows[0].c.toISOString() : null;
}

export const TIMEFRAME_MINUTES: Record<string, number> = {
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '1h': 60,
  '4h': 240,
  '1d': 1440,
};
