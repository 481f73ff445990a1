import type { FrontierRow } from '../../lib/shared/types';

/** A healthy, caught-up 5m pair whose worker ran a minute ago; each case changes a few fields. */
export function frontierRow(change: Partial<FrontierRow> = {}): FrontierRow {
  return {
    symbol: 'EURUSD',
    timeframe: '5m',
    stepMinutes: 5,
    enabled: true,
    cursorUtc: '2026-03-02T11:55:00.000Z',
    sourceMaxTsUtc: '2026-03-02T11:59:00.000Z',
    cursorStatus: 'OK',
    gapMinutes: 4,
    barsBehind: 0,
    sourceAgeMinutes: 2,
    lastAttemptUtc: '2026-03-02T12:00:00.000Z',
    lastSuccessUtc: '2026-03-02T12:00:00.000Z',
    registeredAtUtc: '2026-01-05T09:00:00.000Z',
    minutesSinceSuccess: 1,
    lastError: null,
    lastErrorUtc: null,
    lastErrorSqlstate: null,
    lastErrorHint: null,
    consecutiveFailures: 0,
    totalRuns: 100,
    totalBarsWritten: 100,
    barsPerRun: 1,
    recentBars: [1, 1, 1, 1, 1],
    auditUnrepaired: 0,
    auditUnrepairedFromUtc: null,
    auditUnrepairedToUtc: null,
    auditRepaired24h: 0,
    auditLastUtc: null,
    ...change,
  };
}
