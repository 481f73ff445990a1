import type pg from 'pg';
import { insertDemoBars, type DemoBar } from '../../lib/demo/bars';

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
    return {
      symbol,
      ts,
      open: round(open),
      high: round(high),
      low: round(low),
      close: round(close),
      volume: Math.floor(random() * 1000),
    };
  });
}

/** Every minute in [from, to). */
export function minutesBetween(from: Date, to: Date): Date[] {
  const result: Date[] = [];
  for (let t = from.getTime(); t < to.getTime(); t += 60_000) result.push(new Date(t));
  return result;
}

/**
 * Inserts bars with the demo feed's bulk insert. Stricter than the feed: test data must not
 * hold a bar twice, so a bar that was already there is an error, not silently kept.
 */
export async function insertBars(pool: pg.Pool | pg.PoolClient, bars: MinuteBar[]): Promise<void> {
  const inserted = await insertDemoBars(pool, bars);
  if (inserted !== bars.length)
    throw new Error(`insertBars: ${bars.length - inserted} of ${bars.length} bars were already in bars_1m`);
}
