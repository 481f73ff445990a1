import type pg from 'pg';
import type { DemoSymbol } from './symbols';

export interface DemoBar {
  symbol: string;
  ts: Date;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export const MINUTE_MS = 60_000;

export function floorMinute(date: Date): Date {
  return new Date(Math.floor(date.getTime() / MINUTE_MS) * MINUTE_MS);
}

/** Standard normal numbers (Box–Muller): minute returns look like a market's, not a dice's. */
function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

/**
 * A random walk of 1m bars continuing from `lastClose`, one bar per minute in [from, to).
 * Sane by construction: low <= open, close <= high, every price > 0 (after rounding too).
 */
export function walkBars(
  spec: DemoSymbol,
  lastClose: number,
  from: Date,
  to: Date,
  random: () => number = Math.random,
): DemoBar[] {
  const scale = 10 ** spec.decimals;
  const tick = 1 / scale;
  const round = (value: number) => Math.max(tick, Math.round(value * scale) / scale);
  const bars: DemoBar[] = [];
  let price = lastClose;
  for (let t = floorMinute(from).getTime(); t < to.getTime(); t += MINUTE_MS) {
    const open = round(price);
    // A gentle pull towards the start price keeps two weeks of walk in a believable range.
    const drift = (Math.log(spec.startPrice) - Math.log(open)) * 0.001;
    const close = round(open * Math.exp(drift + spec.volatility * gaussian(random)));
    const wick = () => Math.abs(gaussian(random)) * spec.volatility * 0.6;
    const high = round(Math.max(open, close) * (1 + wick()));
    const low = Math.min(open, close, Math.max(tick, round(Math.min(open, close) * (1 - wick()))));
    const volume = Math.max(1, Math.round(spec.volume * (0.3 + random() * 1.4)));
    bars.push({ symbol: spec.symbol, ts: new Date(t), open, high: Math.max(high, open, close), low, close, volume });
    price = close;
  }
  return bars;
}

/** Inserts bars, 5,000 per statement; a bar already there is kept (restarts never duplicate). */
export async function insertDemoBars(db: pg.Pool | pg.PoolClient, bars: DemoBar[]): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < bars.length; i += 5_000) {
    const chunk = bars.slice(i, i + 5_000);
    const result = await db.query(
      `INSERT INTO bars_1m (canonical_symbol, ts_utc, open, high, low, close, volume)
       SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::numeric[], $4::numeric[], $5::numeric[], $6::numeric[], $7::numeric[])
       ON CONFLICT (canonical_symbol, ts_utc) DO NOTHING`,
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
    inserted += result.rowCount ?? 0;
  }
  return inserted;
}

export interface LastBar {
  ts: Date;
  close: number;
}

/** The newest bar of each symbol, by one index probe per symbol. */
export async function lastBars(db: pg.Pool | pg.PoolClient, symbols: string[]): Promise<Map<string, LastBar>> {
  const result = await db.query<{ symbol: string; ts_utc: Date; close: number }>(
    `SELECT s.symbol, b.ts_utc, b.close
       FROM unnest($1::text[]) AS s(symbol)
       CROSS JOIN LATERAL (
         SELECT ts_utc, close FROM bars_1m WHERE canonical_symbol = s.symbol ORDER BY ts_utc DESC LIMIT 1
       ) b`,
    [symbols],
  );
  return new Map(result.rows.map((row) => [row.symbol, { ts: row.ts_utc, close: Number(row.close) }]));
}
