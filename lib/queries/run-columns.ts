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
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
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
