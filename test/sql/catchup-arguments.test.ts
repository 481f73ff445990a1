// Grace and wall clock, dry runs, stale cursors, corrupt source data and every bad argument.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { catchup, storedCursor, type CatchupCall } from '../support/catchup';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';

let db: TestDatabase;
const FROM = new Date('2026-04-06T10:00:00Z');
const TO = new Date('2026-04-06T11:00:00Z'); // F = 10:59
const START_CURSOR = '2026-04-06T09:55:00Z';

beforeAll(async () => {
  db = await createTestDatabase();
  await insertBars(db.pool, randomWalkBars('AAPL', minutesBetween(FROM, TO), 11, 190));
  await db.sql(`SELECT bootstrap_aggregation_cursor('AAPL', '5m')`);
});
afterAll(async () => { await db?.drop(); });

async function counts(): Promise<{ bars: number; runs: number }> {
  const [row] = await db.sql<{ bars: string; runs: string }>(
    `SELECT (SELECT count(*) FROM bars_agg) AS bars, (SELECT count(*) FROM data_agg_runs) AS runs`);
  return { bars: Number(row!.bars), runs: Number(row!.runs) };
}

describe('completeness: grace and wall clock', () => {
  test.each([
    // now, grace → cursor after a dry run from 09:55 (F = 10:59 allows up to [10:55,11:00))
    ['2026-04-06T10:31:00Z', 1, '2026-04-06T10:25:00+00:00', 'window_open'],  // [10:25,10:30) + 1 min <= 10:31
    ['2026-04-06T10:30:59Z', 1, '2026-04-06T10:20:00+00:00', 'window_open'],  // one second short
    ['2026-04-06T10:30:00Z', 0, '2026-04-06T10:25:00+00:00', 'window_open'],  // no grace: closed at its end
    ['2026-04-06T10:40:00Z', 10, '2026-04-06T10:25:00+00:00', 'window_open'],
    ['2026-04-06T12:00:00Z', 1, '2026-04-06T10:55:00+00:00', 'source_frontier'], // wall clock far ahead: F decides
    ['2026-04-06T09:00:00Z', 1, '2026-04-06T09:55:00+00:00', 'window_open'],  // clock behind the cursor: no move
  ])('now=%s grace=%i → cursor %s (%s)', async (now, grace, cursor, reason) => {
    const result = await catchup(db.pool, { symbol: 'AAPL', tf: '5m', cursor: START_CURSOR, now, grace, persist: false });
    expect(result.cursor_utc).toBe(cursor);
    expect(result.stop_reason).toBe(reason);
  });

  test('a source frontier one minute short of a window end keeps that window open', async () => {
    const result = await catchup(db.pool, { symbol: 'AAPL', tf: '1h', cursor: '2026-04-06T09:00:00Z', now: '2026-04-07T00:00:00Z', persist: false });
    expect(result).toMatchObject({ cursor_utc: '2026-04-06T10:00:00+00:00', bars_written: 1, source_rows: 60, stop_reason: 'source_frontier' });
    const shorter = await catchup(db.pool, { symbol: 'AAPL', tf: '30m', cursor: '2026-04-06T09:30:00Z', now: '2026-04-07T00:00:00Z', persist: false });
    expect(shorter.cursor_utc).toBe('2026-04-06T10:30:00+00:00');
  });
});

