import { query } from '../server/db';
import { iso } from './frontier-columns';
import type { PairStateSince } from './state-since';

/** One pair's recorded and observed state (pair_state_current), or undefined. */
export async function fetchPairStateSince(symbol: string, timeframe: string): Promise<PairStateSince | undefined> {
  const rows = await query<{ state: string; state_since: string; observed_state: string; observed_since: string }>(
    'pair-state-since',
    `SELECT state, ${iso('state_since')}, observed_state, ${iso('observed_since')}
       FROM pair_state_current WHERE canonical_symbol = $1 AND timeframe = $2`,
    [symbol, timeframe],
  );
  const row = rows[0];
  return row && { state: row.state, stateSince: row.state_since, observedState: row.observed_state, observedSince: row.observed_since };
}
