import type pg from 'pg';
import type { DemoBar } from '../../lib/demo/bars';

/** One 1m source bar, as the demo feed makes them. */
export type MinuteBar = DemoBar;

/** Deterministic pseudo-random numbers (mulberry32), so a failing case can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random walk of sane 1m bars at the given minutes (prices with 4 decimals). */
export function randomWalkBars(symbol: string, minutes: Date[], seed = 1, startPrice = 100): MinuteBar[] {
  const random = seededRandom(seed);
  let price = startPrice;
  return minutes.map((ts) => {
    const open = price;
    const close = Math.max(0.01, open * (1 + (random() - 0.5) * 0.004));
    const high = Math.max(open, close) * (1 + random() * 0.001);
    const low = Math.min(open, close) * (1 - random() * 0.001);
    price = close;
    const round = (value: number) => Math.round(value * 10_000) / 10_000;
    return { symbol, ts, open: round(open), high: round(high), low: round(low), close: round(close), volume: Math.floor(random() * 1000) };
  });
}

/** Every minute in [from, to). */
export function minutesBetween(from: Date, to: Date): Date[] {
  const result: Date[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += 60_000) result.push(new Date(t));
  return result;
}

/** Inserts bars with one statement per 5,000 rows. */
export async function insertBars(pool: pg.Pool | pg.PoolClient, bars: MinuteBar[]): Promise<void> {
  for (let i = 0; i < bars.length; i += 5_000) {
    const chunk = bars.slice(i, i + 5_000);
    await pool.query(
      `INSERT INTO bars_1m (canonical_symbol, ts_utc, open, high, low, close, volume)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[])`,
      [
        chunk.map((bar) => bar.symbol),
        chunk.map((bar) => bar.ts.toISOString()),
        chunk.map((bar) => bar.open),
        chunk.map((bar) => bar.high),
        chunk.map((bar) => bar.low),
        chunk.map((bar) => bar.close),
        chunk.map((bar) => bar.volume),
      ],
    );
  }
}
