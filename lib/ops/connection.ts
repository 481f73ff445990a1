import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../embedded-postgres';
import { migrateDatabase } from '../migrate';
import { EMBEDDED_DATA_DIR } from '../paths';

export interface OpsDatabase {
  url: string;
  /** where the URL came from, for the "using …" line */
  source: 'DATABASE_URL' | 'embedded (running)' | 'embedded (started)';
  close: () => Promise<void>;
}

// The credentials and database name lib/embedded-postgres.ts gives the embedded server.
const EMBEDDED_USER = 'postgres';
const EMBEDDED_PASSWORD = 'postgres';
const EMBEDDED_DATABASE = 'frontier';

export interface RunningEmbedded {
  pid: number;
  port: number;
}

/**
 * The embedded server under .data/ when one is running (npm start): postmaster.pid holds its
 * pid on line 1 and its port on line 4. A second postmaster on the same directory would
 * refuse to start, so commands connect to the running one instead.
 */
export function runningEmbedded(dataDir: string = EMBEDDED_DATA_DIR): RunningEmbedded | undefined {
  let lines: string[];
  try {
    lines = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !Number.isInteger(port) || port <= 0) return undefined;
  try {
    process.kill(pid, 0);
  } catch {
    return undefined; // a stale file from a crash; the server itself is gone
  }
  return { pid, port };
}

export function embeddedUrl(port: number): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
}

/**
 * DATABASE_URL when set; otherwise the embedded database under .data/: the running one, or
 * started (and migrated) for this command and stopped by close().
 */
export async function openOpsDatabase(configuredUrl: string | undefined): Promise<OpsDatabase> {
  if (configuredUrl) return { url: configuredUrl, source: 'DATABASE_URL', close: async () => {} };
  const running = runningEmbedded();
  if (running) return { url: embeddedUrl(running.port), source: 'embedded (running)', close: async () => {} };
  const server = await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR });
  try {
    await migrateDatabase(server.url);
  } catch (error) {
    await server.stop();
    throw new Error('migrating the embedded database failed', { cause: error });
  }
  return { url: server.url, source: 'embedded (started)', close: () => server.stop() };
}
