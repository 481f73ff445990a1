import { createHash } from 'node:crypto';
import { env } from '../server/env';
import { compareWorstFirst, derivePairHealth, thresholdsFromConfig } from '../health/rules';
import { clockFreeRow } from '../health/clock';
import { markUnconfirmed, replicationFrom, rowAtDataAsOf } from '../health/replication';
import { fetchReplicationFacts } from '../queries/replication';
import { withoutHistoryIfMissing } from '../queries/history';
import { fetchFrontierRows, fetchStateSince, pairKey, stateSinceFor, type PairStateSince } from '../queries/frontier';
import type { FrontierRow, HealthThresholds, PairHealth, ReplicationStatus } from '../shared/types';

/**
 * How the health snapshot is built: the frontier and state_since queries, the health rules,
 * the worst-first sort and the version. Runs in the snapshot thread (lib/api/snapshot-thread.ts)
 * or, when that is off or cannot start, in process (lib/api/snapshot.ts); both call this.
 */
export interface HealthSnapshot {
  generatedAt: string;
  thresholds: HealthThresholds;
  runIntervalMinutes: number;
  /** each pair's state-history entry (pair_state_current), keyed by pairKey */
  history: ReadonlyMap<string, PairStateSince>;
  /** worst first (compareWorstFirst) */
  rows: PairHealth[];
  /** where the rows were read and how old they are; ages in the rows are measured at its dataAsOf */
  replication: ReplicationStatus;
}

export interface HealthConfig {
  thresholds: HealthThresholds;
  runIntervalMinutes: number;
}

export function healthConfig(): HealthConfig {
  const config = env();
  return { thresholds: thresholdsFromConfig(config), runIntervalMinutes: config.WORKER_INTERVAL_MS / 60_000 };
}

/** The replication object of the database the reads go to (lib/health/replication.ts). */
export async function readReplication(): Promise<ReplicationStatus> {
  return replicationFrom(await fetchReplicationFacts(), env().HEALTH_REPLICA_STALE_SECONDS);
}

/**
 * In process, the health rules run over this many rows at a time, then the event loop takes its
 * turn: at 30,000 pairs they are several hundred milliseconds of CPU that would otherwise hold up
 * every other request. The snapshot thread has no other requests and passes Infinity.
 */
export const RULES_SLICE = 1_000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** generatedAt: when the caller asked (the cache's clock), so both ways of building agree. */
export async function buildSnapshot(generatedAt: string, slice = RULES_SLICE): Promise<HealthSnapshot> {
  const { thresholds, runIntervalMinutes } = healthConfig();
  // Alongside the rows (a few ms apart: nothing next to lags of seconds); the rows' error, when
  // both fail, is the one that says what is wrong.
  const replicationRead = readReplication();
  replicationRead.catch(() => {});
  const [frontier, since] = await Promise.all([
    fetchFrontierRows(),
    withoutHistoryIfMissing('state_since', fetchStateSince, new Map()),
  ]);
  const replication = await replicationRead;
  const markets = new Map();
  const rows: PairHealth[] = [];
  for (let start = 0; start < frontier.length; start += slice) {
    if (start > 0) await nextTurn();
    for (const row of frontier.slice(start, start + slice)) {
      const health = derivePairHealth(rowAtDataAsOf(row, replication, markets), thresholds, runIntervalMinutes);
      health.state_since = stateSinceFor(health.state, since.get(pairKey(row.symbol, row.timeframe)));
      rows.push(markUnconfirmed(health, replication));
    }
  }
  if (slice !== Infinity) await nextTurn();
  rows.sort(compareWorstFirst);
  return { generatedAt, thresholds, runIntervalMinutes, history: since, rows, replication };
}

/**
 * The replication object's part of the version. Data from a standby that is behind is measured
 * at dataAsOf, not moved on by the clock, so such an answer is never brought forward in the
 * browser (healthListAsOf): its generatedAt is in the version and every poll gets a full answer.
 */
export function replicationVersion(snapshot: HealthSnapshot): string {
  const { role, replayPaused, stale, lagSeconds } = snapshot.replication;
  if (role === 'primary') return 'primary';
  return JSON.stringify([role, replayPaused, stale, lagSeconds === 0 ? 0 : snapshot.generatedAt]);
}

/**
 * sha1 over the rows without their clock-driven fields and verdicts, their history entries and
 * the rules' settings. Sorted first: the frontier query has no ORDER BY (a parallel plan returns
 * rows in any order), and the same rows must give the same version in every process.
 */
export function snapshotVersion(
  rows: readonly FrontierRow[],
  history: ReadonlyMap<string, PairStateSince>,
  config: HealthConfig,
  replication = 'primary',
): string {
  const texts = rows.map((row) => {
    const known = history.get(pairKey(row.symbol, row.timeframe));
    return `${clockFreeRow(row)}\t${known ? JSON.stringify(known) : '-'}\n`;
  });
  texts.sort();
  const hash = createHash('sha1').update(JSON.stringify(config)).update(replication);
  for (const text of texts) hash.update(text);
  return hash.digest('base64url').slice(0, 20);
}

export function versionOfSnapshot(snapshot: HealthSnapshot): string {
  return snapshotVersion(
    snapshot.rows,
    snapshot.history,
    { thresholds: snapshot.thresholds, runIntervalMinutes: snapshot.runIntervalMinutes },
    replicationVersion(snapshot),
  );
}
