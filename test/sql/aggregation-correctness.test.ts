// A live feed simulated over a long weekend: missing minutes, a weekend gap and minutes that
// arrive late (within the grace). Every timeframe is caught up round after round; at the end
// every bar equals an independent recomputation, and no round ever finalized an open window.
import { afterAll, beforeAll, expect, test } from 'vitest';
import { insertBars, minutesBetween, randomWalkBars, seededRandom, type MinuteBar } from '../support/bars';
import { catchup, storedCursor, TIMEFRAME_MINUTES, type CatchupResult } from '../support/catchup';
import { createTestDatabase, type TestDatabase } from '../support/database';

const SYMBOL = 'XAUUSD';
const GRACE = 2;
const ORIGIN = Date.parse('2000-01-01T00:00:00Z');
const START = new Date('2026-01-08T00:00:00Z'); // a Thursday
const WEEKEND_FROM = Date.parse('2026-01-09T22:00:00Z');
const WEEKEND_TO = Date.parse('2026-01-11T22:00:00Z');
const END = new Date('2026-01-12T06:00:00Z');
const ROUND_MINUTES = 11;

let db: TestDatabase;
beforeAll(async () => { db = await createTestDatabase(); });
afterAll(async () => { await db?.drop(); });

interface Delivery { bar: MinuteBar; at: number }

function generateFeed(): Delivery[] {
  const random = seededRandom(42);
  const minutes = minutesBetween(START, END).filter((m) => m.getTime() < WEEKEND_FROM || m.getTime() >= WEEKEND_TO);
  const bars = randomWalkBars(SYMBOL, minutes, 42, 2050).filter(() => random() > 0.08); // ~8% never arrive
  return bars.map((bar) => {
    const roll = random();
    const lateBy = roll < 0.03 ? 2 : roll < 0.06 ? 1 : 0; // late, but within the grace
    return { bar, at: bar.ts.getTime() + (1 + lateBy) * 60_000 };
  });
}

interface Expected { open: number; high: number; low: number; close: number; volume: number; count: number }

/** The roll-up, recomputed in TypeScript from the bars themselves. */
function recompute(bars: MinuteBar[], stepMinutes: number): Map<string, Expected> {
  const stepMs = stepMinutes * 60_000;
  const windows = new Map<string, Expected>();
  for (const bar of [...bars].sort((a, b) => a.ts.getTime() - b.ts.getTime())) {
    const start = new Date(ORIGIN + Math.floor((bar.ts.getTime() - ORIGIN) / stepMs) * stepMs).toISOString();
    const window = windows.get(start);
    if (!window) {
      windows.set(start, { open: bar.open, high: bar.high, low: bar.low, close: bar.close, volume: bar.volume, count: 1 });
    } else {
      window.high = Math.max(window.high, bar.high);
      window.low = Math.min(window.low, bar.low);
      window.close = bar.close;
      window.volume += bar.volume;
      window.count += 1;
    }
  }
  return windows;
}

