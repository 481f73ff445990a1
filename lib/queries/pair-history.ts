import { query } from '../server/db';
import type { RunRecord } from '../shared/types';
import { RUN_COLUMNS, toRunRecord, type RunDbRow } from './run-columns';

/** The newest `count` runs of a pair, returned oldest first (the order charts draw in). */
export async function fetchPairHistory(symbol: string, timeframe: string, count: number): Promise<RunRecord[]> {
  const rows = await query<RunDbRow>(
    'pair-history',
    `SELECT * FROM (
       SELECT ${RUN_COLUMNS}
         FROM data_agg_runs r
        WHERE r.canonical_symbol = $1 AND r.timeframe = $2
        ORDER BY r.run_id DESC
        LIMIT $3
     ) newest
     ORDER BY run_id`,
    [symbol, timeframe, count],
  );
  return rows.map(toRunRecord);
}
