// source_frontier_at: a symbol's newest source minute at or before each time, in the order asked.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  // 01:00 … 01:59, then silence until 03:00 … 03:09
  await insertBars(db.pool, [
    ...randomWalkBars('FRT', minutesBetween(new Date('2026-03-02T01:00:00Z'), new Date('2026-03-02T02:00:00Z')), 3),
    ...randomWalkBars('FRT', minutesBetween(new Date('2026-03-02T03:00:00Z'), new Date('2026-03-02T03:10:00Z')), 4),
  ]);
});
afterAll(async () => {
  await db?.drop();
});

test('each time gets the newest minute at or before it; before the first bar, NULL', async () => {
  const rows = await db.sql<{ at_utc: Date; source_max_ts_utc: Date | null }>(
    `SELECT * FROM source_frontier_at('FRT', ARRAY['2026-03-02T02:30:00Z', '2026-03-02T00:30:00Z',
       '2026-03-02T01:30:00Z', '2026-03-02T04:00:00Z']::timestamptz[])`,
  );
  expect(rows.map((row) => [row.at_utc.toISOString(), row.source_max_ts_utc?.toISOString() ?? null])).toEqual([
    ['2026-03-02T02:30:00.000Z', '2026-03-02T01:59:00.000Z'],
    ['2026-03-02T00:30:00.000Z', null],
    ['2026-03-02T01:30:00.000Z', '2026-03-02T01:30:00.000Z'],
    ['2026-03-02T04:00:00.000Z', '2026-03-02T03:09:00.000Z'],
  ]);
});

test('bad arguments raise naming the argument', async () => {
  expect(await errorOf(db.sql(`SELECT * FROM source_frontier_at(NULL, ARRAY[now()])`))).toBe(
    'source_frontier_at: p_symbol must name a symbol, not NULL',
  );
  expect(
    await errorOf(db.sql(`SELECT * FROM source_frontier_at('FRT', array_fill(now(), ARRAY[1001]))`)),
  ).toBe('source_frontier_at: p_times must be an array of at most 1000 times, got 1001');
});
