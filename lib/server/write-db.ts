import pg from 'pg';
import { createHostListPool } from './connect';
import { env } from './env';
import { log } from './log';

let pool: pg.Pool | undefined;

/**
 * The pool of operator actions, apart from the reads' pool (lib/server/db.ts): on
 * DATABASE_WRITE_URL when set (a role that may only EXECUTE the action functions), else on
 * DATABASE_URL, always on a node that takes writes. Small: actions are rare.
 */
export function getWritePool(): pg.Pool {
  if (!pool) {
    const config = env();
    const url = config.DATABASE_WRITE_URL ?? config.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set');
    pool = createHostListPool(
      url,
      {
        max: 2,
        connectionTimeoutMillis: config.PG_CONNECT_TIMEOUT_MS,
        statement_timeout: config.PG_STATEMENT_TIMEOUT_MS,
        idleTimeoutMillis: 30_000,
        application_name: 'frontier-actions',
      },
      { defaultTargetSessionAttrs: 'read-write' },
    );
    pool.on('error', (error) => log.warn('idle write connection lost', { error: error.message }));
  }
  return pool;
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
  const current = pool;
  pool = undefined;
  await current?.end();
}
