// Whether the dashboard's reads come from a standby, and the facts that say how old they are
// (lib/health/replication.ts turns them into the API's replication object).
import type { ReplicationFacts } from '../health/replication';
import { query } from '../server/db';
import { iso } from './frontier';

interface ReplicationDbRow {
  in_recovery: boolean;
  now_utc: string;
  replay_paused: boolean;
  receiver_status: string | null;
  replayed_all_received: boolean;
  last_replay_utc: string | null;
  newest_beat_utc: string | null;
}

// pg_stat_wal_receiver's status is visible to pg_read_all_stats (db/roles/dashboard-readonly.sql);
// without it the column is NULL and a standby never counts as current.
const REPLICATION_SELECT = `
SELECT in_recovery, ${iso('now_utc')}, replay_paused, receiver_status, replayed_all_received,
       ${iso('last_replay_utc')}, ${iso('newest_beat_utc')}
  FROM (SELECT pg_is_in_recovery() AS in_recovery, now() AS now_utc,
               -- CASE: on a primary pg_is_wal_replay_paused() raises "recovery is not in progress"
               CASE WHEN pg_is_in_recovery() THEN pg_is_wal_replay_paused() ELSE false END AS replay_paused,
               (SELECT status FROM pg_stat_wal_receiver) AS receiver_status,
               coalesce(pg_last_wal_replay_lsn() >= pg_last_wal_receive_lsn(), false) AS replayed_all_received,
               pg_last_xact_replay_timestamp() AS last_replay_utc,
               (SELECT max(beat_utc) FROM worker_heartbeats) AS newest_beat_utc) r`;

/** One round trip, read alongside the data it describes. */
export async function fetchReplicationFacts(): Promise<ReplicationFacts> {
  const [row] = await query<ReplicationDbRow>('replication', REPLICATION_SELECT);
  return {
    inRecovery: row!.in_recovery,
    nowUtc: row!.now_utc,
    replayPaused: row!.replay_paused,
    receiverStatus: row!.receiver_status,
    replayedAllReceived: row!.replayed_all_received,
    lastReplayUtc: row!.last_replay_utc,
    newestBeatUtc: row!.newest_beat_utc,
  };
}
