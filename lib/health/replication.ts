import type { FrontierRow, PairHealth, ReplicationStatus } from '../shared/types';
import { rowAsOf } from './clock';

/**
 * How old the data read from a standby is (docs/RELIABILITY.md, "Reading from a standby").
 * Pure: lib/queries/replication.ts reads the facts, this turns them into the API's object.
 *
 * - A primary's data is current: lag 0.
 * - A standby whose WAL receiver is streaming, whose replay is not paused and has applied all
 *   WAL received holds everything the primary has sent: current too (its now()). An idle primary
 *   sends nothing, and that is not lag.
 * - Otherwise (replay paused or behind, receiver not streaming: the primary is gone or cut off)
 *   the data is as of the newest primary-side time known applied: the later of the last replayed
 *   commit (pg_last_xact_replay_timestamp()) and the newest worker heartbeat, which every worker
 *   commits on the primary every pass. A dead primary's lag so grows from about when it died,
 *   not from the last time a bar changed.
 */
export interface ReplicationFacts {
  inRecovery: boolean;
  /** the database's now() */
  nowUtc: string;
  replayPaused: boolean;
  /** pg_stat_wal_receiver.status; null when no receiver runs (or the role may not see it) */
  receiverStatus: string | null;
  /** replay LSN >= received LSN */
  replayedAllReceived: boolean;
  lastReplayUtc: string | null;
  newestBeatUtc: string | null;
}

const later = (a: string | null, b: string | null) => (a === null ? b : b === null || a >= b ? a : b);

export function replicationFrom(facts: ReplicationFacts, staleSeconds: number): ReplicationStatus {
  if (!facts.inRecovery) {
    return { role: 'primary', lagSeconds: 0, replayPaused: false, stale: false, dataAsOf: facts.nowUtc };
  }
  const current = facts.receiverStatus === 'streaming' && !facts.replayPaused && facts.replayedAllReceived;
  // Both timestamps are ISO-8601 UTC with milliseconds: text order is time order.
  const replayed = later(facts.lastReplayUtc, facts.newestBeatUtc);
  const dataAsOf = current ? facts.nowUtc : replayed;
  // A primary clock ahead of the standby's must not make negative lag.
  const lagSeconds =
    dataAsOf === null ? null : Math.max(0, Math.round((Date.parse(facts.nowUtc) - Date.parse(dataAsOf)) / 100) / 10);
  return {
    role: 'standby',
    lagSeconds,
    replayPaused: facts.replayPaused,
    stale: lagSeconds === null || lagSeconds > staleSeconds,
    dataAsOf: dataAsOf === null ? null : lagSeconds === 0 ? facts.nowUtc : dataAsOf,
  };
}

/**
 * A row's ages measured at dataAsOf instead of the replica's now(): the view counts them from the
 * replica's clock, which runs on while the data it reads does not.
 */
export function rowAtDataAsOf<T extends FrontierRow>(
  row: T,
  replication: ReplicationStatus,
  markets?: Parameters<typeof rowAsOf>[2],
): T {
  if (!replication.lagSeconds) return row;
  return rowAsOf(row, -replication.lagSeconds / 60, markets);
}

/** What the pages show for a pair derived OK on stale replica data: it is not confirmed. */
export function markUnconfirmed(pair: PairHealth, replication: ReplicationStatus): PairHealth {
  if (!replication.stale || pair.state !== 'OK') return pair;
  const behind =
    replication.lagSeconds === null ? 'of unknown age' : `${Math.round(replication.lagSeconds)} s behind the primary`;
  pair.unconfirmed = true;
  pair.reason = `OK on replica data ${behind}: not confirmed`;
  pair.reasons = [pair.reason];
  return pair;
}
