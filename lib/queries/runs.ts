// A pair's runs (data_agg_runs): the recent history for its charts and the paged list.
import { query } from '../server/db';
import type { RunRecord } from '../shared/types';

/** The data_agg_runs columns the API shows; the one place they are mapped to camelCase. */
export const RUN_COLUMNS = 'r.run_id, r.started_at_utc, r.finished_at_utc, r.ok, r.result, r.error';

export interface RunDbRow {
  run_id: number;
  started_at_utc: Date;
  finished_at_utc: Date;
  ok: boolean;
  result: unknown;
  error: string | null;
}

function asObject(value: unknown): Record<string, unknown> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function toRunRecord(row: RunDbRow): RunRecord {
  return {
    runId: row.run_id,
    startedAtUtc: row.started_at_utc.toISOString(),
    finishedAtUtc: row.finished_at_utc.toISOString(),
    ok: row.ok,
    result: asObject(row.result),
    error: row.error,
  };
}

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
