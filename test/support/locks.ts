import pg from 'pg';
import type { TestDatabase } from './database';

/** A connection of its own to the test database (a second session, for lock tests). */
export async function connectTo(db: TestDatabase): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return client;
}

/** Resolves once the backend is waiting on a lock (bounded: 5 s). */
export async function waitUntilBlocked(db: TestDatabase, pid: number): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 5_000;) {
    const [row] = await db.sql<{ waiting: boolean }>(
      `SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = $1`,
      [pid],
    );
    if (row?.waiting) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`backend ${pid} never waited on a lock`);
}
