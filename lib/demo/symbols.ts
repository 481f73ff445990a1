import { SEEDED_TIMEFRAMES, type SeededTimeframe } from '../shared/timeframes';

/**
 * The demo market: a dozen symbols, each with a part to play so that the dashboard shows
 * every health state at once. All trade around the clock here (even equities), so that
 * "healthy" never turns into "source stale" overnight, except AAPL: its demo exchange is
 * closed for the first hours of the demo (CLOSED), and its feed trades only when it is open.
 */

export const ALL_TIMEFRAMES = SEEDED_TIMEFRAMES;
export type DemoTimeframe = SeededTimeframe;

export type DemoRole =
  /** bootstrapped and caught up at the first seed; the worker keeps it so */
  | 'healthy'
  /** ten days of history and bootstrapped at its start: the worker catches it up for ~30 min */
  | 'far_behind'
  /** the feed stopped 90 minutes before the first seed and never resumes */
  | 'stale_source'
  /** a bar with high < low three hours before the first seed: every run of the windows holding it fails */
  | 'corrupt_bar';

export interface DemoSymbol {
  symbol: string;
  kind: 'fx' | 'crypto' | 'equity' | 'future' | 'metal';
  startPrice: number;
  /** standard deviation of one minute's relative move */
  volatility: number;
  /** prices are rounded to this many decimals */
  decimals: number;
  /** typical volume of one minute */
  volume: number;
  role: DemoRole;
  /** a timeframe registered but never bootstrapped (NULL cursor) */
  nullCursor?: DemoTimeframe;
  /** a timeframe whose cursor is set three days past the source frontier (AHEAD) */
  aheadCursor?: DemoTimeframe;
  /** a timeframe registered with enabled = false */
  disabled?: DemoTimeframe;
  /** on the demo exchange's calendar (lib/demo/calendar.ts): closed when the demo starts, so CLOSED */
  demoExchange?: true;
}

export const DEMO_SYMBOLS: readonly DemoSymbol[] = [
  { symbol: 'EURUSD', kind: 'fx', startPrice: 1.0842, volatility: 0.00012, decimals: 5, volume: 900, role: 'healthy' },
  { symbol: 'GBPUSD', kind: 'fx', startPrice: 1.2718, volatility: 0.00014, decimals: 5, volume: 700, role: 'healthy' },
  {
    symbol: 'USDJPY',
    kind: 'fx',
    startPrice: 151.42,
    volatility: 0.00013,
    decimals: 3,
    volume: 800,
    role: 'corrupt_bar',
  },
  {
    symbol: 'XAUUSD',
    kind: 'metal',
    startPrice: 2351.7,
    volatility: 0.0003,
    decimals: 2,
    volume: 300,
    role: 'healthy',
    nullCursor: '4h',
  },
  { symbol: 'BTCUSD', kind: 'crypto', startPrice: 67250, volatility: 0.0011, decimals: 2, volume: 40, role: 'healthy' },
  {
    symbol: 'ETHUSD',
    kind: 'crypto',
    startPrice: 3412.5,
    volatility: 0.0013,
    decimals: 2,
    volume: 350,
    role: 'healthy',
  },
  {
    symbol: 'SOLUSD',
    kind: 'crypto',
    startPrice: 148.3,
    volatility: 0.0019,
    decimals: 3,
    volume: 2_000,
    role: 'healthy',
  },
  {
    symbol: 'AAPL',
    kind: 'equity',
    startPrice: 189.84,
    volatility: 0.0006,
    decimals: 2,
    volume: 25_000,
    role: 'healthy',
    demoExchange: true,
  },
  {
    symbol: 'MSFT',
    kind: 'equity',
    startPrice: 421.9,
    volatility: 0.0005,
    decimals: 2,
    volume: 12_000,
    role: 'healthy',
    disabled: '1d',
  },
  {
    symbol: 'NVDA',
    kind: 'equity',
    startPrice: 903.6,
    volatility: 0.0011,
    decimals: 2,
    volume: 30_000,
    role: 'healthy',
    aheadCursor: '1h',
  },
  {
    symbol: 'ESZ6',
    kind: 'future',
    startPrice: 5612.25,
    volatility: 0.0004,
    decimals: 2,
    volume: 1_500,
    role: 'far_behind',
  },
  {
    symbol: 'CLZ6',
    kind: 'future',
    startPrice: 78.41,
    volatility: 0.0007,
    decimals: 2,
    volume: 800,
    role: 'stale_source',
  },
];

export const HISTORY_MINUTES = 2 * 24 * 60;
export const FAR_BEHIND_HISTORY_MINUTES = 10 * 24 * 60;
export const STALE_SOURCE_STOPPED_MINUTES = 90;
export const CORRUPT_BAR_MINUTES_AGO = 180;
export const AHEAD_BY_DAYS = 3;

/** Symbols whose feed keeps delivering a bar every minute. */
export function isLive(symbol: DemoSymbol): boolean {
  return symbol.role !== 'stale_source';
}

export function historyMinutes(symbol: DemoSymbol): number {
  return symbol.role === 'far_behind' ? FAR_BEHIND_HISTORY_MINUTES : HISTORY_MINUTES;
}
