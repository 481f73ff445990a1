import { createHash } from 'node:crypto';
import { env } from '../server/env';
import { compareWorstFirst, derivePairHealth, thresholdsFromConfig } from '../health/rules';
import { clockFreeRow } from '../health/clock';
import { markUnconfirmed, replicationFrom, rowAtDataAsOf } from '../health/replication';
import { fetchReplicationFacts } from '../queries/replication';
import { withoutHistoryIfMissing } from '../queries/history';
import {
  fetchFrontierRows,
  fetchStateSince,
  pairKey,
  stateSinceFor,
  type PairStateSince,
  fetchTimeframes,
  type Timeframe,
} from '../queries/frontier';
import type { FrontierRow, HealthThresholds, PairHealth, ReplicationStatus } from '../shared/types';
import { SingleFlightCache } from './cache';

/**
 * The health of every pair, derived once per database round trip and shared by the list, the
 * summary and the metrics. Filtering and sorting happen in memory on this snapshot.
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

/** Short enough that the wall's "updated N s ago" stays honest, long enough to absorb bursts. */
export const SNAPSHOT_TTL_MS = 2_000;
/**
 * Past its TTL a snapshot is still served for this long while one rebuild runs in the
 * background: at 30,000 pairs a rebuild takes about a second, and no request should wait it.
 */
export const SNAPSHOT_STALE_MS = 4_000;
/**
 * What a first look (a request without If-None-Match: a page just opened, a new filter or
 * search) takes instead of waiting for a rebuild: a snapshot up to TTL + this old, one overview
 * poll interval (15 s), which is no older than what a viewer already polling has on screen. Its own polls
 * then wait for a fresh one as before. At 30,000 pairs a rebuild takes 1–2 s; without this, a
 * page opened more than TTL + SNAPSHOT_STALE_MS after the last request waited for one.
 */
export const FIRST_LOOK_STALE_MS = 13_000;
/**
 * The health rules run over this many rows at a time, then the event loop takes its turn: at
 * 30,000 pairs they are several hundred milliseconds of CPU that would otherwise hold up every
 * other request (pages, scripts, answers from the held snapshot) until they are done.
 */
const RULES_SLICE = 1_000;
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
/** Timeframes change with a migration, not while a page polls. */
const TIMEFRAMES_TTL_MS = 60_000;

export const snapshotCache = new SingleFlightCache<HealthSnapshot>(SNAPSHOT_TTL_MS, 1, SNAPSHOT_STALE_MS);
const timeframesCache = new SingleFlightCache<Timeframe[]>(TIMEFRAMES_TTL_MS, 1);

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

async function loadSnapshot(): Promise<HealthSnapshot> {
  const { thresholds, runIntervalMinutes } = healthConfig();
  const generatedAt = new Date().toISOString();
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
  for (let start = 0; start < frontier.length; start += RULES_SLICE) {
    if (start > 0) await nextTurn();
    for (const row of frontier.slice(start, start + RULES_SLICE)) {
      const health = derivePairHealth(rowAtDataAsOf(row, replication, markets), thresholds, runIntervalMinutes);
      health.state_since = stateSinceFor(health.state, since.get(pairKey(row.symbol, row.timeframe)));
      rows.push(markUnconfirmed(health, replication));
    }
  }
  await nextTurn();
  rows.sort(compareWorstFirst);
  return { generatedAt, thresholds, runIntervalMinutes, history: since, rows, replication };
}

const versions = new WeakMap<HealthSnapshot, string>();

/**
 * A fingerprint of everything the snapshot's rows are made of except the clock
 * (lib/health/clock.ts): equal for two snapshots when the newer one is the older one with its
 * ages moved on. The list's ETag is built on it, so a poll that finds nothing changed is
 * answered 304. Made on first use (the list asks; the summary and the metrics do not), once
 * per snapshot.
 */
export function snapshotVersionOf(snapshot: HealthSnapshot): string {
  let version = versions.get(snapshot);
  if (version === undefined) {
    version = snapshotVersion(
      snapshot.rows,
      snapshot.history,
      { thresholds: snapshot.thresholds, runIntervalMinutes: snapshot.runIntervalMinutes },
      replicationVersion(snapshot),
    );
    versions.set(snapshot, version);
  }
  return version;
}

/**
 * sha1 over the rows without their clock-driven fields and verdicts, their history entries and
 * the rules' settings. Sorted first: the frontier query has no ORDER BY (a parallel plan returns
 * rows in any order), and the same rows must give the same version in every process.
 */
/**
 * The replication object's part of the version. Data from a standby that is behind is measured
 * at dataAsOf, not moved on by the clock, so such an answer is never brought forward in the
 * browser (healthListAsOf): its generatedAt is in the version and every poll gets a full answer.
 */
function replicationVersion(snapshot: HealthSnapshot): string {
  const { role, replayPaused, stale, lagSeconds } = snapshot.replication;
  if (role === 'primary') return 'primary';
  return JSON.stringify([role, replayPaused, stale, lagSeconds === 0 ? 0 : snapshot.generatedAt]);
}

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

/** firstLook: the caller has nothing on screen yet and takes a snapshot up to FIRST_LOOK_STALE_MS past its TTL. */
export function getHealthSnapshot(options: { firstLook?: boolean } = {}): Promise<HealthSnapshot> {
  return snapshotCache.get('all', loadSnapshot, options.firstLook ? FIRST_LOOK_STALE_MS : SNAPSHOT_STALE_MS);
}

export function getTimeframes(): Promise<Timeframe[]> {
  return timeframesCache.get('all', fetchTimeframes);
}

/** For tests that switch databases within one process. */
export function resetSnapshotCaches(): void {
  snapshotCache.clear();
  timeframesCache.clear();
}