describe('dry run and persistence', () => {
  test('p_persist = false writes nothing and returns the same counts as a real run', async () => {
    const before = await counts();
    const dry = await catchup(db.pool, { symbol: 'AAPL', tf: '5m', cursor: START_CURSOR, now: '2026-04-06T12:00:00Z', persist: false });
    expect(await counts()).toEqual(before);
    expect(await storedCursor(db.pool, 'AAPL', '5m')).toBe('2026-04-06T09:55:00.000Z');
    expect(dry).toMatchObject({ persisted: false, bars_written: 12, source_rows: 60, windows_processed: 12 });

    const real = await catchup(db.pool, { symbol: 'AAPL', tf: '5m', cursor: START_CURSOR, now: '2026-04-06T12:00:00Z' });
    expect(real).toMatchObject({ persisted: true, bars_written: 12, source_rows: 60, windows_processed: 12, cursor_utc: dry.cursor_utc });
    expect(Object.keys(real).sort()).toEqual(expect.arrayContaining(['symbol', 'to_tf', 'start_cursor_utc', 'cursor_utc',
      'windows_processed', 'bars_written', 'source_rows', 'max_source_ts', 'stop_reason', 'persisted', 'duration_ms']));
    expect(real.max_source_ts).toBe('2026-04-06T10:59:00+00:00');
    expect(await counts()).toEqual({ bars: before.bars + 12, runs: before.runs + 1 });
    const [state] = await db.sql<{ total_runs: string; total_bars_written: string; consecutive_failures: number; bars_per_run: number }>(
      `SELECT s.total_runs, s.total_bars_written, s.consecutive_failures, v.bars_per_run
         FROM data_agg_state s JOIN v_aggregation_frontier_health v USING (canonical_symbol, timeframe)
        WHERE canonical_symbol = 'AAPL' AND timeframe = '5m'`);
    expect(state).toMatchObject({ total_runs: '1', total_bars_written: '12', consecutive_failures: 0, bars_per_run: 12 });
  });

  test('a run with nothing to do records success on the state row and no history row', async () => {
    const before = await counts();
    const idle = await catchup(db.pool, { symbol: 'AAPL', tf: '5m', cursor: '2026-04-06T10:55:00Z', now: '2026-04-06T12:00:00Z' });
    expect(idle).toMatchObject({ windows_processed: 0, bars_written: 0, stop_reason: 'source_frontier' });
    expect(await counts()).toEqual(before);
    const [state] = await db.sql<{ total_runs: string; recent: number[] }>(
      `SELECT total_runs, recent_bars AS recent FROM data_agg_state WHERE canonical_symbol = 'AAPL' AND timeframe = '5m'`);
    expect(state).toEqual({ total_runs: '2', recent: [12] });
  });

  test('re-aggregating a window is an idempotent upsert', async () => {
    await db.sql(`UPDATE data_agg_state SET last_agg_bar_ts_utc = '2026-04-06T10:25:00Z' WHERE canonical_symbol = 'AAPL' AND timeframe = '5m'`);
    const snapshot = await db.sql(`SELECT ts_utc, open, high, low, close, volume, source_count FROM bars_agg WHERE timeframe = '5m' ORDER BY ts_utc`);
    await catchup(db.pool, { symbol: 'AAPL', tf: '5m', cursor: '2026-04-06T10:25:00Z', now: '2026-04-06T12:00:00Z' });
    expect(await db.sql(`SELECT ts_utc, open, high, low, close, volume, source_count FROM bars_agg WHERE timeframe = '5m' ORDER BY ts_utc`)).toEqual(snapshot);
  });

  test('a stale start cursor is rejected and changes nothing', async () => {
    const before = await counts();
    const message = await errorOf(catchup(db.pool, { symbol: 'AAPL', tf: '5m', cursor: START_CURSOR, now: '2026-04-06T12:00:00Z' }));
    expect(message).toBe('catchup_aggregation_range: stale start cursor for AAPL/5m: p_start_cursor_utc=2026-04-06 09:55:00+00 but the stored cursor is 2026-04-06 10:55:00+00 (another run moved it)');
    expect(await counts()).toEqual(before);
  });

  test('an unregistered pair cannot be persisted but can be dry-run', async () => {
    const message = await errorOf(catchup(db.pool, { symbol: 'AAPL', tf: '4h', cursor: '2026-04-06T04:00:00Z', now: '2026-04-07T00:00:00Z' }));
    expect(message).toBe('catchup_aggregation_range: pair AAPL/4h is not registered in data_agg_state');
    const dry = await catchup(db.pool, { symbol: 'AAPL', tf: '4h', cursor: '2026-04-06T04:00:00Z', now: '2026-04-07T00:00:00Z', persist: false });
    expect(dry.windows_processed).toBe(0); // [08:00,12:00) is not complete: F = 10:59
  });
});

