import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';

export interface TestDatabase {
  url: string;
  name: string;
  pool: pg.Pool;
  /** Runs SQL on the pool and returns its rows. */
  sql: <Row extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row[]>;
  /** The single row a query returns; fails the test when there is none. */
  one: <Row extends pg.QueryResultRow = Record<string, unknown>>(text: string, params?: unknown[]) => Promise<Row>;
  drop: () => Promise<void>;
}

function databaseUrl(name: string): string {
  const url = new URL(inject('adminUrl'));
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, migrated database of its own, cloned from the run's template (about 100 ms). */
export async function createTestDatabase(): Promise<TestDatabase> {
  return createDatabaseFrom(inject('templateDatabase'));
}

/** A fresh EMPTY database (from template0): no tables, never migrated — for adoption tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  return createDatabaseFrom('template0');
}

async function createDatabaseFrom(template: string): Promise<TestDatabase> {
  const name = `frontier_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: inject('adminUrl') });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const url = databaseUrl(name);
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => {});
  return {
    url,
    name,
    pool,
    sql: async (text, params = []) => (await pool.query(text, params)).rows,
    one: async <Row extends pg.QueryResultRow>(text: string, params: unknown[] = []) => {
      const row = (await pool.query<Row>(text, params)).rows[0];
      if (!row) throw new Error(`expected a row from: ${text}`);
      return row;
    },
    drop: async () => {
      await pool.end();
      const cleanup = new pg.Client({ connectionString: inject('adminUrl') });
      await cleanup.connect();
      try {
        await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await cleanup.end();
      }
    },
  };
}

/** The message of the error a promise rejects with, or fails the test when it resolves. */
export async function errorOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected the promise to reject, but it resolved');
}
