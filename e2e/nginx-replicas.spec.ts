import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../lib/server/embedded-postgres';
import { migrateDatabase } from '../lib/server/migrate';
import { missingNginx, startNginx, type RunningNginx } from '../test/support/nginx';
import { startReplica, type Replica } from '../test/support/replicas';
import { createDashboardRole } from './global-setup';
import { SEEDED_PAIRS, seedDatabase } from './fixtures/seed';

/**
 * deploy/nginx/frontier.conf as shipped, in a real nginx, in front of three replicas of the built
 * app (basic auth and a kiosk token on, the read-only role), on a database of this spec's own with
 * pg_stat_statements: what the database executes is counted there, not inferred. Here, after
 * `next build` (npm test's browser phase), because the replicas are the built app; the cache
 * rules themselves are also tested against stub replicas in test/deploy/nginx.test.ts.
 */

const USER = 'ops';
const PASSWORD = 'replicas-secret';
const KIOSK_TOKEN = 'replicas-kiosk-token';
const DB_PASSWORD = 'replicas-db-password';
const OVERVIEW = '/api/health/overview?offset=0&limit=100&hoffset=0&hlimit=150';
const auth = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };

test.describe.configure({ mode: 'serial', timeout: 240_000 });

let root: string | undefined;
let database: EmbeddedDatabase | undefined;
let replicas: Replica[] = [];
let nginx: RunningNginx | undefined;
let skipped: string | undefined;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  skipped = missingNginx();
  if (skipped) return;
  root = mkdtempSync(path.join(os.tmpdir(), 'frontier-replicas-pg-'));
  chmodSync(root, 0o755);
  database = await startEmbeddedPostgres({
    dataDir: path.join(root, 'data'),
    persistent: false,
    settings: ['shared_preload_libraries=pg_stat_statements', 'pg_stat_statements.track=top'],
  });
  await migrateDatabase(database.url);
  await seedDatabase(database.url);
  await createDashboardRole(database.url, DB_PASSWORD);
  await sql('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const dashboardUrl = new URL(database.url);
  dashboardUrl.username = 'frontier_dashboard';
  dashboardUrl.password = DB_PASSWORD;
  replicas = await Promise.all(
    [1, 2, 3].map((index) =>
      startReplica({
        DATABASE_URL: dashboardUrl.toString(),
        PG_APPLICATION_NAME: `frontier-replica-${index}`,
        BASIC_AUTH_USER: USER,
        BASIC_AUTH_PASSWORD: PASSWORD,
        KIOSK_TOKEN,
        HISTORY_WRITER: 'off',
      }),
    ),
  );
  nginx = await startNginx(replicas.map((replica) => replica.address));
});

test.afterAll(async () => {
  await nginx?.stop();
  await Promise.all(replicas.map((replica) => replica.stop()));
  await database?.stop();
  if (root) rmSync(root, { recursive: true, force: true });
});

async function sql<Row extends pg.QueryResultRow>(text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: database!.url });
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

/** How many times the dashboard's role ran the snapshot's query (the whole frontier, not one pair) since the last reset. */
async function snapshotQueries(): Promise<number> {
  const rows = await sql<{ calls: string }>(`
    SELECT coalesce(sum(s.calls), 0) AS calls
      FROM pg_stat_statements s JOIN pg_roles r ON r.oid = s.userid
     WHERE r.rolname = 'frontier_dashboard'
       AND s.query LIKE '%FROM v_aggregation_frontier_health v%' AND s.query NOT LIKE '%WHERE s.canonical_symbol%'`);
  return Number(rows[0]!.calls);
}

/** Six pollers, each on its own window of the overview, asking again 100 ms after each answer, for `seconds`. */
async function poll(bases: string[], seconds: number): Promise<number[]> {
  const statuses: number[] = [];
  const until = Date.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: 6 }, async (_, viewer) => {
      for (let turn = 0; Date.now() < until; turn += 1) {
        const base = bases[(viewer + turn) % bases.length]!;
        const response = await fetch(`${base}/api/health/overview?offset=${viewer * 10}&limit=100`, { headers: auth });
        await response.arrayBuffer();
        statuses.push(response.status);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }),
  );
  return statuses;
}

