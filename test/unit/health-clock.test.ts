// lib/health/clock.ts: what moves with the clock alone, the fingerprint without it, and a held
// list brought to a later time by the server's own rules.
import { describe, expect, test } from 'vitest';
import { compareWorstFirst, derivePairHealth, DEFAULT_THRESHOLDS } from '../../lib/health/rules';
import { snapshotVersion } from '../../lib/api/snapshot';
import { clockFreeRow, healthListAsOf, rowAsOf } from '../../lib/health/clock';
import type { MarketSession } from '../../lib/health/market-session';
import type { FrontierRow, HealthListResponse } from '../../lib/shared/types';
import { frontierRow } from '../support/frontier-row';

const G0 = '2026-03-02T12:00:00.000Z';
const at = (iso: string, minutes: number) => new Date(Date.parse(iso) + minutes * 60_000).toISOString();

const openMarket = (change: Partial<MarketSession> = {}): MarketSession => ({
  calendar: 'demo',
  timeZone: 'America/New_York',
  isOpen: true,
  openedAt: '2026-03-02T09:00:00.000Z',
  closesAt: '2026-03-02T21:00:00.000Z',
  nextOpensAt: null,
  lastClosedAt: '2026-02-27T21:00:00.000Z',
  minutesSinceOpen: 180,
  minutesUntilClose: 540,
  minutesUntilOpen: null,
  minutesSinceClose: 5_700,
  ...change,
});

/** As the API answers it at `generatedAt`: every row derived, worst first. */
function answer(rows: FrontierRow[], generatedAt = G0): HealthListResponse {
  const derived = rows.map((row) => ({
    ...derivePairHealth(row, DEFAULT_THRESHOLDS, 0.25),
    state_since: '2026-03-02T10:00:00.000Z',
  }));
  derived.sort(compareWorstFirst);
  return {
    generatedAt,
    thresholds: DEFAULT_THRESHOLDS,
    runIntervalMinutes: 0.25,
    total: rows.length,
    rows: derived,
    replication: { role: 'primary', lagSeconds: 0, replayPaused: false, stale: false, dataAsOf: generatedAt },
  };
}

describe('rowAsOf', () => {
  test('moves the ages and the session distances by the elapsed minutes, in tenths, and nothing else', () => {
    const row = frontierRow({ sourceAgeMinutes: 2, minutesSinceSuccess: 1, market: openMarket() });
    const later = rowAsOf(row, 1.25);
    expect(later).toEqual({
      ...row,
      sourceAgeMinutes: 3.3,
      minutesSinceSuccess: 2.3,
      market: { ...row.market, minutesSinceOpen: 181.3, minutesUntilClose: 538.8, minutesSinceClose: 5_701.3 },
    });
    expect(row.sourceAgeMinutes).toBe(2); // the held row is not changed
  });

  test('a distance to an open that has passed stays 0 (the database says what came next)', () => {
    const closed = openMarket({
      isOpen: false,
      openedAt: null,
      closesAt: null,
      nextOpensAt: G0,
      minutesSinceOpen: null,
      minutesUntilClose: null,
      minutesUntilOpen: 0.5,
    });
    expect(rowAsOf(frontierRow({ market: closed }), 2).market).toMatchObject({
      minutesUntilOpen: 0,
      minutesUntilClose: null,
      minutesSinceOpen: null,
    });
  });

  test('nulls stay null, and one moved session is shared by the rows of a symbol', () => {
    const market = openMarket();
    const markets = new Map<MarketSession, MarketSession>();
    const [a, b] = ['5m', '1h'].map((timeframe) =>
      rowAsOf(frontierRow({ timeframe, sourceAgeMinutes: null, minutesSinceSuccess: null, market }), 1, markets),
    );
    expect(a!.sourceAgeMinutes).toBeNull();
    expect(a!.minutesSinceSuccess).toBeNull();
    expect(a!.market).toBe(b!.market);
  });
});