test('every timeframe, caught up live over a long weekend, equals an independent recomputation', async () => {
  const feed = generateFeed();
  const timeframes = Object.keys(TIMEFRAME_MINUTES);
  let delivered = 0;
  const stopReasons = new Set<CatchupResult['stop_reason']>();
  let weekendCrossed = false;

  for (let now = START.getTime() + ROUND_MINUTES * 60_000; now <= END.getTime() + 60 * 60_000; now += ROUND_MINUTES * 60_000) {
    const arriving = feed.filter((d) => d.at > (now - ROUND_MINUTES * 60_000) && d.at <= now).map((d) => d.bar);
    if (arriving.length) await insertBars(db.pool, arriving);
    delivered += arriving.length;
    if (delivered === 0) continue;
    const nowIso = new Date(now).toISOString();
    for (const tf of timeframes) {
      await db.sql('SELECT bootstrap_aggregation_cursor($1, $2)', [SYMBOL, tf]);
      const cursor = await storedCursor(db.pool, SYMBOL, tf);
      const maxWindows = (now / 60_000) % 4 === 0 ? 2 : 500;
      const result = await catchup(db.pool, { symbol: SYMBOL, tf, cursor, maxWindows, now: nowIso, grace: GRACE });
      stopReasons.add(result.stop_reason);
      if (tf === '1h' && result.windows_processed > 40 && result.bars_written < result.windows_processed) weekendCrossed = true;
    }
    // No round may leave a cursor past a window that was not complete at that moment.
    const { open_windows } = await db.one<{ open_windows: string }>(`
      SELECT count(*) AS open_windows
        FROM data_agg_state s JOIN agg_timeframes t USING (timeframe)
       WHERE s.last_agg_bar_ts_utc + t.step + make_interval(mins => $2) > $1::timestamptz
          OR s.last_agg_bar_ts_utc + t.step > (SELECT max(ts_utc) FROM bars_1m WHERE canonical_symbol = s.canonical_symbol) + interval '1 minute'`,
      [nowIso, GRACE]);
    expect(Number(open_windows)).toBe(0);
  }

  expect(delivered).toBe(feed.length);
  expect([...stopReasons].sort()).toEqual(['max_windows', 'source_frontier', 'window_open']);
  expect(weekendCrossed).toBe(true);

  const allBars = feed.map((d) => d.bar);
  for (const tf of timeframes) {
    const cursor = (await storedCursor(db.pool, SYMBOL, tf))!;
    const expected = [...recompute(allBars, TIMEFRAME_MINUTES[tf]!).entries()].filter(([ws]) => ws <= cursor);
    const actual = await db.sql<{ ts: Date; open: string; high: string; low: string; close: string; volume: string; source_count: number }>(
      `SELECT ts_utc AS ts, open, high, low, close, volume, source_count FROM bars_agg
        WHERE canonical_symbol = $1 AND timeframe = $2 ORDER BY ts_utc`, [SYMBOL, tf]);
    expect(actual.map((row) => [row.ts.toISOString(), Number(row.open), Number(row.high), Number(row.low), Number(row.close), Number(row.volume), row.source_count]))
      .toEqual(expected.map(([ws, w]) => [ws, w.open, w.high, w.low, w.close, w.volume, w.count]));
    expect(expected.length).toBeGreaterThan(0);
  }
  // The final cursors: everything complete at the end is aggregated (last bar 05:59, grace 2).
  expect(await storedCursor(db.pool, SYMBOL, '5m')).toBe('2026-01-12T05:55:00.000Z');
  expect(await storedCursor(db.pool, SYMBOL, '1d')).toBe('2026-01-11T00:00:00.000Z');
});

test('a run of empty windows is crossed in one step and does not count against p_max_windows', async () => {
  const symbol = 'ESH6';
  const friday = minutesBetween(new Date('2026-01-16T21:00:00Z'), new Date('2026-01-16T22:00:00Z'));
  const sunday = minutesBetween(new Date('2026-01-18T23:00:00Z'), new Date('2026-01-19T00:00:00Z'));
  await insertBars(db.pool, randomWalkBars(symbol, [...friday, ...sunday], 5, 6000));
  await db.sql(`SELECT bootstrap_aggregation_cursor($1, '5m')`, [symbol]);
  const first = await catchup(db.pool, { symbol, tf: '5m', cursor: await storedCursor(db.pool, symbol, '5m'), maxWindows: 12, now: '2026-01-19T01:00:00Z' });
  // 12 windows of Friday's hour, then 49 hours of empty windows crossed with one index probe.
  expect(first).toMatchObject({ bars_written: 12, source_rows: 60, stop_reason: 'max_windows', cursor_utc: '2026-01-18T22:55:00+00:00' });
  expect(first.windows_processed).toBe(12 + (49 * 60) / 5);
  const second = await catchup(db.pool, { symbol, tf: '5m', cursor: first.cursor_utc, maxWindows: 12, now: '2026-01-19T01:00:00Z' });
  expect(second).toMatchObject({ bars_written: 12, windows_processed: 12, source_rows: 60, stop_reason: 'source_frontier', cursor_utc: '2026-01-18T23:55:00+00:00' });
});
