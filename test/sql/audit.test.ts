// audit_aggregation_range: findings counted, repair idempotent, orphans kept, nothing
// before the oldest source row or after the cursor touched, every bad argument named.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { catchup } from '../support/catchup';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';
import { audit, barsEqualRecompute } from '../support/audit';

let db: TestDatabase;
const FROM = new Date('2026-04-06T00:00:00Z');
const TO = new Date('2026-04-06T06:00:00Z'); // F = 05:59
const NOW = '2026-04-07T00:00:00Z';

async function bar(tf: string, ts: string): Promise<Record<string, unknown> | undefined> {
  const rows = await db.sql(
    `SELECT open::float8, high::float8, low::float8, close::float8, volume::float8, source_count
       FROM bars_agg WHERE canonical_symbol = 'AUD' AND timeframe = $1 AND ts_utc = $2`, [tf, ts]);
  return rows[0];
}

beforeAll(async () => {
  db = await createTestDatabase();
  await insertBars(db.pool, randomWalkBars('AUD', minutesBetween(FROM, TO), 7, 50));
  for (const tf of ['5m', '1h']) {
    const cursor = (await db.one<{ c: Date }>(`SELECT bootstrap_aggregation_cursor('AUD', $1) AS c`, [tf])).c;
    await catchup(db.pool, { symbol: 'AUD', tf, cursor, now: NOW });
  }
  // Source retention took the first 10 minutes: the 1h window at 00:00 is now partial.
  await db.sql(`DELETE FROM bars_1m WHERE canonical_symbol = 'AUD' AND ts_utc < '2026-04-06T00:10:00Z'`);
  // Damage: a missing bar, a drifted bar, an orphan (its source rows are gone), a bar from before
  // retention that the audit must not look at.
  await db.sql(`DELETE FROM bars_agg WHERE canonical_symbol = 'AUD' AND timeframe = '5m' AND ts_utc = '2026-04-06T01:00:00Z'`);
  await db.sql(`UPDATE bars_agg SET close = close + 1 WHERE canonical_symbol = 'AUD' AND timeframe = '5m' AND ts_utc = '2026-04-06T02:00:00Z'`);
  await db.sql(`DELETE FROM bars_1m WHERE canonical_symbol = 'AUD' AND ts_utc >= '2026-04-06T03:00:00Z' AND ts_utc < '2026-04-06T03:05:00Z'`);
});
afterAll(async () => { await db?.drop(); });