describe('bad input raises naming the argument', () => {
  const base: CatchupCall = { symbol: 'AAPL', tf: '5m', cursor: START_CURSOR, maxWindows: 5, now: '2026-04-06T12:00:00Z', grace: 1, persist: false };
  test.each<[string, Partial<CatchupCall>, string]>([
    ['NULL symbol', { symbol: null as unknown as string }, 'catchup_aggregation_range: p_symbol must be a non-empty symbol'],
    ['blank symbol', { symbol: '  ' }, 'catchup_aggregation_range: p_symbol must be a non-empty symbol'],
    ['NULL timeframe', { tf: null as unknown as string }, 'catchup_aggregation_range: p_to_tf must not be NULL'],
    ['unknown timeframe', { tf: '7m' }, "catchup_aggregation_range: unknown timeframe p_to_tf='7m' (known: 5m, 15m, 30m, 1h, 4h, 1d)"],
    ['max windows 0', { maxWindows: 0 }, 'catchup_aggregation_range: p_max_windows must be >= 1, got 0'],
    ['max windows negative', { maxWindows: -4 }, 'catchup_aggregation_range: p_max_windows must be >= 1, got -4'],
    ['max windows NULL', { maxWindows: null }, 'catchup_aggregation_range: p_max_windows must be >= 1, got NULL'],
    ['NULL now', { now: null }, 'catchup_aggregation_range: p_now must be a finite timestamp, got NULL'],
    ['infinite now', { now: 'infinity' }, 'catchup_aggregation_range: p_now must be a finite timestamp, got infinity'],
    ['negative grace', { grace: -1 }, 'catchup_aggregation_range: p_grace_minutes must be >= 0, got -1'],
    ['NULL grace', { grace: null }, 'catchup_aggregation_range: p_grace_minutes must be >= 0, got NULL'],
    ['NULL persist', { persist: null }, 'catchup_aggregation_range: p_persist must be true or false, not NULL'],
    ['unaligned cursor', { cursor: '2026-04-06T09:57:00Z' }, 'catchup_aggregation_range: p_start_cursor_utc 2026-04-06 09:57:00+00 is not aligned to the 5m window grid (nearest: 2026-04-06 09:55:00+00)'],
    ['unaligned seconds', { cursor: '2026-04-06T09:55:30Z', tf: '5m' }, 'catchup_aggregation_range: p_start_cursor_utc 2026-04-06 09:55:30+00 is not aligned to the 5m window grid (nearest: 2026-04-06 09:55:00+00)'],
  ])('%s', async (_name, change, message) => {
    expect(await errorOf(catchup(db.pool, { ...base, ...change }))).toBe(message);
  });

  test('a symbol with no source stops with no_source', async () => {
    const result = await catchup(db.pool, { ...base, symbol: 'NOPE' });
    expect(result).toMatchObject({ stop_reason: 'no_source', windows_processed: 0, max_source_ts: null, cursor_utc: '2026-04-06T09:55:00+00:00' });
  });

  test('bootstrap raises for a symbol without source and for an unknown timeframe', async () => {
    expect(await errorOf(db.sql(`SELECT bootstrap_aggregation_cursor('NOPE', '5m')`)))
      .toBe('bootstrap_aggregation_cursor: no source bars in bars_1m for NOPE (p_symbol)');
    expect(await errorOf(db.sql(`SELECT bootstrap_aggregation_cursor('AAPL', 'weekly')`)))
      .toBe("bootstrap_aggregation_cursor: unknown timeframe p_to_tf='weekly' (known: 5m, 15m, 30m, 1h, 4h, 1d)");
    expect(await errorOf(db.sql(`SELECT record_aggregation_failure('NOPE', '5m', 'x', now())`)))
      .toBe('record_aggregation_failure: pair NOPE/5m is not registered (p_symbol, p_to_tf)');
  });

  test('a bootstrapped cursor is left alone by a second bootstrap', async () => {
    const { c } = await db.one<{ c: Date }>(`SELECT bootstrap_aggregation_cursor('AAPL', '5m') AS c`);
    expect(c.toISOString()).toBe('2026-04-06T10:55:00.000Z');
  });
});

describe('corrupt source data', () => {
  test.each([
    ['high below low', 'high = low - 1'],
    ['a zero price', 'open = 0'],
    ['a negative price', 'low = -1, open = 1, close = 1, high = 2'],
  ])('%s raises naming the symbol and the window, and writes nothing', async (_name, corruption) => {
    const symbol = `BAD${_name.length}`;
    await insertBars(db.pool, randomWalkBars(symbol, minutesBetween(FROM, TO), 3));
    await db.sql(`UPDATE bars_1m SET ${corruption} WHERE canonical_symbol = $1 AND ts_utc = '2026-04-06T10:17:00Z'`, [symbol]);
    await db.sql(`SELECT bootstrap_aggregation_cursor($1, '15m')`, [symbol]);
    const before = await counts();
    const message = await errorOf(db.sql(`SELECT run_catchup($1, '15m', 100, 1)`, [symbol]));
    expect(message).toBe(`corrupt source data for ${symbol}/15m window [2026-04-06 10:15:00+00,2026-04-06 10:30:00+00): 1 bar(s) with high < low, a price <= 0 or volume < 0`);
    expect(await counts()).toEqual(before);
    expect(await storedCursor(db.pool, symbol, '15m')).toBe('2026-04-06T09:45:00.000Z');
  });
});
