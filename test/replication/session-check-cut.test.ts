// A connection cut while the host list's session check runs — the node shut down or killed at that
// moment, as on a Patroni switchover or failover, or HAProxy cutting the sessions of a node it marked
// down. Seen in test/replication/patroni.test.ts as an uncaught "Connection terminated unexpectedly":
// node-postgres emits 'error' on a client whose connection ends, and pg-pool only listens once the
// connect callback has run, which the session check delays. Here a proxy in front of the suite's
// database cuts the connection when it sees the check's query: the pool's query must fail with the
// error (no unhandled 'error' event, which would end a worker process), and the next one work.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createHostListPool } from '../../lib/server/connect';
import { createTestDatabase, type TestDatabase } from '../support/database';

let db: TestDatabase;
let server: net.Server;
let cutting = true;
let cuts = 0;
const sockets = new Set<net.Socket>();

beforeAll(async () => {
  db = await createTestDatabase();
  const target = new URL(db.url);
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
    client.on('data', (chunk: Buffer) => {
      if (cutting && chunk.includes('pg_is_in_recovery()')) {
        cuts += 1;
        client.destroy();
        upstream.destroy();
        return;
      }
      upstream.write(chunk);
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.drop();
});

describe('the host list pool when a connection is cut during its session check', () => {
  test('the query fails with the cut, nothing is left unhandled, the next query works', async () => {
    const url = new URL(db.url);
    url.hostname = '127.0.0.1';
    url.port = String((server.address() as net.AddressInfo).port);
    url.searchParams.set('target_session_attrs', 'read-write');
    const pool = createHostListPool(url.toString(), { max: 1, connectionTimeoutMillis: 5_000 });
    try {
      await expect(pool.query('SELECT 1 AS one')).rejects.toThrow(/Connection terminated unexpectedly/);
      expect(cuts).toBe(1);
      // An 'error' event without a listener is thrown on the next turn: give it a few.
      await new Promise((resolve) => setTimeout(resolve, 200));
      cutting = false;
      expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await pool.end();
    }
  });
});
