// The API's snapshot at N pairs, in process against the bench database: one build (the frontier
// and state_since queries, the health rules, the worst-first sort, the version) against its
// parts measured on the same rows — the version (lib/health/clock.ts' ETag fingerprint), the
// rules alone, and the list's JSON that a 304 saves.
import { getHealthSnapshot, healthConfig, resetSnapshotCaches, snapshotVersionOf } from '../lib/api/snapshot';
import { closePool } from '../lib/server/db';
import { resetEnvCache } from '../lib/server/env';
import { derivePairHealth } from '../lib/health/rules';
import { fetchFrontierRows, fetchStateSince } from '../lib/queries/frontier';
import { median, round, timed, type BenchDatabase } from './support';
import { seedPairs } from './worker-pass';

export interface SnapshotBench {
  pairs: number;
  buildMs: number;
  queriesMs: number;
  rulesMs: number;
  versionMs: number;
  jsonMs: number;
  jsonMb: number;
}

export async function benchSnapshot(db: BenchDatabase, symbols: number, runs: number): Promise<SnapshotBench> {
  await seedPairs(db.pool, symbols, 30, true);
  process.env.DATABASE_URL = db.url;
  process.env.SNAPSHOT_THREAD = 'off'; // the build's parts, in this process (the thread: bench/live.ts)
  resetEnvCache();
  try {
    const build: number[] = [];
    const queries: number[] = [];
    const rules: number[] = [];
    const version: number[] = [];
    const json: number[] = [];
    let jsonChars = 0;
    const { thresholds, runIntervalMinutes } = healthConfig();
    for (let run = 0; run < runs; run += 1) {
      resetSnapshotCaches();
      build.push(await timed(() => getHealthSnapshot()));
      let frontier: Awaited<ReturnType<typeof fetchFrontierRows>> = [];
      queries.push(
        await timed(async () => {
          [frontier] = await Promise.all([fetchFrontierRows(), fetchStateSince()]);
        }),
      );
      rules.push(
        await timed(async () => {
          frontier.map((row) => derivePairHealth(row, thresholds, runIntervalMinutes));
        }),
      );
      version.push(
        await timed(async () => {
          snapshotVersionOf(await getHealthSnapshot());
        }),
      );
      const snapshot = await getHealthSnapshot();
      json.push(
        await timed(async () => {
          jsonChars = JSON.stringify(snapshot).length;
        }),
      );
    }
    return {
      pairs: symbols * 6,
      buildMs: Math.round(median(build)),
      queriesMs: Math.round(median(queries)),
      rulesMs: Math.round(median(rules)),
      versionMs: Math.round(median(version)),
      jsonMs: Math.round(median(json)),
      jsonMb: round(jsonChars / 1e6, 1),
    };
  } finally {
    delete process.env.SNAPSHOT_THREAD; // the dashboards of later benches run with their default
    resetEnvCache();
    await closePool();
  }
}
