// The dashboard reading a hot standby (DATABASE_READ_URL), on real servers: a PostgreSQL 15
// primary and its pg_basebackup -R standby, the dashboard's reads on the standby as the read-only
// role of db/roles/. Replay is paused on the standby and a pair fails on the primary: the API says
// the data is stale past HEALTH_REPLICA_STALE_SECONDS and does not show the pair healthy, and the
// dashboard's history writer still sees the failure (it observes on the primary). Replay resumed:
// the standby catches up, stale is false, the pair is FAILING. And on a primary: role primary, lag 0.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import pg from 'pg';
import { GET as healthGET } from '../../app/api/health/route';
import { GET as summaryGET } from '../../app/api/health/summary/route';
import { GET as healthzGET } from '../../app/api/healthz/route';
import { GET as metricsGET } from '../../app/api/metrics/route';
import { GET as pairGET } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import { dashboardObserver } from '../../lib/history/dashboard';
import { DEFAULT_THRESHOLDS } from '../../lib/health/rules';
import { closePool } from '../../lib/server/db';
import { migrateDatabase } from '../../lib/server/migrate';
import type {
  HealthListResponse,
  HealthSummaryResponse,
  PairDetailResponse,
  PairHealth,
  ReplicationStatus,
} from '../../lib/shared/types';
import { call, insertFrontier, pointApiAt, registerPair, resetApiCaches, currentWindow } from '../api/support';
import type { TestDatabase } from '../support/database';
import {
  missingPostgres15,
  requirePostgres15,
  startReplicatedCluster,
  waitForReplay,
  type ReplicatedCluster,
} from '../support/postgres15';

const STALE_SECONDS = 2;
const PAIR = { symbol: 'RPL', timeframe: '5m' };
// OK on the primary when it dies (the last test): shown unconfirmed once the standby is stale.
const HEALTHY = { symbol: 'RPD', timeframe: '5m' };

let cluster: ReplicatedCluster | undefined;
let primaryPool: pg.Pool | undefined;
let beating: ReturnType<typeof setInterval> | undefined;
// The test/api helpers' database, on the primary.
const db = {
  pool: { query: (text: string, params?: unknown[]) => primaryPool!.query(text, params) },
  sql: async (text: string, params?: unknown[]) => (await primaryPool!.query(text, params)).rows,
} as unknown as TestDatabase;

beforeAll(async () => {
  if (missingPostgres15()) return;
  cluster = await startReplicatedCluster();
  const { primary } = cluster;
  await primary.sql('CREATE DATABASE pipeline');
  await migrateDatabase(primary.url('pipeline'));
  primaryPool = new pg.Pool({ connectionString: primary.url('pipeline'), max: 3 });
  primaryPool.on('error', () => {});
  await primaryPool.query(readFileSync('db/roles/dashboard-readonly.sql', 'utf8'));
  await insertFrontier(db, PAIR.symbol, currentWindow() - 60_000);
  await registerPair(db, { ...PAIR, cursor: 0, successMinutesAgo: 1 });
  // A worker's heartbeat every pass (here every 300 ms), as lib/worker/heartbeat.ts beats on the primary.
  await primaryPool.query(
    `INSERT INTO worker_heartbeats (worker_id, host, pid, version, started_at_utc, beat_utc)
     VALUES ('test:1:replica', 'test', 1, '0.1.0', now(), now())`,
  );
  beating = setInterval(() => {
    primaryPool?.query(`UPDATE worker_heartbeats SET beat_utc = now()`).catch(() => {});
  }, 300);
  await waitForReplay(cluster);
}, 120_000);

afterAll(async () => {
  clearInterval(beating);
  await closePool();
  await primaryPool?.end();
  cluster?.destroy();
});

const pairOf = (list: HealthListResponse, pair = PAIR): PairHealth =>
  list.rows.find((row) => row.symbol === pair.symbol && row.timeframe === pair.timeframe)!;

