import { query } from '../server/db';
import type { RunRecord } from '../shared/types';
import { RUN_COLUMNS, toRunRecord, type RunDbRow } from './run-columns';

type PairRunDbRow = { [K in keyof RunDbRow]: RunDbRow[K] | null };

/**
 * A page of a pair's runs, newest first, with run_id < before (keyset paging on the
 * (symbol, timeframe, run_id DESC) index). null when the pair is not registered: the state row
 * is the driving table, so "unknown pair" and "no runs yet" take one round trip to tell apart.
 */
export async function fetchPairRuns(
  symbol: string,
  timeframe: string,
  before: number | null,
  limit: number,
): Promise<RunRecord[] | null> {
  const rows = await query<PairRunDbRow>(
    'pair-runs',
    `SELECT ${RUN_COLUMNS}
       FROM data_agg_state s
       LEFT JOIN LATERAL (
         SELECT * FROM data_agg_runs r
          WHERE r.canonical_symbol = s.canonical_symbol AND r.timeframe = s.timeframe
            AND ($3::bigint IS NULL OR r.run_id < $3)
          ORDER BY r.run_id DESC
          LIMIT $4
       ) r ON true
      WHERE s.canonical_symbol = $1 AND s.timeframe = $2
      ORDER BY r.run_id DESC`,
    [symbol, timeframe, before, limit],
  );
  if (rows.length === 0) return null;
  return rows.filter(isRun).map(toRunRecord);
}

/** The LEFT JOIN yields one all-NULL row for a registered pair without runs. */
function isRun(row: PairRunDbRow): row is RunDbRow {
  return row.run_id !== null && row.started_at_utc !== null && row.finished_at_utc !== null && row.ok !== null;
}
