import { query } from '../server/db';
import { iso } from './frontier-columns';

/** When a failing pair is retried next (sql/011 backoff); null when it is not in backoff. */
export async function fetchPairNextRetry(symbol: string, timeframe: string): Promise<string | null> {
  const rows = await query<{ next_retry_utc: string | null }>(
    'pair-next-retry',
    `SELECT ${iso('next_retry_utc')} FROM data_agg_state WHERE canonical_symbol = $1 AND timeframe = $2 AND next_retry_utc > now()`,
    [symbol, timeframe],
  );
  return rows[0]?.next_retry_utc ?? null;
}
