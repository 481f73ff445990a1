import { env } from '../server/env';
import { fetchTimeframes, type Timeframe } from '../queries/frontier';
import { log } from '../server/log';
import { processWide } from '../server/process-wide';
import { SingleFlightCache } from './cache';
import { buildSnapshot, versionOfSnapshot, type HealthSnapshot } from './snapshot-build';
import { buildInThread, SnapshotThreadUnavailable, stopSnapshotThread } from './snapshot-worker';

export {
  healthConfig,
  readReplication,
  snapshotVersion,
  type HealthConfig,
  type HealthSnapshot,
} from './snapshot-build';

/*
 * The health of every pair, derived once per database round trip and shared by the list, the
 * summary and the metrics. Filtering and sorting happen in memory on this snapshot. It is built
 * in the snapshot thread (lib/api/snapshot-worker.ts) unless SNAPSHOT_THREAD=off.
 */

/** Short enough that the wall's "updated N s ago" stays honest, long enough to absorb bursts. */
export const SNAPSHOT_TTL_MS = 2_000;
/**
 * A snapshot that took long to build stays fresh longer: its TTL is this many times its build
 * time (at least SNAPSHOT_TTL_MS, at most SNAPSHOT_MAX_TTL_MS), so rebuilding takes at most about
 * a fifth of the time however many pairs there are and however busy the machine is. At 30,000
 * pairs a build is 0.6–0.8 s on a quiet machine (TTL 2.4–3.2 s) and 1–4 s while the worker
 * runs (4–15 s). Each rebuild is about 1.3 CPU-s of the dashboard's (its threads and garbage
 * collection); back to back with a page load it doubled that page's time to its first byte
 * (docs/PERFORMANCE.md §9). The answers say their age ("Updated N s ago").
 */
export const REBUILD_SPACING = 4;
/** One overview poll interval: a poll never gets a snapshot older than this plus SNAPSHOT_STALE_MS. */
export const SNAPSHOT_MAX_TTL_MS = 15_000;

/** The TTL of a snapshot that took buildMs to build (REBUILD_SPACING). */
export function snapshotTtlMs(buildMs: number): number {
  return Math.min(SNAPSHOT_MAX_TTL_MS, Math.max(SNAPSHOT_TTL_MS, Math.round(REBUILD_SPACING * buildMs)));
}
/**
 * Past its TTL a snapshot is still served for this long while one rebuild runs in the
 * background: at 30,000 pairs a rebuild takes about a second, and no request should wait it.
 */
export const SNAPSHOT_STALE_MS = 4_000;
/**
 * What a first look (a request without If-None-Match: a page just opened, a new filter or
 * search, a scrolled window) takes instead of waiting for a rebuild: a snapshot up to TTL + this
 * old, while one rebuild runs behind it; the asker's next poll (with its ETag) waits for that
 * one. A search typed into an open tab found the snapshot up to a poll interval plus a rebuild
 * old (15 s + 1–5 s at 30,000 pairs under the worker's load), and with 13 s here it waited
 * 2–3 s for a rebuild (measured, docs/PERFORMANCE.md §9). The answer says its own age
 * ("Updated N s ago").
 */
export const FIRST_LOOK_STALE_MS = 60_000;
/**
 * What the overview page's HTML takes (lib/api/overview-first-answer.ts): a held snapshot up to
 * five minutes old rather than a wait for a rebuild (1–2 s at 30,000 pairs, 7–10 s at 100,000).
 * The page says how old it is ("Updated N s ago" is the snapshot's own time) and the tab asks
 * for the fresh one as soon as it has hydrated. Taking it starts no rebuild: the tab's request
 * does, so the rebuild does not compete with the page's render for the CPU.
 */
export const PAGE_FIRST_LOOK_STALE_MS = 5 * 60_000;
/** Timeframes change with a migration, not while a page polls. */
const TIMEFRAMES_TTL_MS = 60_000;

