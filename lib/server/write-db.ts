import pg from 'pg';
import { createHostListPool } from './connect';
import { env } from './env';
import { log } from './log';
import { processWide } from './process-wide';

/** One per process, as the reads' pool is (lib/server/db.ts). */
const writes = processWide<{ pool?: pg.Pool }>('writePool', () => ({}));

/** Actions wait up to lock_timeout (5 s, in each function) for the worker's lock on the pair. */
const ACTION_STATEMENT_TIMEOUT_MS = 60_000;

/**
 * The one pool of operator actions (lib/actions, the maintenance windows' routes), apart from the
 * reads' pool (lib/server/db.ts): the reads may be on a replica or a read-only role, and a burst of
 * reads must not hold the connections an action needs. On DATABASE_WRITE_URL when set (a role that
 * may only EXECUTE the action functions, db/roles/actions.sql), else on DATABASE_URL; read-write,
 * so a host list never lands it on a standby. Small: actions are rare.
 */
export function getWritePool(): pg.Pool {
  if (!writes.pool) {
    const config = env();
    const url = config.DATABASE_WRITE_URL ?? config.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set');
    const pool = createHostListPool(
      url,
      {
        max: 2,
        connectionTimeoutMillis: config.PG_CONNECT_TIMEOUT_MS,
        statement_timeout: ACTION_STATEMENT_TIMEOUT_MS,
        idleTimeoutMillis: 30_000,
        application_name: 'frontier-actions',
      },
      { defaultTargetSessionAttrs: 'read-write' },
    );
    pool.on('error', (error) => log.warn('idle write connection lost', { error: error.message }));
    writes.pool = pool;
  }
  return writes.pool;
}

/** Runs one action statement on the write pool. */
export async function writeQuery<Row extends pg.QueryResultRow>(
  name: string,
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const started = performance.now();
  const result = await getWritePool().query<Row>({ text: sql, values: params });
  log.debug('write', { name, ms: Math.round((performance.now() - started) * 10) / 10 });
  return result.rows;
}

export async function closeWritePool(): Promise<void> {
  const current = writes.pool;
  writes.pool = undefined;
  await current?.end();
}
