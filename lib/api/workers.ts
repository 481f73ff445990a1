import { fetchHeartbeats, type HeartbeatDbRow } from '../queries/workers';
import { env } from '../server/env';
import type { WorkerHeartbeat, WorkersResponse } from '../shared/types';
import { SingleFlightCache } from './cache';
import { SNAPSHOT_TTL_MS } from './snapshot';

// Every overview and wall polls it: one query per TTL whatever their number.
const cache = new SingleFlightCache<WorkersResponse>(SNAPSHOT_TTL_MS, 1);

/** Pure: the heartbeats as GET /api/workers answers them. A worker beats every pass. */
export function workersResponse(rows: readonly HeartbeatDbRow[], workerIntervalMs: number): WorkersResponse {
  const staleAfterSeconds = (2 * workerIntervalMs) / 1000;
  const workers: WorkerHeartbeat[] = rows.map((row) => ({
    workerId: row.worker_id,
    host: row.host,
    pid: row.pid,
    version: row.version,
    startedAtUtc: row.started_at_utc.toISOString(),
    beatUtc: row.beat_utc.toISOString(),
    ageSeconds: Math.round(row.age_seconds * 10) / 10,
    alive: row.age_seconds <= staleAfterSeconds,
  }));
  const running = workers.some((worker) => worker.alive);
  const lastBeatUtc = workers[0]?.beatUtc ?? null;
  return { workers, staleAfterSeconds, running, lastBeatUtc, noWorkerSince: running ? null : lastBeatUtc };
}

export function resetWorkersCache(): void {
  cache.clear();
}

export function listWorkers(): Promise<WorkersResponse> {
  return cache.get('workers', async () => workersResponse(await fetchHeartbeats(), env().WORKER_INTERVAL_MS));
}
