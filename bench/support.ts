import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort, startEmbeddedPostgres } from '../lib/server/embedded-postgres';
import { migrateDatabase } from '../lib/server/migrate';

export interface BenchDatabase {
  url: string;
  pool: pg.Pool;
  close: () => Promise<void>;
}

/** A migrated database: BENCH_DATABASE_URL (must be empty) or a throw-away embedded server. */
export async function startBenchDatabase(): Promise<BenchDatabase> {
  const given = process.env.BENCH_DATABASE_URL;
  let stop = async () => {};
  let url = given;
  if (!url) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-bench-'));
    chmodSync(dir, 0o755);
    // Durable settings (fsync on), as a production server runs; the directory goes afterwards.
    const server = await startEmbeddedPostgres({ dataDir: path.join(dir, 'data'), persistent: true });
    url = server.url;
    stop = async () => {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  await migrateDatabase(url);
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => {}); // idle clients see the server stop at the end
  return {
    url,
    pool,
    close: async () => {
      await pool.end();
      await stop();
    },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Milliseconds one call takes, measured on the wall clock. */
export async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

export const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

export interface RunningDashboard {
  base: string;
  /** the process group of `next start` (npx and the server it runs): its CPU is read from /proc */
  pgid: number;
  stop: () => void;
}

/**
 * The built dashboard (`next build` first when there is no build) on a free 127.0.0.1 port,
 * against the given database, ready when /api/healthz answers. Access rules off: the
 * benchmarks measure the pages and the API, not authentication.
 */
export async function startDashboard(databaseUrl: string): Promise<RunningDashboard> {
  if (!existsSync('.next/BUILD_ID')) {
    console.log('building the dashboard (next build)…');
    if (spawnSync('npx', ['next', 'build'], { stdio: 'inherit' }).status !== 0) throw new Error('next build failed');
  }
  const port = await freePort();
  const server = spawn('npx', ['next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      NODE_ENV: 'production',
      LOG_LEVEL: process.env.BENCH_DASHBOARD_LOG_LEVEL ?? 'warn',
      NEXT_TELEMETRY_DISABLED: '1',
      BASIC_AUTH_USER: '',
      BASIC_AUTH_PASSWORD: '',
      KIOSK_TOKEN: '',
    },
    // BENCH_DASHBOARD_LOG=file keeps the server's log (warnings and errors), appended.
    stdio: process.env.BENCH_DASHBOARD_LOG
      ? ['ignore', openSync(process.env.BENCH_DASHBOARD_LOG, 'a'), openSync(process.env.BENCH_DASHBOARD_LOG, 'a')]
      : 'ignore',
    detached: true,
  });
  const stop = () => {
    if (server.pid && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
  };
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitForServer(`${base}/api/healthz`, server);
  } catch (error) {
    stop();
    throw error;
  }
  return { base, pgid: server.pid!, stop };
}

async function waitForServer(url: string, child: ChildProcess): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 60_000;) {
    if (child.exitCode !== null) throw new Error(`next start exited with ${child.exitCode}`);
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error('the dashboard did not become ready within 60 s');
}

/** The baseline of the catch-up and audit benches: one set-based INSERT … SELECT … GROUP BY date_bin. */
export const BASELINE_SQL = `
  INSERT INTO bench_bars_agg (canonical_symbol, timeframe, ts_utc, open, high, low, close, volume, source_count)
  SELECT $1, $2, date_bin(t.step, b.ts_utc, '2000-01-01 00:00:00+00'),
         (array_agg(b.open ORDER BY b.ts_utc))[1], max(b.high), min(b.low),
         (array_agg(b.close ORDER BY b.ts_utc DESC))[1], sum(b.volume), count(*)
    FROM bars_1m b, agg_timeframes t
   WHERE t.timeframe = $2 AND b.canonical_symbol = $1 AND b.ts_utc >= $3 AND b.ts_utc < $4
   GROUP BY 3`;

/** Times `work` in a transaction that is rolled back, so every repetition starts from the same rows. */
export async function inRolledBackTransaction(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<unknown>,
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    return await timed(() => work(client));
  } finally {
    await client.query('ROLLBACK');
    client.release();
  }
}

/**
 * `days` of one minute bars for `symbol` from `from` (a smooth wave, volume 1..97), after
 * deleting its old ones; and the scratch copy of bars_agg that the set-based baselines fill.
 */
export async function seedMinuteBars(pool: pg.Pool, symbol: string, from: string, days: number): Promise<void> {
  await pool.query(`CREATE TABLE IF NOT EXISTS bench_bars_agg (LIKE bars_agg INCLUDING ALL)`);
  await pool.query(`DELETE FROM bars_1m WHERE canonical_symbol = $1`, [symbol]);
  await pool.query(
    `
    INSERT INTO bars_1m (canonical_symbol, ts_utc, open, high, low, close, volume)
    SELECT $1, ts, p, p + 0.0005, p - 0.0005, p + 0.0001, (g % 97) + 1
      FROM (SELECT g, $2::timestamptz + g * interval '1 minute' AS ts,
                   round((1.1 + 0.01 * sin(g / 300.0))::numeric, 5) AS p
              FROM generate_series(0, $3 * 1440 - 1) g) s`,
    [symbol, from, days],
  );
}
