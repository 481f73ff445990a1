import pg from 'pg';
import { createHostListPool } from '../server/connect';
import { log } from '../server/log';

export interface WorkerPoolOptions {
  connectionString: string;
  concurrency: number;
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  applicationName?: string;
}

/**
 * The worker process's one pool. It is not lib/server/db.ts's getPool() because the worker needs
 * other limits: exactly WORKER_CONCURRENCY connections, a statement timeout long enough for a
 * big catch-up, and a lost idle client must not log a line each (a database restart would
 * log one per connection; the worker's outage tracker logs the outage once).
 */
export function createWorkerPool(options: WorkerPoolOptions): pg.Pool {
  // It writes: through a host list it looks for a read-write node unless the URL says otherwise.
  const pool = createHostListPool(
    options.connectionString,
    {
      max: options.concurrency,
      connectionTimeoutMillis: options.connectTimeoutMs,
      statement_timeout: options.statementTimeoutMs,
      idleTimeoutMillis: 60_000,
      application_name: options.applicationName ?? 'frontier-worker',
      // client_connection_check_interval: a worker killed mid-run must not leave its backend
      // running on for minutes holding the pair's lock; the server checks every 2 s that the
      // client is still there and rolls back.
      // synchronous_commit=off: every pair is its own transaction, so waiting for the WAL flush of
      // each (30,000 a pass, mostly idle heartbeats) cost two thirds of a pass. A server crash can
      // lose the last fraction of a second of commits, never half of one: cursor, bars and
      // history are lost together and the next run redoes them (the upsert is idempotent).
      options: '-c client_connection_check_interval=2000 -c synchronous_commit=off',
    },
    { defaultTargetSessionAttrs: 'read-write' },
  );
  pool.on('error', (error) => log.debug('idle worker connection lost', { error: error.message }));
  return pool;
}
