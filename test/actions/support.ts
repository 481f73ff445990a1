import { readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { beforeEach } from 'vitest';
import { closeWritePool } from '../../lib/actions/write-pool';
import type { TestDatabase } from '../support/database';
import { closePool } from '../../lib/server/db';
import { pointApiAt } from '../api/support';

export const ACTIONS_PASSWORD = 'frontier-actions-test';
const ROLE_FILE = path.join(import.meta.dirname, '..', '..', 'db', 'roles', 'actions.sql');

/**
 * db/roles/actions.sql as an operator runs it, on this suite's database. Roles are the cluster's:
 * two suites creating it at once may collide on CREATE ROLE; the second try finds it.
 */
export async function createActionsRole(db: TestDatabase): Promise<string> {
  const sql = readFileSync(ROLE_FILE, 'utf8');
  for (let attempt = 0; ; attempt++) {
    try {
      await db.sql(sql);
      break;
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt > 2 || (code !== '23505' && code !== '42710' && code !== 'XX000')) throw error;
    }
  }
  await db.sql(`ALTER ROLE frontier_actions PASSWORD '${ACTIONS_PASSWORD}'`);
  const url = new URL(db.url);
  url.username = 'frontier_actions';
  url.password = ACTIONS_PASSWORD;
  return url.toString();
}

/** The API reads on the owner's connection and writes as frontier_actions, as deployed. */
export async function pointActionsAt(db: TestDatabase, writeUrl: string | undefined): Promise<void> {
  await closeWritePool();
  if (writeUrl === undefined) delete process.env.DATABASE_WRITE_URL;
  await pointApiAt(db.url, writeUrl === undefined ? {} : { DATABASE_WRITE_URL: writeUrl });
}

export interface Posted<T = unknown> {
  status: number;
  body: T;
}

type Handler = (
  request: Request,
  context: { params: Promise<{ symbol: string; timeframe: string; action: string }> },
) => Promise<Response>;

/** POSTs to the action route handler as Next.js would; the body is JSON unless a string is given. */
export async function postAction<T = unknown>(
  handler: Handler,
  params: { symbol: string; timeframe: string; action: string },
  body: unknown = {},
  headers: Record<string, string> = {},
): Promise<Posted<T>> {
  const url = `http://127.0.0.1/api/pairs/${encodeURIComponent(params.symbol)}/${encodeURIComponent(params.timeframe)}/actions/${encodeURIComponent(params.action)}`;
  const response = await handler(
    new Request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: '127.0.0.1', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  const text = await response.text();
  if (!response.headers.get('content-type')?.includes('json'))
    throw new Error(`not JSON (${response.status}): ${text}`);
  return { status: response.status, body: JSON.parse(text) as T };
}

/** md5 of a table's rows in key order: equal before and after means nothing changed. */
export async function checksum(
  db: TestDatabase,
  table: 'data_agg_state' | 'bars_agg',
  where = 'true',
): Promise<string> {
  const order = table === 'bars_agg' ? 'canonical_symbol, timeframe, ts_utc' : 'canonical_symbol, timeframe';
  const row = await db.one<{ md5: string }>(
    `SELECT md5(coalesce(string_agg(t::text, '|' ORDER BY ${order}), '')) AS md5 FROM ${table} t WHERE ${where}`,
  );
  return row.md5;
}

export interface AuditRow {
  id: number;
  actor: string;
  role: string;
  source: string;
  action: string;
  target: string;
  args: Record<string, unknown>;
  result: Record<string, unknown> | null;
  ok: boolean;
}

export const auditRows = (db: TestDatabase) =>
  db.sql<AuditRow>(
    'SELECT id::int, actor, role, source, action, target, args, result, ok FROM operator_actions ORDER BY id',
  );

/** A client connected as the write role itself. */
export async function connectAs(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

/** The end of a suite on the write path: both pools closed, DATABASE_WRITE_URL unset, its database dropped. */
export async function dropActionsDatabase(db: TestDatabase): Promise<void> {
  await closeWritePool();
  await closePool();
  delete process.env.DATABASE_WRITE_URL;
  await db.drop();
}

/** The audit rows written since the current test began (each test starts a new count). */
export function auditRowsOfEachTest(db: () => TestDatabase): () => Promise<Awaited<ReturnType<typeof auditRows>>> {
  let before = 0;
  beforeEach(async () => {
    before = (await auditRows(db())).length;
  });
  return async () => (await auditRows(db())).slice(before);
}
