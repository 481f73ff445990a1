import pg from 'pg';
import { createHostListPool } from './connect';
import { env } from './env';
import { log } from './log';
import { processWide } from './process-wide';

// numeric and bigint as JS numbers: counts and prices here stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.NUMERIC, (value) => Number(value));
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

interface ReadPool {
  pool?: pg.Pool;
  overrides: { statementTimeoutMs?: number; max?: number };
}

/**
 * One per process (lib/server/process-wide.ts): with one per copy of this module, the routes,
 * the pages' server render and the history writer each opened their own, up to three times
 * PG_POOL_MAX connections. A worker thread has its own globals, hence its own pool (the
 * snapshot thread's, configurePool).
 */
const reads = processWide<ReadPool>('readPool', () => ({ overrides: {} }));

/**
 * Settings of this thread's pool in place of the dashboard's: the snapshot thread
 * (lib/api/snapshot-thread.ts) reads every pair with its own, longer statement timeout. Before
 * the first query only.
 */
export function configurePool(settings: ReadPool['overrides']): void {
  if (reads.pool) throw new Error('configurePool: the pool is already open');
  reads.overrides = settings;
}

/**
 * The one Pool of the dashboard's reads, bounded, with a statement timeout on every connection:
 * on DATABASE_READ_URL when set (a replica; the replication object of lib/api/snapshot.ts says how
 * far behind it is), else on DATABASE_URL. Either may be a host list (lib/server/connect.ts); reads
 * go to any node unless the URL's target_session_attrs says otherwise. What writes never uses this
 * pool: the history writer has its own connection on DATABASE_URL (lib/history/).
 */
export function getPool(): pg.Pool {
  if (!reads.pool) {
    const { overrides } = reads;
    const config = env();
    const url = config.DATABASE_READ_URL ?? config.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is not set');
    const pool = createHostListPool(url, {
      max: overrides.max ?? config.PG_POOL_MAX,
      connectionTimeoutMillis: config.PG_CONNECT_TIMEOUT_MS,
      statement_timeout: overrides.statementTimeoutMs ?? config.PG_STATEMENT_TIMEOUT_MS,
      idleTimeoutMillis: 30_000,
      application_name: process.env.PG_APPLICATION_NAME ?? 'frontier-monitor',
    });
    // An idle client losing its connection (database restart) must not crash the process.
    pool.on('error', (error) => log.warn('idle database connection lost', { error: error.message }));
    reads.pool = pool;
  }
  return reads.pool;
}

/** Runs one named query; logs its name and duration at debug level. */
export async function query<Row extends pg.QueryResultRow>(
  name: string,
  sql: string,
  params: unknown[] = [],
): Promise<Row[]> {
  const started = performance.now();
  const result = await getPool().query<Row>({ text: sql, values: params });
  log.debug('query', { name, ms: Math.round((performance.now() - started) * 10) / 10, rows: result.rowCount });
  return result.rows;
}

export async function closePool(): Promise<void> {
  const current = reads.pool;
  reads.pool = undefined;
  await current?.end();
}
