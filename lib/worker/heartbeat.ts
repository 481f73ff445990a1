import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type pg from 'pg';

/** Who this worker process is, in worker_heartbeats (sql/014). */
export interface WorkerIdentity {
  workerId: string;
  host: string;
  pid: number;
  version: string;
  startedAt: Date;
}

function packageVersion(): string {
  try {
    const file = path.resolve(import.meta.dirname, '..', '..', 'package.json');
    return String((JSON.parse(readFileSync(file, 'utf8')) as { version?: unknown }).version ?? 'unknown');
  } catch {
    return 'unknown';
  }
}

export function workerIdentity(): WorkerIdentity {
  const host = os.hostname();
  return {
    workerId: `${host}:${process.pid}:${randomBytes(3).toString('hex')}`,
    host,
    pid: process.pid,
    version: packageVersion(),
    startedAt: new Date(),
  };
}

// Beats older than a day are of processes long gone: dropped by whichever worker beats next.
const BEAT = `
  WITH beat AS (
    INSERT INTO worker_heartbeats (worker_id, host, pid, version, started_at_utc, beat_utc)
    VALUES ($1, $2, $3, $4, $5, now())
    ON CONFLICT (worker_id) DO UPDATE SET beat_utc = now()
  )
  DELETE FROM worker_heartbeats WHERE beat_utc < now() - interval '1 day' AND worker_id <> $1`;

/** One round trip, its own transaction. */
export async function beat(pool: pg.Pool, identity: WorkerIdentity): Promise<void> {
  await pool.query({
    name: 'worker_heartbeat',
    text: BEAT,
    values: [identity.workerId, identity.host, identity.pid, identity.version, identity.startedAt],
  });
}
