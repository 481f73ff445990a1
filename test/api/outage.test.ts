import net from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test, vi, inject } from 'vitest';
import { GET as healthGET } from '../../app/api/health/route';
import { GET as summaryGET } from '../../app/api/health/summary/route';
import { GET as healthzGET } from '../../app/api/healthz/route';
import { GET as metricsGET } from '../../app/api/metrics/route';
import { GET as detailGET } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import { GET as runsGET } from '../../app/api/pairs/[symbol]/[timeframe]/runs/route';
import { closePool } from '../../lib/server/db';
import type { ApiErrorBody } from '../../lib/shared/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedEveryState } from './fixture';
import { SNAPSHOT_STALE_MS, snapshotCache } from '../../lib/api/snapshot';
import { call, pointApiAt, type Answer } from './support';

/** A TCP proxy to the test database that can be switched off (all connections cut) and on. */
async function startProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const start = async () => {
    server = net.createServer((client) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => {
          sockets.delete(socket);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  };
  const stop = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  };
  await start();
  return { port, start, stop };
}

const pair = { symbol: 'EURUSD', timeframe: '5m' };
const routes: [string, () => Promise<Answer<ApiErrorBody>>][] = [
  ['/api/health', () => call(healthGET, '/api/health')],
  ['/api/health?timeframe=5m', () => call(healthGET, '/api/health?timeframe=5m')],
  ['/api/health/summary', () => call(summaryGET, '/api/health/summary')],
  ['/api/metrics', () => call(metricsGET, '/api/metrics')],
  ['/api/pairs/EURUSD/5m', () => call(detailGET, '/api/pairs/EURUSD/5m', pair)],
  ['/api/pairs/EURUSD/5m/runs', () => call(runsGET, '/api/pairs/EURUSD/5m/runs', pair)],
];

/** A port nobody listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

let stderr: string[] = [];
beforeAll(() => {
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await closePool();
});

function expectNoLeak(answer: Answer<ApiErrorBody>, ...secrets: string[]): void {
  const text = JSON.stringify(answer.body);
  for (const secret of ['ECONNREFUSED', 'at ', 'stack', ...secrets]) expect(text).not.toContain(secret);
}

describe('database refusing connections', () => {
  let port: number;
  beforeAll(async () => {
    port = await closedPort();
    await pointApiAt(`postgres://monitor:s3cret-pw@127.0.0.1:${port}/frontier`, { PG_CONNECT_TIMEOUT_MS: '3000' });
  });

  test.each(routes)('%s answers 503 db_unavailable at once', async (_name, request) => {
    const answer = await request();
    expect(answer.status).toBe(503);
    expect(answer.body.error).toEqual({
      code: 'db_unavailable',
      message: 'the database is unavailable; try again shortly',
    });
    expect(answer.ms).toBeLessThan(2_000);
    expectNoLeak(answer, 's3cret-pw', String(port), '127.0.0.1');
  });

  test('healthz says degraded in JSON, 503', async () => {
    const answer = await call(healthzGET, '/api/healthz');
    expect([answer.status, answer.body]).toEqual([
      503,
      {
        status: 'degraded',
        database: 'down',
        error: { code: 'db_unavailable', message: 'the database is unavailable' },
      },
    ]);
  });

  test('bad parameters are still a 400: validation needs no database', async () => {
    const answer = await call<ApiErrorBody>(healthGET, '/api/health?limit=0');
    expect([answer.status, answer.body.error.code]).toEqual([400, 'bad_request']);
  });

  test('the real error goes to the server log, with the password redacted', () => {
    const logged = stderr.join('');
    expect(logged).toContain('database unavailable');
    expect(logged).toContain('ECONNREFUSED');
    expect(logged).not.toContain('s3cret-pw');
  });
});

describe('database accepting TCP but never answering', () => {
  let server: net.Server;
  const sockets = new Set<net.Socket>();
  beforeAll(async () => {
    server = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as net.AddressInfo;
    await pointApiAt(`postgres://monitor:pw@127.0.0.1:${port}/frontier`, { PG_CONNECT_TIMEOUT_MS: '400' });
  });
  afterAll(async () => {
    await closePool();
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test('503 within the connect timeout, not a hang', async () => {
    const [list, healthz] = await Promise.all([
      call<ApiErrorBody>(healthGET, '/api/health'),
      call(healthzGET, '/api/healthz'),
    ]);
    expect([list.status, list.body.error.code]).toEqual([503, 'db_unavailable']);
    expect(list.ms).toBeGreaterThanOrEqual(350);
    expect(list.ms).toBeLessThan(2_000);
    expect(healthz.status).toBe(503);
  });
});

describe('a database without the schema, then recovery', () => {
  let blank: string;
  let db: TestDatabase;
  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: inject('adminUrl') });
    await admin.connect();
    const name = `frontier_test_blank_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(inject('adminUrl'));
    url.pathname = `/${name}`;
    blank = url.toString();
    db = await createTestDatabase();
    await seedEveryState(db);
  });
  afterAll(async () => {
    await closePool();
    await db.drop();
  });

  test('500 internal with a reference, the SQL error only in the log', async () => {
    await pointApiAt(blank, { PG_CONNECT_TIMEOUT_MS: '3000' });
    stderr = [];
    const answer = await call<ApiErrorBody>(healthGET, '/api/health');
    expect(answer.status).toBe(500);
    expect(answer.body.error.code).toBe('internal');
    const ref = /^internal error \(ref ([0-9a-f]{8})\); see the server log$/.exec(answer.body.error.message)?.[1];
    expect(ref).toBeDefined();
    expectNoLeak(answer, 'v_aggregation_frontier_health', 'relation');
    const logged = stderr.join('');
    expect(logged).toContain(ref);
    expect(logged).toContain('relation \\"v_aggregation_frontier_health\\" does not exist');
  });

  test('healthz on an unmigrated database is degraded', async () => {
    const answer = await call(healthzGET, '/api/healthz');
    expect(answer.status).toBe(503);
    expect(answer.body).toMatchObject({
      database: 'down',
      error: { message: 'the database does not answer queries (is it migrated?)' },
    });
  });

  test('through an outage and back: the last good snapshot is served within its TTL, failures are not cached', async () => {
    const proxy = await startProxy(new URL(db.url));
    const url = new URL(db.url);
    url.port = String(proxy.port);
    await pointApiAt(url.toString());
    expect((await call(healthGET, '/api/health')).status).toBe(200);
    const ttl = snapshotCache.ttlOf('all')!; // SNAPSHOT_TTL_MS, or more for a snapshot slow to build
    await proxy.stop();
    // Within the TTL the cached snapshot answers; within the stale window too (its refresh
    // fails in the background); after that, the outage shows.
    expect((await call(healthGET, '/api/health')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, ttl + 100));
    const stale = await call<{ generatedAt: string }>(healthGET, '/api/health');
    expect(stale.status).toBe(200);
    expect(Date.now() - Date.parse(stale.body.generatedAt)).toBeGreaterThan(ttl);
    await new Promise((resolve) => setTimeout(resolve, SNAPSHOT_STALE_MS));
    expect((await call(healthGET, '/api/health')).status).toBe(503);
    expect((await call(healthGET, '/api/health')).status).toBe(503);
    await proxy.start();
    const answer = await call<{ total: number }>(healthGET, '/api/health');
    expect([answer.status, answer.body.total]).toEqual([200, 11]);
    await closePool();
    await proxy.stop();
  });
});