describe('findings', () => {
  test('missing, drifted and orphaned are found and counted; a dry audit changes no bar and writes no run', async () => {
    const runsBefore = (await db.one<{ n: number }>('SELECT count(*)::int AS n FROM data_agg_runs')).n;
    const before = await bar('5m', '2026-04-06T02:00:00Z');
    const result = await audit(db.pool, 'AUD', '5m', '2026-04-05T00:00:00Z', '2026-04-08T00:00:00Z', false);
    expect(result).toMatchObject({
      kind: 'audit', symbol: 'AUD', to_tf: '5m', missing: 1, drifted: 1, orphaned: 1, repaired: 0,
      // first window starting at or after the oldest source row (00:10) up to the cursor 05:55
      from_utc: '2026-04-06T00:10:00+00:00', to_utc: '2026-04-06T06:00:00+00:00', windows_checked: 70,
    });
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['symbol', 'to_tf', 'from_utc', 'to_utc',
      'windows_checked', 'missing', 'drifted', 'orphaned', 'repaired', 'duration_ms']));
    expect(await bar('5m', '2026-04-06T02:00:00Z')).toEqual(before);
    expect((await db.one<{ n: number }>('SELECT count(*)::int AS n FROM data_agg_runs')).n).toBe(runsBefore);
    const state = await db.one<{ n: number; f: Date; t: Date }>(
      `SELECT audit_unrepaired AS n, audit_unrepaired_from AS f, audit_unrepaired_to AS t
         FROM data_agg_state WHERE canonical_symbol = 'AUD' AND timeframe = '5m'`);
    expect(state).toEqual({ n: 2, f: new Date('2026-04-06T01:00:00Z'), t: new Date('2026-04-06T02:05:00Z') });
  });

  test('repair upserts missing and drifted, keeps the orphan, records a run of kind audit, and is idempotent', async () => {
    const first = await audit(db.pool, 'AUD', '5m', '2026-04-06T00:00:00Z', '2026-04-06T06:00:00Z', true);
    expect(first).toMatchObject({ missing: 1, drifted: 1, orphaned: 1, repaired: 2 });
    expect(await bar('5m', '2026-04-06T03:00:00Z')).toBeDefined();
    const second = await audit(db.pool, 'AUD', '5m', '2026-04-06T00:00:00Z', '2026-04-06T06:00:00Z', true);
    expect(second).toMatchObject({ missing: 0, drifted: 0, orphaned: 1, repaired: 0 });
    const runs = await db.sql<{ kind: string; repaired: string }>(
      `SELECT result->>'kind' AS kind, result->>'repaired' AS repaired FROM data_agg_runs
        WHERE canonical_symbol = 'AUD' AND timeframe = '5m' AND result->>'kind' = 'audit' ORDER BY run_id`);
    expect(runs).toEqual([{ kind: 'audit', repaired: '2' }, { kind: 'audit', repaired: '0' }]);
    const state = await db.one<{ n: number; f: Date | null; r24: number }>(
      `SELECT audit_unrepaired AS n, audit_unrepaired_from AS f,
              agg_audit_repaired_since(audit_repairs_utc, audit_repairs_n, now() - interval '24 hours') AS r24
         FROM data_agg_state WHERE canonical_symbol = 'AUD' AND timeframe = '5m'`);
    expect(state).toEqual({ n: 0, f: null, r24: 2 });
    // every bar from the oldest complete window to the cursor equals the recomputation (but the orphan)
    expect(await barsEqualRecompute(db.pool, 'AUD', '5m', '2026-04-06T00:10:00Z', '2026-04-06T06:00:00Z')).toEqual(['2026-04-06T03:00:00.000Z']);
  });

  test('the catch-up counters and the bars_per_run ring are left alone', async () => {
    const before = await db.one(`SELECT total_runs, total_bars_written, recent_bars, last_success_utc, last_agg_bar_ts_utc
      FROM data_agg_state WHERE canonical_symbol = 'AUD' AND timeframe = '5m'`);
    await db.sql(`UPDATE bars_agg SET volume = volume + 5 WHERE canonical_symbol = 'AUD' AND timeframe = '5m' AND ts_utc = '2026-04-06T04:00:00Z'`);
    expect(await audit(db.pool, 'AUD', '5m', '2026-04-06T04:00:00Z', '2026-04-06T04:05:00Z', true)).toMatchObject({ windows_checked: 1, repaired: 1 });
    expect(await db.one(`SELECT total_runs, total_bars_written, recent_bars, last_success_utc, last_agg_bar_ts_utc
      FROM data_agg_state WHERE canonical_symbol = 'AUD' AND timeframe = '5m'`)).toEqual(before);
  });

  test('a NULL source_count (an adopted legacy bar) is drift', async () => {
    await db.sql('ALTER TABLE bars_agg ALTER COLUMN source_count DROP NOT NULL');
    await db.sql(`UPDATE bars_agg SET source_count = NULL WHERE canonical_symbol = 'AUD' AND timeframe = '1h' AND ts_utc = '2026-04-06T02:00:00Z'`);
    const result = await audit(db.pool, 'AUD', '1h', '2026-04-06T02:00:00Z', '2026-04-06T03:00:00Z', true);
    expect(result).toMatchObject({ drifted: 1, repaired: 1 });
    expect((await bar('1h', '2026-04-06T02:00:00Z'))?.source_count).toBe(60);
  });
});

