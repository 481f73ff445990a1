// Two connections catching up the same pair at the same moment.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { storedCursor } from '../support/catchup';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { connectTo, waitUntilBlocked as waitUntilBlockedOn } from '../support/locks';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await insertBars(db.pool, randomWalkBars('BTCUSD', minutesBetween(new Date('2026-05-01T00:00:00Z'), new Date('2026-05-03T00:00:00Z')), 21, 60_000));
});
afterAll(async () => { await db?.drop(); });

const connect = () => connectTo(db);
const waitUntilBlocked = (pid: number) => waitUntilBlockedOn(db, pid);

async function duplicatesAndMismatches(tf: string): Promise<{ bars: number; wrong: number }> {
  const [row] = await db.sql<{ bars: string; wrong: string }>(`
    WITH expected AS (
      SELECT agg_window_start(t.step, b.ts_utc) AS ts, count(*)::int AS n, sum(b.volume) AS volume, max(b.high) AS high, min(b.low) AS low
        FROM bars_1m b, agg_timeframes t
       WHERE t.timeframe = $1 AND b.canonical_symbol = 'BTCUSD'
       GROUP BY 1)
    SELECT count(*) AS bars,
           count(*) FILTER (WHERE e.ts IS NULL OR e.n <> a.source_count OR e.volume <> a.volume OR e.high <> a.high OR e.low <> a.low) AS wrong
      FROM bars_agg a LEFT JOIN expected e ON e.ts = a.ts_utc
     WHERE a.canonical_symbol = 'BTCUSD' AND a.timeframe = $1`, [tf]);
  return { bars: Number(row!.bars), wrong: Number(row!.wrong) };
}

test('catchup with the same start cursor: the second waits for the first, then gets a clear error', async () => {
  await db.sql(`SELECT bootstrap_aggregation_cursor('BTCUSD', '5m')`);
  const start = (await storedCursor(db.pool, 'BTCUSD', '5m'))!;
  const [a, b] = [await connect(), await connect()];
  try {
    await a.query('BEGIN');
    await b.query('BEGIN');
    const bPid = (await b.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const call = `SELECT catchup_aggregation_range('BTCUSD', '5m', $1, 300, '2026-05-04T00:00Z', 1, true) AS r`;
    const first = await a.query(call, [start]);
    // b blocks on the state row lock until a commits.
    const second = b.query(call, [start]).then(() => 'resolved', (error: Error) => error.message);
    await waitUntilBlocked(bPid);
    await a.query('COMMIT');
    expect(await second).toBe('catchup_aggregation_range: stale start cursor for BTCUSD/5m: p_start_cursor_utc=2026-04-30 23:55:00+00 but the stored cursor is 2026-05-02 00:55:00+00 (another run moved it)');
    await b.query('ROLLBACK');
    expect(first.rows[0].r.bars_written).toBe(300);
  } finally {
    await a.end();
    await b.end();
  }
  expect(await duplicatesAndMismatches('5m')).toEqual({ bars: 300, wrong: 0 });
});

test('run_catchup from two connections at once: the loser waits, then continues from the moved cursor', async () => {
  await db.sql(`SELECT bootstrap_aggregation_cursor('BTCUSD', '15m')`);
  const clients = await Promise.all([connect(), connect(), connect()]);
  try {
    for (let round = 0; round < 2; round++) {
      const results = await Promise.all(clients.map((c) => c.query(`SELECT run_catchup('BTCUSD', '15m', 25, 1) AS r`)));
      const written = results.map((r) => r.rows[0].r.bars_written as number);
      expect(written).toEqual([25, 25, 25]);
    }
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  // 6 runs × 25 windows, one after another, each window exactly once.
  expect(await duplicatesAndMismatches('15m')).toEqual({ bars: 150, wrong: 0 });
  expect(await storedCursor(db.pool, 'BTCUSD', '15m')).toBe(new Date(Date.parse('2026-05-01T00:00:00Z') + 149 * 15 * 60_000).toISOString());
});

test('a worker that claims with SKIP LOCKED skips a pair another connection is running', async () => {
  const [a, b] = [await connect(), await connect()];
  try {
    await a.query('BEGIN');
    await a.query(`SELECT run_catchup('BTCUSD', '15m', 5, 1)`);
    const skipped = await b.query(`SELECT canonical_symbol FROM data_agg_state WHERE canonical_symbol = 'BTCUSD' AND timeframe = '15m' FOR UPDATE SKIP LOCKED`);
    expect(skipped.rowCount).toBe(0);
    await a.query('COMMIT');
    const free = await b.query(`SELECT canonical_symbol FROM data_agg_state WHERE canonical_symbol = 'BTCUSD' AND timeframe = '15m' FOR UPDATE SKIP LOCKED`);
    expect(free.rowCount).toBe(1);
  } finally {
    await a.end();
    await b.end();
  }
});
