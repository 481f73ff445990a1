import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../lib/embedded-postgres';
import { migrateDatabase } from '../lib/migrate';

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
    stop = async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); };
  }
  await migrateDatabase(url);
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => {}); // idle clients see the server stop at the end
  return { url, pool, close: async () => { await pool.end(); await stop(); } };
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
