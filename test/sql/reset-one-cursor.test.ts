// reset_aggregation_cursor: the reset of one pair, which never moves another pair's cursor.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { storedCursor } from '../support/catchup';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';

let db: TestDatabase;
const DAY_START = new Date('2026-03-02T00:00:00Z');
const AHEAD = '2026-03-05T00:00:00.000Z';

// Every pair of the suite: three AHEAD, one NULL, one fine; F = 01:59 for both symbols.
async function plantCursors(): Promise<void> {
  await db.sql(`DELETE FROM data_agg_state`);
  await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc) VALUES
    ('NVDA', '1h', $1), ('NVDA', '4h', $1), ('XAUUSD', '4h', $1), ('XAUUSD', '5m', NULL), ('XAUUSD', '15m', '2026-03-02T01:00:00Z')`, [AHEAD]);
}

async function allCursors(): Promise<Record<string, string | null>> {
  const rows = await db.sql<{ pair: string; cursor: Date | null }>(
    `SELECT canonical_symbol || '/' || timeframe AS pair, last_agg_bar_ts_utc AS cursor FROM data_agg_state ORDER BY 1`);
  return Object.fromEntries(rows.map((row) => [row.pair, row.cursor?.toISOString() ?? null]));
}

async function withNotices<T>(body: (client: pg.Client) => Promise<T>): Promise<{ result: T; notices: string[] }> {
  const client = new pg.Client({ connectionString: db.url });
  const notices: string[] = [];
  client.on('notice', (notice) => notices.push(notice.message ?? ''));
  await client.connect();
  try {
    return { result: await body(client), notices };
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  db = await createTestDatabase();
  const minutes = minutesBetween(DAY_START, new Date('2026-03-02T02:00:00Z'));
  await insertBars(db.pool, [...randomWalkBars('NVDA', minutes, 3, 120), ...randomWalkBars('XAUUSD', minutes, 5, 2000)]);
});
afterAll(async () => { await db?.drop(); });

describe('reset_aggregation_cursor', () => {
  test('the dry run names only the pair and writes nothing', async () => {
    await plantCursors();
    const before = await allCursors();
    const { result, notices } = await withNotices((client) => client.query(`SELECT * FROM reset_aggregation_cursor('NVDA', '1h', true)`));
    expect(result.rows.map((r) => [r.canonical_symbol, r.timeframe, r.old_cursor_utc.toISOString(), r.new_cursor_utc.toISOString(), r.reason]))
      .toEqual([['NVDA', '1h', AHEAD, '2026-03-02T01:00:00.000Z', 'ahead_of_source']]);
    expect(notices).toEqual([
      'Dry run: 1 cursor(s) would be reset; nothing was written',
      'Dry run: 0 bar(s) in bars_agg lie past the new cursors; they would be kept and re-aggregated as the cursors pass again',
    ]);
    expect(await allCursors()).toEqual(before);
  });

  test('the reset moves that pair and no other, validates it and says so', async () => {
    await plantCursors();
    const before = await allCursors();
    const { result, notices } = await withNotices((client) => client.query(`SELECT * FROM reset_aggregation_cursor('NVDA', '1h')`));
    expect(result.rows).toHaveLength(1);
    expect(notices).toEqual([
      'Reset 1 cursor(s); 0 bar(s) in bars_agg lie past the new cursors: kept, and re-aggregated as the cursors pass again',
      'Post-reset validation: All cursors within valid range',
    ]);
    // NVDA/4h and XAUUSD/4h are AHEAD too and XAUUSD/5m is NULL: all untouched.
    expect(await allCursors()).toEqual({ ...before, 'NVDA/1h': '2026-03-02T01:00:00.000Z' });
  });

  test('a NULL cursor goes to the bootstrap position', async () => {
    await plantCursors();
    const rows = await db.sql<{ new_cursor_utc: Date; reason: string }>(`SELECT * FROM reset_aggregation_cursor('XAUUSD', '5m')`);
    expect(rows.map((r) => [r.new_cursor_utc.toISOString(), r.reason])).toEqual([['2026-03-01T23:55:00.000Z', 'null_cursor']]);
    expect(await storedCursor(db.pool, 'XAUUSD', '5m')).toBe('2026-03-01T23:55:00.000Z');
    expect(await storedCursor(db.pool, 'XAUUSD', '4h')).toBe(AHEAD);
  });

  test('a pair in range returns no row and changes nothing', async () => {
    await plantCursors();
    const before = await allCursors();
    expect(await db.sql(`SELECT * FROM reset_aggregation_cursor('XAUUSD', '15m')`)).toEqual([]);
    expect(await allCursors()).toEqual(before);
  });

  test('the validation covers that pair: a reset left ahead raises and rolls back', async () => {
    await plantCursors();
    await db.sql(`CREATE FUNCTION test_push_one_cursor() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.last_agg_bar_ts_utc := '2030-01-01T00:00:00Z'; RETURN NEW; END $$`);
    await db.sql(`CREATE TRIGGER test_push_one_cursor BEFORE UPDATE ON data_agg_state FOR EACH ROW EXECUTE FUNCTION test_push_one_cursor()`);
    try {
      expect(await errorOf(db.sql(`SELECT * FROM reset_aggregation_cursor('NVDA', '1h')`)))
        .toBe('Post-reset validation failed: cursor still ahead of source');
      expect(await storedCursor(db.pool, 'NVDA', '1h')).toBe(AHEAD);
    } finally {
      await db.sql(`DROP TRIGGER test_push_one_cursor ON data_agg_state`);
      await db.sql(`DROP FUNCTION test_push_one_cursor()`);
    }
  });

  test('another pair still AHEAD does not fail the validation of this one', async () => {
    await plantCursors();
    await expect(db.sql(`SELECT * FROM reset_aggregation_cursor('NVDA', '1h')`)).resolves.toHaveLength(1);
    expect(await storedCursor(db.pool, 'XAUUSD', '4h')).toBe(AHEAD);
  });

  test.each([
    [`NULL, '1h'`, "reset_aggregation_cursor: p_symbol must name a symbol, got NULL"],
    [`'  ', '1h'`, "reset_aggregation_cursor: p_symbol must name a symbol, got '  '"],
    [`'NVDA', '7m'`, "reset_aggregation_cursor: p_to_tf must be one of agg_timeframes (5m 15m 30m 1h 4h 1d), got '7m'"],
    [`'NVDA', NULL`, 'reset_aggregation_cursor: p_to_tf must be one of agg_timeframes (5m 15m 30m 1h 4h 1d), got NULL'],
    [`'NVDA', '1h', NULL`, 'reset_aggregation_cursor: p_dry_run must be true or false, not NULL'],
    [`'NOPE', '1h'`, 'reset_aggregation_cursor: no pair NOPE/1h in data_agg_state (p_symbol, p_to_tf)'],
  ])('bad arguments (%s) raise naming the argument', async (args, message) => {
    await plantCursors();
    const before = await allCursors();
    expect(await errorOf(db.sql(`SELECT * FROM reset_aggregation_cursor(${args})`))).toBe(message);
    expect(await allCursors()).toEqual(before);
  });

  test('the global reset still moves every NULL and AHEAD cursor', async () => {
    await plantCursors();
    const rows = await db.sql<{ pair: string }>(`SELECT canonical_symbol || '/' || timeframe AS pair FROM reset_aggregation_cursors(false)`);
    expect(rows.map((row) => row.pair)).toEqual(['NVDA/1h', 'NVDA/4h', 'XAUUSD/4h', 'XAUUSD/5m']);
  });
});