/**
 * One per process (lib/server/process-wide.ts): the history writer (instrumentation.ts), the
 * routes and the pages each have their own copy of this module; with a cache per copy the
 * process built the snapshot twice, at the same moments.
 */
export const snapshotCache = processWide(
  'snapshotCache',
  () =>
    new SingleFlightCache<HealthSnapshot>(
      (snapshot) => snapshotTtlMs(buildCosts.get(snapshot) ?? 0),
      1,
      SNAPSHOT_STALE_MS,
    ),
);
const timeframesCache = processWide('timeframesCache', () => new SingleFlightCache<Timeframe[]>(TIMEFRAMES_TTL_MS, 1));

/**
 * What each snapshot took to build, in ms (its TTL: snapshotTtlMs). Process-wide as the cache
 * is: the cache's TTL function belongs to the copy that made it, and a snapshot the routes'
 * copy built had no cost there, so it got the shortest TTL.
 */
const buildCosts = processWide('snapshotBuildCosts', () => new WeakMap<HealthSnapshot, number>());

/** What the snapshot took to build, in ms, if this process built it. */
export function snapshotBuildMs(snapshot: HealthSnapshot): number | undefined {
  return buildCosts.get(snapshot);
}

/**
 * What runs once a new snapshot is in the cache, by name (each copy of a module that registers
 * replaces its other copies' entry): the overview makes the answers it was lately asked for
 * (lib/api/overview.ts), so the first request after a rebuild does not wait for them.
 */
const newSnapshotListeners = processWide(
  'snapshotListeners',
  () => new Map<string, (snapshot: HealthSnapshot) => void>(),
);

export function onNewSnapshot(name: string, listener: (snapshot: HealthSnapshot) => void): void {
  newSnapshotListeners.set(name, listener);
}

/** After the requests that waited for the snapshot have had it: a turn of the event loop later. */
function announce(snapshot: HealthSnapshot): HealthSnapshot {
  setImmediate(() => {
    for (const [name, listener] of newSnapshotListeners)
      try {
        listener(snapshot);
      } catch (error) {
        log.warn('a new snapshot listener failed', { listener: name, error: (error as Error).message });
      }
  });
  return snapshot;
}

async function loadSnapshot(): Promise<HealthSnapshot> {
  const generatedAt = new Date().toISOString();
  if (env().SNAPSHOT_THREAD === 'on') {
    try {
      const { snapshot, buildMs } = await buildInThread(generatedAt);
      buildCosts.set(snapshot, buildMs);
      return announce(snapshot);
    } catch (error) {
      if (!(error instanceof SnapshotThreadUnavailable)) throw error;
    }
  }
  const started = performance.now();
  const snapshot = await buildSnapshot(generatedAt);
  buildCosts.set(snapshot, performance.now() - started);
  return announce(snapshot);
}

const versions = processWide('snapshotVersions', () => new WeakMap<HealthSnapshot, string>());

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
    version = versionOfSnapshot(snapshot);
    versions.set(snapshot, version);
  }
  return version;
}

/**
 * firstLook: the caller has nothing on screen yet and takes a snapshot up to FIRST_LOOK_STALE_MS
 * past its TTL; 'page', the overview page's HTML, up to PAGE_FIRST_LOOK_STALE_MS.
 */
export type FirstLook = boolean | 'page';

export function getHealthSnapshot(options: { firstLook?: FirstLook } = {}): Promise<HealthSnapshot> {
  if (options.firstLook === 'page') {
    const held = snapshotCache.held('all', PAGE_FIRST_LOOK_STALE_MS);
    if (held) return held;
  }
  return snapshotCache.get('all', loadSnapshot, options.firstLook ? FIRST_LOOK_STALE_MS : SNAPSHOT_STALE_MS);
}

export function getTimeframes(): Promise<Timeframe[]> {
  return timeframesCache.get('all', fetchTimeframes);
}

/** For tests that switch databases within one process. */
export function resetSnapshotCaches(): void {
  snapshotCache.clear();
  timeframesCache.clear();
  void stopSnapshotThread(); // the next build starts one with the current settings
}
