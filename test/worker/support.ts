import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import type { MinuteBar } from '../support/bars';
import { parseOpsArgs, runOpsCommand } from '../../lib/ops/commands';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { UsageError } from '../../lib/ops/errors';
import { createWorkerPool } from '../../lib/worker/pool';
import type { Logger } from '../../lib/server/log';
import { Worker, type WorkerSettings } from '../../lib/worker/worker';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
export const TIMEFRAMES: Array<[string, number]> = [
  ['5m', 5],
  ['15m', 15],
  ['30m', 30],
  ['1h', 60],
  ['4h', 240],
  ['1d', 1440],
];
const EPOCH_2000 = Date.UTC(2000, 0, 1);
export const MINUTE = 60_000;

/** What `npm run ops --` says to these arguments: its usage error's message, or 'accepted'. */
export function usageErrorOf(argv: string[]): string {
  try {
    parseOpsArgs(argv);
  } catch (error) {
    return error instanceof UsageError ? error.message : `not a usage error: ${String(error)}`;
  }
  return 'accepted';
}

export interface OpsDatabase {
  /** The suite's database (set in beforeAll). */
  readonly db: TestDatabase;
  /** The owner's connection `npm run ops` holds. */
  readonly client: pg.Client;
  /** `npm run ops -- ...argv`: the lines it prints. */
  run: (...argv: string[]) => Promise<string[]>;
}

/**
 * A database of its own for a suite of `npm run ops` commands, seeded by `seed` (SQL that
 * registers the suite's pairs), and the owner's connection the commands use.
 */
export function useOpsDatabase(seed: string): OpsDatabase {
  let db: TestDatabase | undefined;
  let client: pg.Client | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await db.sql(seed);
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });
  return {
    get db() {
      return db!;
    },
    get client() {
      return client!;
    },
    run: (...argv) => runOpsCommand(client!, parseOpsArgs(argv)),
  };
}

export function floorMinute(ms: number): number {
  return Math.floor(ms / MINUTE) * MINUTE;
}

export function windowStart(stepMinutes: number, ms: number): number {
  const step = stepMinutes * MINUTE;
  return EPOCH_2000 + Math.floor((ms - EPOCH_2000) / step) * step;
}

export interface LogLine {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps its lines for assertions. */
export function captureLogger(): Logger & { lines: LogLine[]; count: (message: string) => number } {
  const lines: LogLine[] = [];
  const push =
    (level: LogLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}) => {
      lines.push({ level, message, fields });
    };
  return {
    lines,
    info: push('info'),
    warn: push('warn'),
    error: push('error'),
    count: (message) => lines.filter((line) => line.message.startsWith(message)).length,
  };
}

export const FAST: WorkerSettings = {
  intervalMs: 20,
  maxWindows: 1000,
  graceMinutes: 1,
  concurrency: 2,
  retentionDays: 7,
  pruneEveryPasses: 1_000,
  pruneBatchSize: 5_000,
  pruneMaxBatches: 10,
  backoffMaxMs: 500,
  // A failing pair is retried at once here; test/worker/backoff.test.ts tests the backoff.
  retryBackoff: { baseSeconds: 0.001, capSeconds: 0.001 },
};

/** A worker with a pool of its own, as a separate worker process would have. */
export function makeWorker(url: string, settings: Partial<WorkerSettings> = {}, logger = captureLogger()) {
  const merged = { ...FAST, ...settings };
  const pool = createWorkerPool({
    connectionString: url,
    concurrency: merged.concurrency,
    statementTimeoutMs: 30_000,
    connectTimeoutMs: 2_000,
  });
  const worker = new Worker(pool, merged, logger);
  return {
    worker,
    pool,
    logger,
    close: async () => {
      await worker.stop();
      await pool.end();
    },
  };
}

/** Polls until check() returns a truthy value; fails with the last value after timeoutMs. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T> | T,
  timeoutMs = 20_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${String(last)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export async function bootstrapAll(pool: pg.Pool, symbols: string[]): Promise<void> {
  await pool.query(
    `SELECT bootstrap_aggregation_cursor(s, t.timeframe) FROM unnest($1::text[]) s CROSS JOIN agg_timeframes t`,
    [symbols],
  );
}

/**
 * Checks a finished catch-up against the generated source, independently of the SQL:
 *  - every ok run of a pair starts where the previous one ended (no window run twice or skipped),
 *  - each cursor is the last complete window, given the frontier and grace,
 *  - bars_agg equals an aggregation of the bars computed here, and holds nothing past the cursor.
 */
