// The worker processes' heartbeats (worker_heartbeats, sql/014).
import { errorCode } from '../server/db-errors';
import { query } from '../server/db';

export interface HeartbeatDbRow {
  worker_id: string;
  host: string;
  pid: number;
  version: string;
  started_at_utc: Date;
  beat_utc: Date;
  age_seconds: number;
}

/** Newest beat first; ages on the database's clock. Empty when sql/014 is not applied yet. */
export async function fetchHeartbeats(): Promise<HeartbeatDbRow[]> {
  try {
    return await query<HeartbeatDbRow>(
      'worker-heartbeats',
      `SELECT worker_id, host, pid, version, started_at_utc, beat_utc,
              extract(epoch FROM now() - beat_utc)::float8 AS age_seconds
         FROM worker_heartbeats
        ORDER BY beat_utc DESC
        LIMIT 200`,
    );
  } catch (error) {
    if (errorCode(error) === '42P01') return [];
    throw error;
  }
}
