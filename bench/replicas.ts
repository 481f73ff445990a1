// Dashboard replicas and the database: the dashboard's database time per minute with one replica
// polled directly, three replicas behind deploy/nginx/frontier.conf (a real nginx), and — what a
// plain load balancer gives — three replicas polled in turn without the cache; with simulated
// viewers polling the overview, and the worker and a live feed running. Database time is what
// pg_stat_statements records for the dashboard's role (frontier_dashboard) only: the worker and
// the feed run as the owner and are not counted.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../lib/server/embedded-postgres';
import { migrateDatabase } from '../lib/server/migrate';
import { createDashboardRole } from '../e2e/global-setup';
import { missingNginx, startNginx } from '../test/support/nginx';
import { startReplica, type Replica } from '../test/support/replicas';
import { seedVariety } from './browser';
import { groupCpuSeconds, startFeed, startWorker, waitForPairs } from './live';
import { round, type BenchDatabase } from './support';
import { seedPairs } from './worker-pass';

export interface ReplicasOptions {
  symbols: number;
  /** one arm, seconds */
  seconds: number;
  viewers: number;
}

export interface Arm {
  name: string;
  seconds: number;
  requests: number;
  failed: number;
  /** answers by status, and `error` for a request that got none */
  statuses: Record<string, number>;
  /** pg_stat_statements, the dashboard's role */
  execMs: number;
  calls: number;
  snapshotQueries: number;
  /** CPU of all three replicas' process groups (and nginx's workers are not in them) */
  replicaCpuSeconds: number;
}

export interface ReplicasResult {
  pairs: number;
  viewers: number;
  arms: Arm[];
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** components/hooks/polling.ts OVERVIEW_POLL_MS */
const POLL_MS = 15_000;
const DB_PASSWORD = 'bench-replicas';
/** The overview's first windows at 1920×1080, in the four orders a viewer is likeliest to pick. */
const POLLS = ['', '&sort=symbol&dir=asc', '&sort=minutes_since_success&dir=desc', '&state=FAILING,STALLED'].map(
  (extra) => `/api/health/overview?offset=0&limit=100&hoffset=0&hlimit=150${extra}`,
);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1_000 });