describe('bounds', () => {
  test('windows before the oldest source row are never checked or touched', async () => {
    // 1h: the oldest row is 00:10, so the partial window at 00:00 is left as it was.
    const before = await bar('1h', '2026-04-06T00:00:00Z');
    const result = await audit(db.pool, 'AUD', '1h', '2026-04-06T00:00:00Z', '2026-04-06T06:00:00Z', true);
    expect(result).toMatchObject({ from_utc: '2026-04-06T01:00:00+00:00', windows_checked: 5 });
    expect(await bar('1h', '2026-04-06T00:00:00Z')).toEqual(before);
    expect(before?.source_count).toBe(60);
  });

  test('nothing after the cursor is checked or touched', async () => {
    await db.sql(`UPDATE data_agg_state SET last_agg_bar_ts_utc = '2026-04-06T04:55:00Z' WHERE canonical_symbol = 'AUD' AND timeframe = '5m'`);
    await db.sql(`UPDATE bars_agg SET high = high + 1 WHERE canonical_symbol = 'AUD' AND timeframe = '5m' AND ts_utc = '2026-04-06T05:30:00Z'`);
    const touched = await bar('5m', '2026-04-06T05:30:00Z');
    const result = await audit(db.pool, 'AUD', '5m', '2026-04-06T04:00:00Z', '2026-04-07T00:00:00Z', true);
    expect(result).toMatchObject({ to_utc: '2026-04-06T05:00:00+00:00', windows_checked: 12, drifted: 0, repaired: 0 });
    expect(await bar('5m', '2026-04-06T05:30:00Z')).toEqual(touched);
    await db.sql(`UPDATE data_agg_state SET last_agg_bar_ts_utc = '2026-04-06T05:55:00Z' WHERE canonical_symbol = 'AUD' AND timeframe = '5m'`);
  });

  test('p_from is aligned down to its window; p_to ends with the window holding it', async () => {
    const result = await audit(db.pool, 'AUD', '1h', '2026-04-06T02:30:00Z', '2026-04-06T03:10:00Z', false);
    expect(result).toMatchObject({ from_utc: '2026-04-06T02:00:00+00:00', to_utc: '2026-04-06T04:00:00+00:00', windows_checked: 2 });
  });

  test('a NULL cursor or a range wholly after the cursor checks nothing', async () => {
    await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe) VALUES ('AUD', '15m')`);
    expect(await audit(db.pool, 'AUD', '15m', '2026-04-06T00:00:00Z', '2026-04-07T00:00:00Z', true))
      .toMatchObject({ windows_checked: 0, missing: 0, repaired: 0 });
    expect(await audit(db.pool, 'AUD', '5m', '2026-04-06T07:00:00Z', '2026-04-06T08:00:00Z', false))
      .toMatchObject({ windows_checked: 0, from_utc: '2026-04-06T07:00:00+00:00', to_utc: '2026-04-06T07:00:00+00:00' });
  });
});

describe('bad arguments raise naming the argument', () => {
  test.each([
    [[null, '5m', '2026-04-06', '2026-04-07', true], 'p_symbol must be a non-empty symbol'],
    [['AUD', null, '2026-04-06', '2026-04-07', true], 'p_to_tf must not be NULL'],
    [['AUD', '2m', '2026-04-06', '2026-04-07', true], "unknown timeframe p_to_tf='2m'"],
    [['AUD', '5m', null, '2026-04-07', true], 'p_from must be a finite timestamp, got NULL'],
    [['AUD', '5m', '-infinity', '2026-04-07', true], 'p_from must be a finite timestamp, got -infinity'],
    [['AUD', '5m', '2026-04-06', null, true], 'p_to must be a finite timestamp, got NULL'],
    [['AUD', '5m', '2026-04-06', 'infinity', true], 'p_to must be a finite timestamp, got infinity'],
    [['AUD', '5m', '2026-04-07', '2026-04-06', true], 'p_from 2026-04-07 00:00:00+00 must be before p_to'],
    [['AUD', '5m', '2026-04-06', '2026-04-06', true], 'must be before p_to'],
    [['AUD', '5m', '2026-04-06', '2026-04-07', null], 'p_repair must be true or false, not NULL'],
    [['NOPE', '5m', '2026-04-06', '2026-04-07', true], 'pair NOPE/5m is not registered in data_agg_state (p_symbol, p_to_tf)'],
  ])('%j → %s', async (args, message) => {
    const error = await errorOf(db.pool.query('SELECT audit_aggregation_range($1, $2, $3::timestamptz, $4::timestamptz, $5)', args));
    expect(error).toContain('audit_aggregation_range: ');
    expect(error).toContain(message);
  });
});
