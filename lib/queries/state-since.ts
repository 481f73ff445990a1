import { query } from '../server/db';
import { iso } from './frontier-columns';

/** Recorded and observed state of every pair (pair_state_current, sql/010), keyed "symbol\ttimeframe". */
export interface PairStateSince {
  state: string;
  stateSince: string;
  observedState: string;
  observedSince: string;
}

interface Row {
  canonical_symbol: string;
  timeframe: string;
  state: string;
  state_since: string;
  observed_state: string;
  observed_since: string;
}

export const pairKey = (symbol: string, timeframe: string) => `${symbol}\t${timeframe}`;

export async function fetchStateSince(): Promise<Map<string, PairStateSince>> {
  const rows = await query<Row>(
    'state-since',
    `SELECT canonical_symbol, timeframe, state, ${iso('state_since')}, observed_state, ${iso('observed_since')}
       FROM pair_state_current`,
  );
  const byPair = new Map<string, PairStateSince>();
  for (const row of rows) {
    byPair.set(pairKey(row.canonical_symbol, row.timeframe), {
      state: row.state, stateSince: row.state_since, observedState: row.observed_state, observedSince: row.observed_since,
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
