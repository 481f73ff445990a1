// One read pool and one write pool per process (lib/server/db.ts, lib/server/write-db.ts),
// whichever copy of the modules asks: Next.js bundles the routes, the pages and the history
// writer apart, and with a pool per copy a process opened up to three. Real PostgreSQL.
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { closePool, getPool, query } from '../../lib/server/db';
import { closeWritePool, getWritePool } from '../../lib/server/write-db';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { pointApiAt } from './support';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await pointApiAt(db.url);
});

afterAll(async () => {
  await closePool();
  await closeWritePool();
  await db.drop();
});

/** The modules as another of Next.js' bundles holds them: a second copy of each. */
async function anotherCopy() {
  vi.resetModules();
  return {
    db: await import('../../lib/server/db'),
    writeDb: await import('../../lib/server/write-db'),
  };
}

test('a second copy of the modules gets the same pools, and queries through them', async () => {
  const reads = getPool();
  const writes = getWritePool();
  const copy = await anotherCopy();
  expect(copy.db.getPool).not.toBe(getPool);
  expect(copy.db.getPool()).toBe(reads);
  expect(copy.writeDb.getWritePool()).toBe(writes);
  expect(await copy.db.query<{ one: number }>('one', 'SELECT 1 AS one')).toEqual([{ one: 1 }]);
  expect(await copy.writeDb.writeQuery<{ two: number }>('two', 'SELECT 2 AS two')).toEqual([{ two: 2 }]);
  // Connections opened by either copy are the one pool's.
  expect(reads.totalCount).toBeGreaterThan(0);
});

test('a pool closed through one copy is closed for every copy: the next ask opens a new one', async () => {
  const reads = getPool();
  const copy = await anotherCopy();
  await copy.db.closePool();
  const reopened = getPool();
  expect(reopened).not.toBe(reads);
  expect(copy.db.getPool()).toBe(reopened);
  expect(await query<{ three: number }>('three', 'SELECT 3 AS three')).toEqual([{ three: 3 }]);
});