export async function expectExactCatchUp(
  pool: pg.Pool,
  bars: MinuteBar[],
  nowMs: number,
  graceMinutes = 1,
): Promise<void> {
  const bySymbol = new Map<string, MinuteBar[]>();
  for (const bar of bars) bySymbol.set(bar.symbol, [...(bySymbol.get(bar.symbol) ?? []), bar]);

  const runs = await pool.query<{
    canonical_symbol: string;
    timeframe: string;
    start: string;
    cursor: string;
    windows: number;
  }>(
    `SELECT canonical_symbol, timeframe, result->>'start_cursor_utc' AS start, result->>'cursor_utc' AS cursor,
            (result->>'windows_processed')::int AS windows
       FROM data_agg_runs WHERE ok ORDER BY run_id`,
  );
  const chains = new Map<string, Array<{ start: number; cursor: number; windows: number }>>();
  for (const run of runs.rows) {
    const key = `${run.canonical_symbol}/${run.timeframe}`;
    chains.set(key, [
      ...(chains.get(key) ?? []),
      { start: Date.parse(run.start), cursor: Date.parse(run.cursor), windows: run.windows },
    ]);
  }
  const stored = await pool.query<{
    canonical_symbol: string;
    timeframe: string;
    ts_utc: Date;
    open: string;
    high: string;
    low: string;
    close: string;
    volume: string;
    source_count: number;
  }>('SELECT canonical_symbol, timeframe, ts_utc, open, high, low, close, volume, source_count FROM bars_agg');
  const storedByKey = new Map(
    stored.rows.map((row) => [`${row.canonical_symbol}/${row.timeframe}/${row.ts_utc.getTime()}`, row]),
  );
  const states = await pool.query<{ canonical_symbol: string; timeframe: string; cursor: Date }>(
    'SELECT canonical_symbol, timeframe, last_agg_bar_ts_utc AS cursor FROM data_agg_state',
  );

  let expectedRows = 0;
  for (const state of states.rows) {
    const source = bySymbol.get(state.canonical_symbol) ?? [];
    const step = TIMEFRAMES.find(([tf]) => tf === state.timeframe)![1];
    const frontier = Math.max(...source.map((bar) => bar.ts.getTime()));
    const first = Math.min(...source.map((bar) => bar.ts.getTime()));
    const bootstrap = windowStart(step, first) - step * MINUTE;
    const expectedCursor =
      windowStart(step, Math.min(nowMs - graceMinutes * MINUTE, frontier + MINUTE)) - step * MINUTE;
    const key = `${state.canonical_symbol}/${state.timeframe}`;
    expect(state.cursor.getTime(), `cursor of ${key}`).toBe(Math.max(bootstrap, expectedCursor));

    const chain = chains.get(key) ?? [];
    let position = bootstrap;
    for (const run of chain) {
      expect(run.start, `run chain of ${key}`).toBe(position);
      expect(run.windows, `windows of a run of ${key}`).toBe((run.cursor - run.start) / (step * MINUTE));
      position = run.cursor;
    }
    expect(position, `last run of ${key} ends at the cursor`).toBe(state.cursor.getTime());

    const windows = new Map<number, MinuteBar[]>();
    for (const bar of source) {
      const ws = windowStart(step, bar.ts.getTime());
      if (ws <= state.cursor.getTime()) windows.set(ws, [...(windows.get(ws) ?? []), bar]);
    }
    for (const [ws, group] of windows) {
      const sorted = group.sort((a, b) => a.ts.getTime() - b.ts.getTime());
      const row = storedByKey.get(`${key}/${ws}`);
      expect(row, `bars_agg row ${key} ${new Date(ws).toISOString()}`).toBeDefined();
      expect(
        {
          open: Number(row!.open),
          high: Number(row!.high),
          low: Number(row!.low),
          close: Number(row!.close),
          volume: Number(row!.volume),
          n: Number(row!.source_count),
        },
        `${key} ${new Date(ws).toISOString()}`,
      ).toEqual({
        open: sorted[0]!.open,
        high: Math.max(...sorted.map((b) => b.high)),
        low: Math.min(...sorted.map((b) => b.low)),
        close: sorted[sorted.length - 1]!.close,
        volume: sorted.reduce((sum, b) => sum + b.volume, 0),
        n: sorted.length,
      });
      expectedRows += 1;
    }
  }
  expect(stored.rows.length, 'bars_agg holds exactly the windows up to the cursors').toBe(expectedRows);
}

export interface ChildWorker {
  child: ChildProcess;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** `npm run worker` as a separate process (node --import tsx, so that signals reach it directly). */
export function spawnWorker(url: string, env: Record<string, string> = {}): ChildWorker {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/worker.ts'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => output, exited };
}
