import { query } from '../server/db';
import type { StateInterval } from '../shared/history-types';
import { iso } from './frontier-columns';

interface Row {
  state: string;
  since: string;
  until: string | null;
  reason: string | null;
  flapping: boolean;
  registered: boolean;
}

/**
 * A pair's state intervals overlapping [from, to), newest `limit` of them, oldest first;
 * null when the pair is neither registered nor in the history. Index: (symbol, timeframe, since DESC).
 */
export async function fetchPairTimeline(
  symbol: string, timeframe: string, from: Date, to: Date, limit: number,
): Promise<StateInterval[] | null> {
  const rows = await query<Row>(
    'pair-timeline',
    `SELECT i.state, ${iso('i.since')}, ${iso('i.until')}, i.reason, i.flapping, true AS registered
       FROM (SELECT * FROM pair_state_intervals
              WHERE canonical_symbol = $1 AND timeframe = $2 AND since < $4 AND (until IS NULL OR until > $3)
              ORDER BY since DESC LIMIT $5) i
     UNION ALL
     SELECT NULL, NULL, NULL, NULL, false, EXISTS (SELECT 1 FROM data_agg_state WHERE canonical_symbol = $1 AND timeframe = $2)
     ORDER BY 2 NULLS LAST`,
    [symbol, timeframe, from, to, limit],
  );
  const marker = rows.pop();
  if (rows.length === 0 && !marker?.registered) return null;
  return rows.map(({ state, since, until, reason, flapping }) => ({ state, since, until, reason, flapping }));
}
