import { afterAll, beforeAll } from 'vitest';
import { closePool } from '../../lib/server/db';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { MINUTE, currentWindow, insertFrontier, pointApiAt, registerPair } from './support';

export const CORRUPT_ERROR =
  'corrupt source data for AUDUSD/5m window [2026-01-01 00:00:00+00,2026-01-01 00:05:00+00): 1 bar(s) with high < low, a price <= 0 or volume < 0';

/**
 * One pair per health state (three OK). Sources end one minute before the current 5-minute
 * window (XAUUSD: 31 minutes), so bars_behind and gap depend on F only, never on the clock.
 */
export async function seedEveryState(db: TestDatabase): Promise<void> {
  const window = currentWindow();
  for (const symbol of ['EURUSD', 'BRK.B', 'GBPUSD', 'USDJPY', 'AUDUSD', 'NZDUSD', 'USDCAD', 'USDCHF', 'BTCUSD']) {
    await insertFrontier(db, symbol, window - MINUTE);
  }
  await insertFrontier(db, 'XAUUSD', window - 31 * MINUTE);
  const healthy = { successMinutesAgo: 1, recentBars: [1, 1, 1] };
  await registerPair(db, { symbol: 'EURUSD', timeframe: '5m', cursor: 0, ...healthy });
  await registerPair(db, { symbol: 'EURUSD', timeframe: '15m', cursor: 0, ...healthy });
  await registerPair(db, { symbol: 'BRK.B', timeframe: '1h', cursor: 1, ...healthy });
  await registerPair(db, {
    symbol: 'GBPUSD',
    timeframe: '5m',
    cursor: 42,
    successMinutesAgo: 1,
    recentBars: [100, 100, 100],
  });
  await registerPair(db, { symbol: 'USDJPY', timeframe: '5m', cursor: 10, successMinutesAgo: 73, recentBars: [10] });
  await registerPair(db, {
    symbol: 'AUDUSD',
    timeframe: '5m',
    cursor: 5,
    successMinutesAgo: 20,
    failures: 3,
    lastError: CORRUPT_ERROR,
    lastErrorSqlstate: '22000',
    lastErrorHint: 'fix or delete the bad bars_1m rows, then the next run carries on',
    recentBars: [5],
  });
  await registerPair(db, { symbol: 'NZDUSD', timeframe: '5m', cursor: 'ahead', successMinutesAgo: 1 });
  await registerPair(db, { symbol: 'USDCAD', timeframe: '5m', cursor: 'null' });
  await registerPair(db, { symbol: 'XAUUSD', timeframe: '5m', cursor: 0, ...healthy });
  await registerPair(db, {
    symbol: 'USDCHF',
    timeframe: '5m',
    cursor: 2,
    successMinutesAgo: 1,
    recentBars: [0, 0, 0, 0],
  });
  await registerPair(db, { symbol: 'BTCUSD', timeframe: '5m', cursor: 0, enabled: false, successMinutesAgo: 500 });
}

/** The fixture's pairs worst first, as the API must order them. */
export const WORST_FIRST = [
  'NZDUSD/5m:AHEAD',
  'USDCAD/5m:NULL',
  'AUDUSD/5m:FAILING',
  'USDJPY/5m:STALLED',
  'XAUUSD/5m:SOURCE_STALE',
  'GBPUSD/5m:LAGGING',
  'USDCHF/5m:INEFFICIENT',
  'BRK.B/1h:OK',
  'EURUSD/5m:OK',
  'EURUSD/15m:OK',
  'BTCUSD/5m:DISABLED',
];

/**
 * For a suite: its own database seeded with every state, the API pointed at it, dropped
 * afterwards. Returns a getter, as the database exists only once beforeAll ran.
 */
export function useEveryStateDatabase(): () => TestDatabase {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedEveryState(db);
    await pointApiAt(db.url);
  });
  afterAll(async () => {
    await closePool();
    await db?.drop();
  });
  return () => db!;
}
