import { resetIncidentStatsCache } from '../../lib/api/incident-stats';
import { resetIncidentCaches } from '../../lib/api/incidents';
import { resetPairCaches } from '../../lib/api/pair';
import { resetCurrentAcks } from '../../lib/api/current-acks';
import { resetHealthzCache } from '../../lib/api/healthz';
import { resetSnapshotCaches } from '../../lib/api/snapshot';
import { closePool } from '../../lib/server/db';
import { closeWritePool } from '../../lib/actions/write-pool';
import { resetEnvCache } from '../../lib/server/env';
import { resetMetricsCache } from '../../lib/api/metrics';
import { resetWorkersCache } from '../../lib/api/workers';
import type { TestDatabase } from '../support/database';
import { insertBars, randomWalkBars } from '../support/bars';

/** Points lib/server/db.ts (and every cache in front of it) at another database. */
export async function pointApiAt(url: string, settings: Record<string, string> = {}): Promise<void> {
  await closePool();
  await closeWritePool();
  process.env.DATABASE_URL = url;
  for (const [name, value] of Object.entries(settings)) process.env[name] = value;
  resetEnvCache();
  resetApiCaches();
}

export function resetApiCaches(): void {
  resetSnapshotCaches();
  resetPairCaches();
  resetHealthzCache();
  resetMetricsCache();
  resetIncidentCaches();
  resetIncidentStatsCache();
  resetWorkersCache();
  resetCurrentAcks();
}

export interface Answer<T = unknown> {
  status: number;
  body: T;
  contentType: string | null;
  ms: number;
}

/** Calls a route handler as Next.js would and reads its JSON. */
export async function call<T = unknown>(
  handler: (request: Request, context: { params: Promise<{ symbol: string; timeframe: string }> }) => Promise<Response>,
  path: string,
  params: { symbol: string; timeframe: string } = { symbol: '', timeframe: '' },
): Promise<Answer<T>> {
  const started = performance.now();
  const response = await handler(new Request(`http://127.0.0.1${path}`), { params: Promise.resolve(params) });
  const text = await response.text();
  const ms = performance.now() - started;
  const contentType = response.headers.get('content-type');
  const body = contentType?.includes('json') ? (JSON.parse(text) as T) : (text as T);
  return { status: response.status, body, contentType, ms };
}

export const MINUTE = 60_000;
/** The start of the current 5-minute window: sources end one minute before it. */
export const currentWindow = () => Math.floor(Date.now() / (5 * MINUTE)) * 5 * MINUTE;

export interface PairSetup {
  symbol: string;
  timeframe: string;
  /** complete windows between the cursor and the last complete window; 'null' or 'ahead' */
  cursor: number | 'null' | 'ahead';
  enabled?: boolean;
  successMinutesAgo?: number | null;
  failures?: number;
  lastError?: string | null;
  /** the SQLSTATE and HINT the failure was raised with (sql/012) */
  lastErrorSqlstate?: string | null;
  lastErrorHint?: string | null;
  recentBars?: number[];
}

/** One source bar per symbol at `frontier`: F is all the view needs. */
export async function insertFrontier(db: TestDatabase, symbol: string, frontier: number): Promise<void> {
  await insertBars(db.pool, randomWalkBars(symbol, [new Date(frontier)]));
}

/** Registers a pair with exactly the state the case needs; the cursor is set relative to F. */
export async function registerPair(db: TestDatabase, pair: PairSetup): Promise<void> {
  const recent = pair.recentBars ?? [];
  await db.sql(
    `INSERT INTO data_agg_state (canonical_symbol, timeframe, enabled, last_attempt_utc, last_success_utc,
                                 consecutive_failures, last_error, last_error_utc, total_runs, recent_bars, recent_bars_sum,
                                 last_error_sqlstate, last_error_hint)
     VALUES ($1, $2, $3, now() - make_interval(mins => coalesce($4::int, 0)), now() - make_interval(mins => $4::int),
             $5, $6, CASE WHEN $6::text IS NOT NULL THEN now() END, $7, $8::int[], $9, $10, $11)`,
    [
      pair.symbol,
      pair.timeframe,
      pair.enabled ?? true,
      pair.successMinutesAgo ?? null,
      pair.failures ?? 0,
      pair.lastError ?? null,
      recent.length + (pair.failures ?? 0),
      recent,
      recent.reduce((a, b) => a + b, 0),
      pair.lastErrorSqlstate ?? null,
      pair.lastErrorHint ?? null,
    ],
  );
  if (pair.cursor === 'null') return;
  // 'ahead': two windows past the last complete one, so cursor + step > F + 1 minute.
  const windows = pair.cursor === 'ahead' ? -2 : pair.cursor;
  await db.sql(
    `UPDATE data_agg_state s
        SET last_agg_bar_ts_utc = agg_last_complete_window_start(t.step, 'infinity', 0,
              (SELECT max(ts_utc) FROM bars_1m b WHERE b.canonical_symbol = s.canonical_symbol)) - $3::int * t.step
       FROM agg_timeframes t
      WHERE t.timeframe = s.timeframe AND s.canonical_symbol = $1 AND s.timeframe = $2`,
    [pair.symbol, pair.timeframe, windows],
  );
}
