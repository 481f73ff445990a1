// The seed document's four tests, made real.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { catchup, storedCursor } from '../support/catchup';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';

let db: TestDatabase;
const DAY_START = new Date('2026-03-02T00:00:00Z');

beforeAll(async () => {
  db = await createTestDatabase();
  await insertBars(db.pool, randomWalkBars('EURUSD', minutesBetween(DAY_START, new Date('2026-03-02T03:00:00Z')), 7));
});
afterAll(async () => { await db?.drop(); });

describe('Test 1: NULL cursor protection', () => {
  test("the documented call verbatim raises 'start cursor is NULL'", async () => {
    const message = await errorOf(db.sql(`SELECT catchup_aggregation_range('EURUSD', '5m', NULL, 5, NOW(), 1, true)`));
    expect(message).toBe('catchup_aggregation_range: start cursor is NULL for EURUSD/5m');
  });

  test('run_catchup on a registered pair with a NULL cursor raises the same and writes nothing', async () => {
    await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe) VALUES ('EURUSD', '15m')`);
    const message = await errorOf(db.sql(`SELECT run_catchup('EURUSD', '15m', 5, 1)`));
    expect(message).toBe('catchup_aggregation_range: start cursor is NULL for EURUSD/15m');
    expect(await storedCursor(db.pool, 'EURUSD', '15m')).toBeNull();
    const { n } = await db.one<{ n: string }>(`SELECT count(*) AS n FROM bars_agg WHERE timeframe = '15m'`);
    expect(Number(n)).toBe(0);
  });
});

describe('Test 2: malformed aggregation result', () => {
  // The window function really is broken, inside a transaction that is rolled back afterwards.
  async function withBrokenWindows<T>(sourceCountExpr: string, windowStartExpr: string, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`
        CREATE OR REPLACE FUNCTION aggregate_bar_windows(p_symbol text, p_to_tf text, p_from timestamptz, p_to timestamptz)
        RETURNS TABLE (window_start timestamptz, window_end timestamptz, open numeric, high numeric,
                       low numeric, close numeric, volume numeric, source_count integer)
        LANGUAGE sql STABLE AS $$
          SELECT ${windowStartExpr}, p_from + interval '5 minutes', 1::numeric, 1::numeric, 1::numeric, 1::numeric, 1::numeric, ${sourceCountExpr}
        $$`);
      return await body(client);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  }

  test('a result without source_count raises and persists nothing', async () => {
    await db.sql(`SELECT bootstrap_aggregation_cursor('EURUSD', '5m')`);
    const before = await storedCursor(db.pool, 'EURUSD', '5m');
    const message = await withBrokenWindows('NULL::integer', 'p_from', async (client) => {
      const error = await errorOf(catchup(client, { symbol: 'EURUSD', tf: '5m', cursor: before, now: '2026-03-02T04:00:00Z' }));
      return error;
    });
    expect(message).toMatch(/^aggregate window returned no source_count for EURUSD\/5m window \[2026-03-02 00:00:00\+00,2026-03-02 00:05:00\+00\): response=\{.*"source_count": null/);
    expect(await storedCursor(db.pool, 'EURUSD', '5m')).toBe(before);
    const { n } = await db.one<{ n: string }>(`SELECT count(*) AS n FROM bars_agg`);
    expect(Number(n)).toBe(0);
  });

  test('a negative source_count raises the same message', async () => {
    const before = await storedCursor(db.pool, 'EURUSD', '5m');
    const message = await withBrokenWindows('-3', 'p_from', (client) =>
      errorOf(catchup(client, { symbol: 'EURUSD', tf: '5m', cursor: before, now: '2026-03-02T04:00:00Z' })));
    expect(message).toContain('aggregate window returned no source_count for EURUSD/5m window');
    expect(message).toContain('"source_count": -3');
  });

  test('a window outside the requested range raises', async () => {
    const before = await storedCursor(db.pool, 'EURUSD', '5m');
    const message = await withBrokenWindows('5', "p_from - interval '1 day'", (client) =>
      errorOf(catchup(client, { symbol: 'EURUSD', tf: '5m', cursor: before, now: '2026-03-02T04:00:00Z' })));
    expect(message).toMatch(/^aggregate window returned a window outside \[2026-03-02 00:00:00\+00,.* for EURUSD\/5m/);
  });

  test('the one-window form reports source_count, 0 for an empty window', async () => {
    const { full } = await db.one<{ full: { source_count: number } }>(
      `SELECT aggregate_bar_window('EURUSD', '5m', '2026-03-02T00:00Z', '2026-03-02T00:05Z') AS full`);
    expect(full.source_count).toBe(5);
    const { empty } = await db.one<{ empty: { source_count: number } }>(
      `SELECT aggregate_bar_window('EURUSD', '5m', '2026-03-01T00:00Z', '2026-03-01T00:05Z') AS empty`);
    expect(empty.source_count).toBe(0);
  });
});

describe('Test 3: cursor regression', () => {
  test('the guard raises the documented message for a backwards cursor', async () => {
    const message = await errorOf(db.sql(
      `SELECT agg_assert_cursor_forward('EURUSD', '5m', '2026-03-02T01:00Z', '2026-03-02T00:55Z')`));
    expect(message).toBe('Cursor moved backwards: 2026-03-02 00:55:00+00 < 2026-03-02 01:00:00+00 for EURUSD/5m');
  });

  test('random runs (new bars, deleted bars, clock and grace changes) never move a cursor backwards', async () => {
    // The natural cause, source bars deleted behind the cursor, is refused as AHEAD instead.
    const symbol = 'GBPUSD';
    await insertBars(db.pool, randomWalkBars(symbol, minutesBetween(DAY_START, new Date('2026-03-02T01:00:00Z')), 3));
    await db.sql(`SELECT bootstrap_aggregation_cursor($1, '15m')`, [symbol]);
    let minute = 60;
    let previous = (await storedCursor(db.pool, symbol, '15m'))!;
    let aheadErrors = 0;
    for (let step = 0; step < 60; step++) {
      const action = step % 5;
      if (action === 0) {
        await insertBars(db.pool, randomWalkBars(symbol, minutesBetween(
          new Date(DAY_START.getTime() + minute * 60_000), new Date(DAY_START.getTime() + (minute + 20) * 60_000)), step));
        minute += 20;
      } else if (action === 3) {
        await db.sql(`DELETE FROM bars_1m WHERE canonical_symbol = $1 AND ts_utc >= (SELECT max(ts_utc) FROM bars_1m WHERE canonical_symbol = $1) - interval '25 minutes'`, [symbol]);
        minute -= 25;
      }
      const now = new Date(DAY_START.getTime() + (minute + (step % 4) * 7) * 60_000).toISOString();
      try {
        await catchup(db.pool, { symbol, tf: '15m', cursor: previous, maxWindows: 1 + (step % 3), now, grace: step % 11 });
      } catch (error) {
        expect(String(error)).toMatch(/is AHEAD of the source frontier/);
        aheadErrors += 1;
        await db.sql('SELECT * FROM reset_aggregation_cursors()');
      }
      const current = (await storedCursor(db.pool, symbol, '15m'))!;
      if (current < previous) {
        // Only the reset may move a cursor back, and only to the last complete window before F.
        const { ok } = await db.one<{ ok: boolean }>(
          `SELECT $1::timestamptz = agg_last_complete_window_start('15 minutes', 'infinity', 0, max(ts_utc)) AS ok FROM bars_1m WHERE canonical_symbol = $2`,
          [current, symbol]);
        expect(ok).toBe(true);
      }
      previous = current;
    }
    expect(aheadErrors).toBeGreaterThan(0);
  });
});

describe('Test 4: cursor reset and its post-reset validation', () => {
  async function clientWithNotices(): Promise<{ client: pg.Client; notices: string[] }> {
    const client = new pg.Client({ connectionString: db.url });
    const notices: string[] = [];
    client.on('notice', (notice) => notices.push(notice.message ?? ''));
    await client.connect();
    return { client, notices };
  }

  test('resets NULL and AHEAD cursors, validates, and the pairs catch up again', async () => {
    await insertBars(db.pool, randomWalkBars('USDJPY', minutesBetween(DAY_START, new Date('2026-03-02T02:00:00Z')), 9, 150));
    await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc) VALUES
      ('USDJPY', '5m', NULL),
      ('USDJPY', '1h', '2026-03-02T05:00:00Z'),
      ('USDJPY', '15m', '2026-03-02T02:00:00Z'),
      ('USDJPY', '30m', '2026-03-02T01:00:00Z'),
      ('NOSRC', '5m', '2026-03-02T01:00:00Z')`);
    await db.sql(`INSERT INTO bars_agg (canonical_symbol, timeframe, ts_utc, open, high, low, close, volume, source_count)
      VALUES ('USDJPY', '1h', '2026-03-02T03:00:00Z', 1, 1, 1, 1, 1, 1)`);

    const { client, notices } = await clientWithNotices();
    try {
      const all = await client.query(`SELECT * FROM reset_aggregation_cursors(true)`);
      const dry = { rows: all.rows.filter((r) => ['USDJPY', 'NOSRC'].includes(r.canonical_symbol)) };
      expect(dry.rows.map((r) => [r.canonical_symbol, r.timeframe, r.new_cursor_utc?.toISOString() ?? null, r.reason])).toEqual([
        ['NOSRC', '5m', null, 'no_source'],
        ['USDJPY', '15m', '2026-03-02T01:45:00.000Z', 'ahead_of_source'],
        ['USDJPY', '1h', '2026-03-02T01:00:00.000Z', 'ahead_of_source'],
        ['USDJPY', '5m', '2026-03-01T23:55:00.000Z', 'null_cursor'],
      ]);
      expect(await storedCursor(db.pool, 'USDJPY', '1h')).toBe('2026-03-02T05:00:00.000Z'); // dry run wrote nothing
      // The notices count every pair of this suite's database; recount the bars independently.
      const { past } = await db.one<{ past: number }>(
        `SELECT count(*)::int AS past FROM bars_agg a JOIN jsonb_to_recordset($1::jsonb) r(canonical_symbol text, timeframe text, new_cursor_utc timestamptz)
           ON a.canonical_symbol = r.canonical_symbol AND a.timeframe = r.timeframe AND (r.new_cursor_utc IS NULL OR a.ts_utc > r.new_cursor_utc)`,
        [JSON.stringify(all.rows)]);
      expect(past).toBeGreaterThanOrEqual(1); // at least the planted USDJPY 1h bar
      expect(notices).toContain(`Dry run: ${all.rows.length} cursor(s) would be reset; nothing was written`);
      expect(notices).toContain(`Dry run: ${past} bar(s) in bars_agg lie past the new cursors; they would be kept and re-aggregated as the cursors pass again`);

      await client.query(`SELECT * FROM reset_aggregation_cursors()`);
      expect(notices).toContain(`Reset ${all.rows.length} cursor(s); ${past} bar(s) in bars_agg lie past the new cursors: kept, and re-aggregated as the cursors pass again`);
      expect(notices).toContain('Post-reset validation: All cursors within valid range');
    } finally {
      await client.end();
    }
    // F = 01:59: the 15m window [02:00,02:15) had no complete source, [01:45,02:00) has.
    expect(await storedCursor(db.pool, 'USDJPY', '15m')).toBe('2026-03-02T01:45:00.000Z');
    expect(await storedCursor(db.pool, 'USDJPY', '1h')).toBe('2026-03-02T01:00:00.000Z');
    expect(await storedCursor(db.pool, 'USDJPY', '5m')).toBe('2026-03-01T23:55:00.000Z');
    expect(await storedCursor(db.pool, 'USDJPY', '30m')).toBe('2026-03-02T01:00:00.000Z'); // was fine: untouched
    expect(await storedCursor(db.pool, 'NOSRC', '5m')).toBeNull();
    const { n } = await db.one<{ n: string }>(`SELECT count(*) AS n FROM bars_agg WHERE canonical_symbol = 'USDJPY' AND timeframe = '1h'`);
    expect(Number(n)).toBe(1); // the bar past the new cursor is kept (007): users' rows are never deleted
    const statuses = await db.sql<{ cursor_status: string }>(
      `SELECT cursor_status FROM v_aggregation_frontier_health WHERE canonical_symbol = 'USDJPY'`);
    expect(statuses.every((s) => s.cursor_status === 'OK')).toBe(true);
    const run = await db.sql<{ r: { bars_written: number } }>(`SELECT run_catchup('USDJPY', '5m', 1000, 0) AS r`);
    expect(run[0]!.r.bars_written).toBe(24);
  });

  test('a reset that leaves a cursor ahead fails the validation and rolls back', async () => {
    await db.sql(`UPDATE data_agg_state SET last_agg_bar_ts_utc = '2026-03-09T00:00:00Z' WHERE canonical_symbol = 'USDJPY' AND timeframe = '4h'`);
    await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc) VALUES ('USDJPY', '4h', '2026-03-09T00:00:00Z') ON CONFLICT DO NOTHING`);
    // A buggy reset: a trigger that pushes every written cursor far into the future.
    await db.sql(`CREATE FUNCTION test_push_cursor() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN NEW.last_agg_bar_ts_utc := '2030-01-01T00:00:00Z'; RETURN NEW; END $$`);
    await db.sql(`CREATE TRIGGER test_push_cursor BEFORE UPDATE ON data_agg_state FOR EACH ROW EXECUTE FUNCTION test_push_cursor()`);
    try {
      const message = await errorOf(db.sql(`SELECT * FROM reset_aggregation_cursors()`));
      expect(message).toBe('Post-reset validation failed: cursor still ahead of source');
      expect(await storedCursor(db.pool, 'USDJPY', '4h')).toBe('2026-03-09T00:00:00.000Z');
    } finally {
      await db.sql(`DROP TRIGGER test_push_cursor ON data_agg_state`);
    }
  });
});