function get(url: string, headers: Record<string, string>): Promise<{ status: number; etag?: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers, agent }, (response) => {
        response.resume();
        response.on('end', () => resolve({ status: response.statusCode ?? 0, etag: response.headers.etag }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

async function dashboardStatements(pool: pg.Pool): Promise<{ execMs: number; calls: number; snapshot: number }> {
  const { rows } = await pool.query<{ exec_ms: number; calls: string; snapshot: string }>(`
    SELECT coalesce(sum(s.total_exec_time), 0)::float8 AS exec_ms, coalesce(sum(s.calls), 0) AS calls,
           coalesce(sum(s.calls) FILTER (WHERE s.query LIKE '%FROM v_aggregation_frontier_health v%'
                                          AND s.query NOT LIKE '%WHERE s.canonical_symbol%'), 0) AS snapshot
      FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
     WHERE r.rolname = 'frontier_dashboard'`);
  return { execMs: rows[0]!.exec_ms, calls: Number(rows[0]!.calls), snapshot: Number(rows[0]!.snapshot) };
}

/**
 * `viewers` simulated viewers (starts spread over one poll interval), each polling one of POLLS
 * as the overview does (If-None-Match with its last ETag, gzip, the next poll 15 s after the
 * answer), the n-th request of a viewer to bases[n % bases.length].
 */
async function measureArm(
  name: string,
  pool: pg.Pool,
  bases: string[],
  replicas: Replica[],
  options: ReplicasOptions,
): Promise<Arm> {
  const cpu = () => replicas.reduce((sum, replica) => sum + groupCpuSeconds(replica.pgid), 0);
  let running = true;
  const counts = { requests: 0, failed: 0, statuses: {} as Record<string, number> };
  const count = (status: string) => (counts.statuses[status] = (counts.statuses[status] ?? 0) + 1);
  const viewer = async (index: number) => {
    await sleep((index / options.viewers) * POLL_MS);
    let etag: string | undefined;
    for (let poll = 0; running; poll += 1) {
      try {
        const answer = await get(bases[(index + poll) % bases.length]! + POLLS[index % POLLS.length]!, {
          'accept-encoding': 'gzip',
          ...(etag ? { 'if-none-match': etag } : {}),
        });
        etag = answer.etag ?? etag;
        counts.requests += 1;
        count(String(answer.status));
        if (answer.status >= 400) counts.failed += 1;
      } catch {
        counts.failed += 1;
        count('error');
      }
      for (let waited = 0; running && waited < POLL_MS; waited += 250) await sleep(250);
    }
  };
  await pool.query('SELECT pg_stat_statements_reset()');
  const before = await dashboardStatements(pool);
  const cpuBefore = cpu();
  const all = Array.from({ length: options.viewers }, (_, index) => viewer(index));
  await sleep(options.seconds * 1000);
  const after = await dashboardStatements(pool);
  const replicaCpuSeconds = round(cpu() - cpuBefore, 2);
  running = false;
  await Promise.all(all);
  return {
    name,
    seconds: options.seconds,
    ...counts,
    execMs: round(after.execMs - before.execMs, 1),
    calls: after.calls - before.calls,
    snapshotQueries: after.snapshot - before.snapshot,
    replicaCpuSeconds,
  };
}

export async function benchReplicas(options: ReplicasOptions): Promise<ReplicasResult> {
  const missing = missingNginx();
  if (missing) throw new Error(missing);
  if (!existsSync('.next/BUILD_ID')) {
    console.log('building the dashboard (next build)…');
    if (spawnSync('npx', ['next', 'build'], { stdio: 'inherit' }).status !== 0) throw new Error('next build failed');
  }
  const root = mkdtempSync(path.join(os.tmpdir(), 'frontier-bench-replicas-'));
  chmodSync(root, 0o755);
  const server = await startEmbeddedPostgres({
    dataDir: path.join(root, 'data'),
    persistent: true,
    settings: ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=top'],
  });
  const pool = new pg.Pool({ connectionString: server.url, max: 4 });
  pool.on('error', () => {});
  const db: BenchDatabase = { url: server.url, pool, close: async () => {} };
  const replicas: Replica[] = [];
  let nginx: Awaited<ReturnType<typeof startNginx>> | undefined;
  let worker: ReturnType<typeof startWorker> | undefined;
  let stopFeed: (() => Promise<void>) | undefined;
  try {
    await migrateDatabase(server.url);
    await pool.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await createDashboardRole(server.url, DB_PASSWORD);
    await seedPairs(pool, options.symbols, 30, true);
    await seedVariety(db);
    const dashboardUrl = new URL(server.url);
    dashboardUrl.username = 'frontier_dashboard';
    dashboardUrl.password = DB_PASSWORD;
    const env = (index: number) => ({
      DATABASE_URL: dashboardUrl.toString(),
      PG_APPLICATION_NAME: `frontier-bench-replica-${index}`,
      HISTORY_WRITER: 'off',
      BASIC_AUTH_USER: '',
      BASIC_AUTH_PASSWORD: '',
      KIOSK_TOKEN: '',
    });
    for (const index of [1, 2, 3]) replicas.push(await startReplica(env(index)));
    nginx = await startNginx(replicas.map((replica) => replica.address));
    worker = startWorker(server.url);
    stopFeed = startFeed(db);
    const pairs = options.symbols * 6;
    await waitForPairs(replicas[0]!.base, pairs);
    await sleep(2 * POLL_MS); // the worker's first passes
    const arms: Arm[] = [];
    arms.push(await measureArm('1 replica, polled directly', pool, [replicas[0]!.base], replicas, options));
    await sleep(8_000); // every snapshot past its TTL and stale window
    arms.push(await measureArm('3 replicas behind nginx', pool, [nginx.base], replicas, options));
    await sleep(8_000);
    arms.push(
      await measureArm(
        '3 replicas in turn, no cache (a plain load balancer)',
        pool,
        replicas.map((replica) => replica.base),
        replicas,
        options,
      ),
    );
    return { pairs, viewers: options.viewers, arms };
  } finally {
    await stopFeed?.();
    await worker?.stop();
    await nginx?.stop();
    await Promise.all(replicas.map((replica) => replica.stop()));
    await pool.end();
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  }
}

export function printReplicas(r: ReplicasResult): void {
  const perMinute = (arm: Arm, value: number) => round(value / (arm.seconds / 60), 1);
  for (const arm of r.arms) {
    console.log(
      `${arm.name.padEnd(52)} database time ${perMinute(arm, arm.execMs)} ms per minute, ${perMinute(arm, arm.calls)} statements per minute ` +
        `(${arm.snapshotQueries} snapshot reads in ${arm.seconds} s); replicas' CPU ${arm.replicaCpuSeconds} s; ${arm.requests} requests, ${arm.failed} failed ${JSON.stringify(arm.statuses)}`,
    );
  }
  const [one, behind, plain] = r.arms;
  console.log(
    `3 replicas behind nginx / 1 replica: database time ${round(behind!.execMs / Math.max(0.1, one!.execMs))}× (target ≤ 1.5), ` +
      `snapshot reads ${round(behind!.snapshotQueries / Math.max(1, one!.snapshotQueries))}×; ` +
      `without the cache and the pinned API (3 replicas in turn): ${round(plain!.execMs / Math.max(0.1, one!.execMs))}×`,
  );
}