describe('clockFreeRow', () => {
  const row = frontierRow({ market: openMarket(), lastError: null });

  test('equal for a row and the same row later: the clock alone changes no fingerprint', () => {
    expect(clockFreeRow(rowAsOf(row, 7.5))).toBe(clockFreeRow(row));
  });

  // Every other field: a change to it must change the fingerprint, or a 304 would hide it.
  const changes: { [K in keyof FrontierRow]-?: FrontierRow[K] | 'clock' } = {
    symbol: 'GBPUSD',
    timeframe: '1h',
    stepMinutes: 60,
    enabled: false,
    cursorUtc: '2026-03-02T11:50:00.000Z',
    sourceMaxTsUtc: '2026-03-02T11:58:00.000Z',
    cursorStatus: 'AHEAD',
    gapMinutes: 9,
    barsBehind: 1,
    sourceAgeMinutes: 'clock',
    lastAttemptUtc: '2026-03-02T12:00:15.000Z',
    lastSuccessUtc: '2026-03-02T12:00:15.000Z',
    registeredAtUtc: '2026-01-06T09:00:00.000Z',
    minutesSinceSuccess: 'clock',
    lastError: 'boom',
    lastErrorUtc: G0,
    lastErrorSqlstate: '57014',
    lastErrorHint: 'lower it',
    consecutiveFailures: 1,
    totalRuns: 101,
    totalBarsWritten: 101,
    barsPerRun: 0.5,
    recentBars: [1, 1, 1, 1, 2],
    auditUnrepaired: 1,
    auditUnrepairedFromUtc: G0,
    auditUnrepairedToUtc: G0,
    auditRepaired24h: 1,
    auditLastUtc: G0,
    market: openMarket({ isOpen: false }),
    policy: { name: 'illiquid', stallMinutes: 120, lagBars: null, sourceStaleMinutes: 240, minBarsPerRun: null },
    maintenance: { id: 7, startsAt: G0, endsAt: G0, reason: 'vendor upgrade', createdBy: 'alice' },
    team: 'fx',
  };
  test.each(Object.entries(changes).filter(([, value]) => value !== 'clock'))(
    'a change of %s changes it',
    (field, value) => {
      expect(clockFreeRow({ ...row, [field]: value })).not.toBe(clockFreeRow(row));
    },
  );
  test.each(['openedAt', 'closesAt', 'nextOpensAt', 'lastClosedAt', 'calendar', 'timeZone'] as const)(
    "a change of the session's %s changes it",
    (field) => {
      expect(clockFreeRow({ ...row, market: { ...row.market!, [field]: '2026-03-03T09:00:00.000Z' } })).not.toBe(
        clockFreeRow(row),
      );
    },
  );
  test('a calendar assigned or removed changes it', () => {
    expect(clockFreeRow({ ...row, market: null })).not.toBe(clockFreeRow(row));
  });
});

describe('healthListAsOf', () => {
  // 59.5 min since success: OK at G0, STALLED a minute later; a failing pair stays the worst.
  const rows = [
    frontierRow({ symbol: 'NEAR', minutesSinceSuccess: 59.5 }),
    frontierRow({ symbol: 'FAIL', consecutiveFailures: 2, lastError: 'boom', minutesSinceSuccess: 5 }),
    frontierRow({ symbol: 'CALM', minutesSinceSuccess: 1 }),
  ];
  const later = (minutes: number) =>
    rows.map((row) => ({
      ...row,
      minutesSinceSuccess: row.minutesSinceSuccess! + minutes,
      sourceAgeMinutes: row.sourceAgeMinutes! + minutes,
    }));

  test('equals what the server derives from the rows measured at the later time', () => {
    const moved = healthListAsOf(answer(rows), at(G0, 1));
    const fresh = answer(later(1), at(G0, 1));
    const withoutSince = (list: HealthListResponse) =>
      list.rows.map((pair) => ({ ...pair, state_since: 'not compared' }));
    expect(withoutSince(moved)).toEqual(withoutSince(fresh));
    expect(moved.rows.map((pair) => [pair.symbol, pair.state])).toEqual([
      ['FAIL', 'FAILING'],
      ['NEAR', 'STALLED'],
      ['CALM', 'OK'],
    ]);
    expect(moved.rows[1]!.reason).toBe('no success for 60 min, threshold 60 min, policy default');
    expect(moved.generatedAt).toBe(at(G0, 1));
  });

  test('state_since stays while the state holds, and is unknown for a state the clock alone brought', () => {
    const moved = healthListAsOf(answer(rows), at(G0, 1));
    const since = Object.fromEntries(moved.rows.map((pair) => [pair.symbol, pair.state_since]));
    expect(since).toEqual({ FAIL: '2026-03-02T10:00:00.000Z', NEAR: null, CALM: '2026-03-02T10:00:00.000Z' });
  });

  test('an answer that is not later changes nothing', () => {
    const list = answer(rows);
    expect(healthListAsOf(list, G0)).toBe(list);
    expect(healthListAsOf(list, at(G0, -1))).toBe(list);
  });
});

describe("snapshotVersion (the ETag's first part)", () => {
  const rows = ['A', 'B', 'C'].map((symbol) => frontierRow({ symbol, market: openMarket() }));
  const config = { thresholds: DEFAULT_THRESHOLDS, runIntervalMinutes: 0.25 };
  const since = new Map([['B\t5m', { state: 'OK', stateSince: G0, observedState: 'OK', observedSince: G0 }]]);
  const version = snapshotVersion(rows, since, config);

  test('the same for the same rows in any order, and for the rows later', () => {
    expect(snapshotVersion([rows[2]!, rows[0]!, rows[1]!], since, config)).toBe(version);
    expect(
      snapshotVersion(
        rows.map((row) => rowAsOf(row, 3)),
        since,
        config,
      ),
    ).toBe(version);
  });

  test('another for a row more or less, a history entry, or another setting', () => {
    expect(snapshotVersion(rows.slice(1), since, config)).not.toBe(version);
    expect(snapshotVersion(rows, new Map(), config)).not.toBe(version);
    expect(
      snapshotVersion(rows, new Map([['B\t5m', { ...since.get('B\t5m')!, observedState: 'STALLED' }]]), config),
    ).not.toBe(version);
    expect(snapshotVersion(rows, since, { ...config, runIntervalMinutes: 1 })).not.toBe(version);
    expect(
      snapshotVersion(rows, since, { ...config, thresholds: { ...DEFAULT_THRESHOLDS, stallMinutes: 30 } }),
    ).not.toBe(version);
  });
});