test('after an authorised read filled the cache, no credentials or wrong ones get the app’s 401 and no body; the kiosk reads what it may and nothing else', async () => {
  test.skip(skipped !== undefined, skipped);
  const url = nginx!.base + OVERVIEW;
  const first = await fetch(url, { headers: auth });
  expect([first.status, first.headers.get('x-cache-status')]).toEqual([200, 'MISS']);
  const body = (await first.json()) as { total: number };
  expect(body.total).toBe(SEEDED_PAIRS.length);
  const again = await fetch(url, { headers: auth });
  expect([again.status, again.headers.get('x-cache-status'), again.headers.get('cache-control')]).toEqual([
    200,
    'HIT',
    'no-store',
  ]);
  const etag = again.headers.get('etag')!;
  const notModified = await fetch(url, { headers: { ...auth, 'if-none-match': etag } });
  expect([notModified.status, notModified.headers.get('x-cache-status')]).toEqual([304, 'HIT']);

  const wrong = `Basic ${Buffer.from(`${USER}:not-${PASSWORD}`).toString('base64')}`;
  for (const headers of [{}, { authorization: wrong }, { 'if-none-match': etag }] as Record<string, string>[]) {
    const refused = await fetch(url, { headers });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Basic realm="Frontier Monitor", charset="UTF-8"');
    expect(await refused.json()).toEqual({ error: { code: 'unauthorized', message: 'authentication required' } });
  }

  // The kiosk: its token traded for a cookie on /wall, then the wall's list (cached, shared) but
  // not the overview, although the cache holds it.
  const wall = await fetch(`${nginx!.base}/wall?token=${KIOSK_TOKEN}`, { redirect: 'manual' });
  expect(wall.status).toBe(303);
  expect(wall.headers.get('x-cache-status')).toBeNull();
  const cookie = wall.headers.get('set-cookie')!.split(';')[0]!;
  const list = await fetch(`${nginx!.base}/api/health?limit=5`, { headers: { cookie } });
  expect(list.status).toBe(200);
  expect(((await list.json()) as { rows: unknown[] }).rows).toHaveLength(5);
  const overview = await fetch(url, { headers: { cookie } });
  expect(overview.status).toBe(401);
  expect(await overview.json()).toEqual({ error: { code: 'unauthorized', message: 'authentication required' } });
});

test('three replicas behind nginx: the database runs the snapshot query about as often as for one, not three times as often', async () => {
  test.skip(skipped !== undefined, skipped);
  const seconds = 10;
  await sql('SELECT pg_stat_statements_reset()');
  const direct = await poll(
    replicas.map((replica) => replica.base),
    seconds,
  );
  const directQueries = await snapshotQueries();
  await new Promise((resolve) => setTimeout(resolve, 7_000)); // every replica's snapshot past its TTL and stale window
  await sql('SELECT pg_stat_statements_reset()');
  const behind = await poll([nginx!.base], seconds);
  const nginxQueries = await snapshotQueries();
  console.log(
    `snapshot queries in ${seconds} s, six pollers: ${directQueries} polling the three replicas directly (${direct.length} requests), ${nginxQueries} behind nginx (${behind.length} requests)`,
  );
  expect(new Set([...direct, ...behind])).toEqual(new Set([200]));
  // The snapshot lives 2 s: one process rebuilds it at most about every 2 s while it is asked.
  expect(nginxQueries).toBeGreaterThan(0);
  expect(nginxQueries).toBeLessThanOrEqual(seconds / 2 + 2);
  expect(directQueries).toBeGreaterThanOrEqual(2 * nginxQueries);
});
