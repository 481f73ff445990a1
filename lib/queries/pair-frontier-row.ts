import { query } from '../server/db';
import type { FrontierRow } from '../shared/types';
import { FRONTIER_SELECT, toFrontierRow, type FrontierDbRow } from './frontier-columns';

/** One pair's frontier row, or null when the pair is not registered. */
export async function fetchPairFrontierRow(symbol: string, timeframe: string): Promise<FrontierRow | null> {
  const rows = await query<FrontierDbRow>(
    'pair-frontier-row',
    `${FRONTIER_SELECT}
 WHERE s.canonical_symbol = $1 AND s.timeframe = $2`,
    [symbol, timeframe],
  );
  return rows[0] ? toFrontierRow(rows[0]) : null;
}