async function health(): Promise<HealthListResponse> {
  resetApiCaches();
  const answer = await call<HealthListResponse>(healthGET, '/api/health');
  expect(answer.status).toBe(200);
  return answer.body;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`condition not met in ${timeoutMs} ms: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('the dashboard reading a standby', () => {
  test(
    'replay paused, a pair failing on the primary: stale past the threshold and not shown healthy; resumed: FAILING',
    { timeout: 120_000 },
    async (context) => {
      requirePostgres15(context);
      const { primary, standby } = cluster!;
      await pointApiAt(primary.url('pipeline'), {
        DATABASE_READ_URL: `postgres://frontier_dashboard@${standby.hostPort}/pipeline`,
        HEALTH_REPLICA_STALE_SECONDS: String(STALE_SECONDS),
        WORKER_INTERVAL_MS: '300',
      });

      // Streaming and caught up: a standby, no lag to speak of, the pair OK.
      const before = await health();
      expect(before.replication).toMatchObject({ role: 'standby', replayPaused: false, stale: false });
      expect(before.replication.lagSeconds).toBeLessThan(STALE_SECONDS);
      expect(pairOf(before)).toMatchObject({ state: 'OK' });
      expect(pairOf(before).unconfirmed).toBeUndefined();

      // An idle primary (no worker beating, nothing written for 1.5 s) is not lag: the standby's WAL
      // receiver streams and replay has applied all it received (the role sees pg_stat_wal_receiver
      // through pg_read_all_stats; without it this would count from the last commit).
      clearInterval(beating);
      await waitForReplay(cluster!);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const idle = await health();
      expect(idle.replication).toMatchObject({ role: 'standby', lagSeconds: 0, stale: false });
      // Workers beat again: paused replay then counts from the last beat it applied.
      beating = setInterval(() => {
        primaryPool?.query(`UPDATE worker_heartbeats SET beat_utc = now()`).catch(() => {});
      }, 300);
      await new Promise((resolve) => setTimeout(resolve, 700));
      await waitForReplay(cluster!);

      await standby.sql('SELECT pg_wal_replay_pause()', [], 'pipeline');
      await until(
        async () => (await standby.sql<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state'))[0]!.state,
        (state) => state === 'paused',
      );
      const pausedAt = Date.now();
      await primaryPool!.query(`SELECT record_aggregation_failure($1, $2, 'boom: the source is gone', now())`, [
        PAIR.symbol,
        PAIR.timeframe,
      ]);
      // The primary knows.
      expect(
        (
          await primaryPool!.query(`SELECT consecutive_failures FROM data_agg_state WHERE canonical_symbol = $1`, [
            PAIR.symbol,
          ])
        ).rows,
      ).toEqual([{ consecutive_failures: 1 }]);

      const stale = await until(health, (list) => list.replication.stale);
      const staleAt = Date.now();
      // Not before the threshold: the replica's data is as of about the pause.
      expect(staleAt - pausedAt).toBeGreaterThanOrEqual(STALE_SECONDS * 1000 - 1_000);
      expect(stale.replication).toMatchObject({ role: 'standby', replayPaused: true, stale: true });
      expect(stale.replication.lagSeconds).toBeGreaterThan(STALE_SECONDS);
      const dataAsOf = Date.parse(stale.replication.dataAsOf!);
      expect(dataAsOf).toBeLessThanOrEqual(pausedAt + 500);
      expect(dataAsOf).toBeGreaterThan(pausedAt - 5_000);
      // The failing pair: the replica's rows say OK, the API says that is not confirmed.
      const pair = pairOf(stale);
      expect(pair).toMatchObject({ state: 'OK', unconfirmed: true, consecutiveFailures: 0 });
      expect(pair.reason).toMatch(/^OK on replica data \d+ s behind the primary: not confirmed$/);
      // Ages at dataAsOf, not at the replica's clock (the view's tenths of a minute: ±6 s).
      const sinceSuccessAtDataAsOf = (dataAsOf - Date.parse(pair.lastSuccessUtc!)) / 1000;
      expect(Math.abs(pair.minutesSinceSuccess! * 60 - sinceSuccessAtDataAsOf)).toBeLessThanOrEqual(6.5);

      const summary = await call<HealthSummaryResponse>(summaryGET, '/api/health/summary');
      expect(summary.body).toMatchObject({ unconfirmed: 1, replication: { role: 'standby', stale: true } });
      const detail = await call<PairDetailResponse>(pairGET, `/api/pairs/${PAIR.symbol}/${PAIR.timeframe}`, PAIR);
      expect(detail.body.pair).toMatchObject({ state: 'OK', unconfirmed: true });
      const healthz = await call<{ status: string; replication: ReplicationStatus }>(healthzGET, '/api/healthz');
      expect(healthz.status).toBe(200);
      expect(healthz.body.replication).toMatchObject({ role: 'standby', replayPaused: true, stale: true });
      const metrics = await call<string>(metricsGET, '/api/metrics');
      const lag = Number(/^frontier_replica_lag_seconds\{role="standby"\} (\S+)$/m.exec(metrics.body)?.[1]);
      expect(lag).toBeGreaterThan(STALE_SECONDS);
      expect(metrics.body).toMatch(/^frontier_pairs_unconfirmed 1$/m);

      // The dashboard's history writer observes on its own connection to the primary: it sees the
      // failure, whether or not DATABASE_READ_URL is set (the snapshot came from a standby).
      const writerClient = new pg.Client({ connectionString: primary.url('pipeline') });
      await writerClient.connect();
      try {
        for (const readsGoToReplica of [true, false]) {
          const observed = await dashboardObserver(readsGoToReplica, DEFAULT_THRESHOLDS)(writerClient);
          const index = observed.symbols.indexOf(PAIR.symbol);
          expect(observed.states[index], `readsGoToReplica=${readsGoToReplica}`).toBe('FAILING');
        }
      } finally {
        await writerClient.end();
      }

      await standby.sql('SELECT pg_wal_replay_resume()', [], 'pipeline');
      const caughtUp = await until(health, (list) => !list.replication.stale && pairOf(list).state === 'FAILING');
      expect(caughtUp.replication).toMatchObject({ role: 'standby', replayPaused: false, stale: false });
      expect(caughtUp.replication.lagSeconds).toBeLessThan(STALE_SECONDS);
      expect(pairOf(caughtUp)).toMatchObject({ state: 'FAILING', consecutiveFailures: 1 });
      expect(pairOf(caughtUp).unconfirmed).toBeUndefined();
      const summaryAfter = await call<HealthSummaryResponse>(summaryGET, '/api/health/summary');
      expect(summaryAfter.body).toMatchObject({ unconfirmed: 0, replication: { stale: false } });
    },
  );

  test('reads on the primary: role primary, lagSeconds 0, stale false; the history writer reuses the snapshot', async (context) => {
    requirePostgres15(context);
    const { primary } = cluster!;
    await pointApiAt(primary.url('pipeline'), {
      DATABASE_READ_URL: '',
      HEALTH_REPLICA_STALE_SECONDS: String(STALE_SECONDS),
    });
    const list = await health();
    expect(list.replication).toEqual({
      role: 'primary',
      lagSeconds: 0,
      replayPaused: false,
      stale: false,
      dataAsOf: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const healthz = await call<{ replication: ReplicationStatus }>(healthzGET, '/api/healthz');
    expect(healthz.body.replication).toMatchObject({ role: 'primary', lagSeconds: 0, stale: false });
    const metrics = await call<string>(metricsGET, '/api/metrics');
    expect(metrics.body).toMatch(/^frontier_replica_lag_seconds\{role="primary"\} 0$/m);
    // No client query: the snapshot read on the primary is reused.
    const refuse = { query: () => Promise.reject(new Error('the snapshot should have been reused')) };
    const observed = await dashboardObserver(false, DEFAULT_THRESHOLDS)(refuse as unknown as pg.ClientBase);
    expect(observed.symbols).toContain(PAIR.symbol);
  });

  // Last: it kills the primary. A dead primary must not look like a current standby with no lag:
  // the WAL receiver stops streaming when the connection drops, and the lag then counts from the
  // newest heartbeat replayed, about the moment of death.
  test(
    'the primary crashed and nothing promoted: lag grows from the crash, stale past the threshold, OK unconfirmed',
    { timeout: 60_000 },
    async (context) => {
      requirePostgres15(context);
      const { primary } = cluster!;
      await pointApiAt(primary.url('pipeline'), {
        DATABASE_READ_URL: `postgres://frontier_dashboard@${cluster!.standby.hostPort}/pipeline`,
        HEALTH_REPLICA_STALE_SECONDS: String(STALE_SECONDS),
        WORKER_INTERVAL_MS: '300',
      });
      await insertFrontier(db, HEALTHY.symbol, currentWindow() - 60_000);
      await registerPair(db, { ...HEALTHY, cursor: 0, successMinutesAgo: 1 });
      await waitForReplay(cluster!);
      const alive = await health();
      expect(alive.replication).toMatchObject({ role: 'standby', lagSeconds: 0, stale: false });
      expect(pairOf(alive, HEALTHY)).toMatchObject({ state: 'OK' });

      primary.stop('immediate');
      const crashedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const dead = await health();
      // Not "current, lag 0": as of the last beat replayed before the crash (beats every 300 ms).
      expect(dead.replication).toMatchObject({ role: 'standby', replayPaused: false });
      expect(dead.replication.lagSeconds).toBeGreaterThanOrEqual(0.5);
      const dataAsOf = Date.parse(dead.replication.dataAsOf!);
      expect(dataAsOf).toBeLessThanOrEqual(crashedAt + 100);
      expect(dataAsOf).toBeGreaterThan(crashedAt - 2_000);

      const stale = await until(health, (list) => list.replication.stale);
      // dataAsOf stays where the crash left it; stale once the lag from there passes the threshold.
      expect(stale.replication.dataAsOf).toBe(dead.replication.dataAsOf);
      expect(stale.replication.lagSeconds).toBeGreaterThan(STALE_SECONDS);
      expect(pairOf(stale, HEALTHY)).toMatchObject({ state: 'OK', unconfirmed: true });
      const healthz = await call<{ status: string; replication: ReplicationStatus }>(healthzGET, '/api/healthz');
      expect(healthz.body.replication).toMatchObject({ role: 'standby', stale: true });
      const metrics = await call<string>(metricsGET, '/api/metrics');
      const lag = Number(/^frontier_replica_lag_seconds\{role="standby"\} (\S+)$/m.exec(metrics.body)?.[1]);
      expect(lag).toBeGreaterThan(STALE_SECONDS);
    },
  );
});
