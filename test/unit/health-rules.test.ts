import { describe, expect, test } from 'vitest';
import { DEFAULT_THRESHOLDS, compareWorstFirst, derivePairHealth, thresholdsFromConfig } from '../../lib/health/rules';
import { failureHint, sqlLiteral } from '../../lib/health/remediation';
import { formatMinutes } from '../../lib/shared/duration';
import { behindPoints, refineTrendWithHistory, trendFromHistory, trendFromState } from '../../lib/health/trend';
import type { FrontierRow, HealthState, RunRecord } from '../../lib/shared/types';
import { frontierRow } from '../support/frontier-row';

const row = frontierRow;

const t = DEFAULT_THRESHOLDS;

describe('derivePairHealth: state and sentences', () => {
  test.each<[string, Partial<FrontierRow>, HealthState, string[]]>([
    ['healthy and caught up', {}, 'OK', ['caught up']],
    [
      'behind but within the lag threshold',
      { barsBehind: 3 },
      'OK',
      ['3 bars behind, within threshold 3 bars, policy default'],
    ],
    [
      'one bar over the lag threshold',
      { barsBehind: 4 },
      'LAGGING',
      ['4 bars behind, threshold 3 bars, policy default'],
    ],
    ['far behind', { barsBehind: 42 }, 'LAGGING', ['42 bars behind, threshold 3 bars, policy default']],
    ['stall boundary: 59.9 min is not stalled', { minutesSinceSuccess: 59.9 }, 'OK', ['caught up']],
    // Strictly more than the threshold, as the documented `minutes_since_success > 60` (lib/health/stall-rule.ts).
    ['stall boundary: exactly 60 min is not stalled', { minutesSinceSuccess: 60 }, 'OK', ['caught up']],
    [
      'stall boundary: 60.1 min is stalled',
      { minutesSinceSuccess: 60.1 },
      'STALLED',
      ['no success for 60 min, threshold 60 min, policy default'],
    ],
    [
      'stalled 73 min',
      { minutesSinceSuccess: 73.4 },
      'STALLED',
      ['no success for 73 min, threshold 60 min, policy default'],
    ],
    [
      'stalled for hours and lagging',
      { minutesSinceSuccess: 185, barsBehind: 37 },
      'STALLED',
      [
        'no success for 3 h 5 min, threshold 60 min, policy default',
        '37 bars behind, threshold 3 bars, policy default',
      ],
    ],
    [
      'never succeeded since registration',
      { lastSuccessUtc: null, minutesSinceSuccess: 61 },
      'STALLED',
      ['no success since registration 61 min ago, threshold 60 min, policy default'],
    ],
    [
      'failing once',
      { consecutiveFailures: 1, lastError: 'corrupt source data for EURUSD/5m window [a,b): 1 bar(s)\nHINT: x' },
      'FAILING',
      ['1 consecutive failed run: corrupt source data for EURUSD/5m window [a,b): 1 bar(s)'],
    ],
    [
      'failing for long: failing outranks stalled',
      { consecutiveFailures: 9, lastError: null, minutesSinceSuccess: 90 },
      'FAILING',
      ['9 consecutive failed runs', 'no success for 90 min, threshold 60 min, policy default'],
    ],
    [
      'AHEAD of the source',
      { cursorStatus: 'AHEAD', cursorUtc: '2026-03-02T13:00:00.000Z', gapMinutes: -61 },
      'AHEAD',
      [
        'cursor is ahead of the source frontier by 65 min: cursor 2026-03-02 13:00:00 UTC, frontier 2026-03-02 11:59:00 UTC',
      ],
    ],
    [
      'AHEAD and failing: AHEAD is the primary, both are said',
      {
        cursorStatus: 'AHEAD',
        cursorUtc: '2026-03-02T13:00:00.000Z',
        consecutiveFailures: 2,
        lastError: 'catchup_aggregation_range: cursor x of EURUSD/5m is AHEAD of the source frontier y',
      },
      'AHEAD',
      [
        'cursor is ahead of the source frontier by 65 min: cursor 2026-03-02 13:00:00 UTC, frontier 2026-03-02 11:59:00 UTC',
        '2 consecutive failed runs: catchup_aggregation_range: cursor x of EURUSD/5m is AHEAD of the source frontier y',
      ],
    ],
    [
      'AHEAD with no source at all',
      { cursorStatus: 'AHEAD', sourceMaxTsUtc: null, sourceAgeMinutes: null, gapMinutes: null, barsBehind: null },
      'AHEAD',
      ['cursor 2026-03-02 11:55:00 UTC is set but EURUSD has no source bars'],
    ],
    [
      'NULL cursor',
      {
        cursorStatus: 'NULL',
        cursorUtc: null,
        gapMinutes: null,
        barsBehind: null,
        lastSuccessUtc: null,
        minutesSinceSuccess: 5,
        recentBars: [],
      },
      'NULL',
      ['cursor is NULL: never bootstrapped'],
    ],
    [
      'NULL cursor and no source yet',
      {
        cursorStatus: 'NULL',
        cursorUtc: null,
        sourceMaxTsUtc: null,
        sourceAgeMinutes: null,
        gapMinutes: null,
        barsBehind: null,
      },
      'NULL',
      ['cursor is NULL: never bootstrapped, and EURUSD has no source bars yet'],
    ],
    [
      'inefficient: behind while runs write nothing',
      { barsBehind: 2, barsPerRun: 0.005 },
      'INEFFICIENT',
      ['0.005 bars per run over recent runs while 2 bars behind, threshold 0.01 bars per run, policy default'],
    ],
    [
      'inefficiency boundary: exactly the minimum is fine',
      { barsBehind: 2, barsPerRun: 0.01 },
      'OK',
      ['2 bars behind, within threshold 3 bars, policy default'],
    ],
    ['low bars per run while caught up is no problem', { barsBehind: 0, barsPerRun: 0 }, 'OK', ['caught up']],
    [
      'lagging and inefficient: lagging is the primary',
      { barsBehind: 10, barsPerRun: 0 },
      'LAGGING',
      [
        '10 bars behind, threshold 3 bars, policy default',
        '0 bars per run over recent runs while 10 bars behind, threshold 0.01 bars per run, policy default',
      ],
    ],
    [
      'bars_per_run NULL (no run with work yet)',
      { barsBehind: 2, barsPerRun: null },
      'OK',
      ['2 bars behind, within threshold 3 bars, policy default'],
    ],
    [
      'disabled: never stalled, never lagging',
      { enabled: false, minutesSinceSuccess: 5000, barsBehind: 900 },
      'DISABLED',
      ['disabled: the worker skips this pair'],
    ],
    [
      'disabled with a NULL cursor',
      { enabled: false, cursorStatus: 'NULL', cursorUtc: null, barsBehind: null },
      'DISABLED',
      ['disabled: the worker skips this pair'],
    ],
    [
      'audit left drift',
      {
        auditUnrepaired: 2,
        auditUnrepairedFromUtc: '2026-03-02T01:00:00.000Z',
        auditUnrepairedToUtc: '2026-03-02T02:05:00.000Z',
      },
      'DRIFT',
      [
        '2 finalized windows differ from bars_1m (audit, not repaired) from 2026-03-02 01:00:00 UTC to 2026-03-02 02:05:00 UTC',
      ],
    ],
    [
      'stalled with drift: the stall first',
      {
        minutesSinceSuccess: 70,
        auditUnrepaired: 1,
        auditUnrepairedFromUtc: '2026-03-02T01:00:00.000Z',
        auditUnrepairedToUtc: '2026-03-02T01:05:00.000Z',
      },
      'STALLED',
      [
        'no success for 70 min, threshold 60 min, policy default',
        '1 finalized window differs from bars_1m (audit, not repaired) from 2026-03-02 01:00:00 UTC to 2026-03-02 01:05:00 UTC',
      ],
    ],
    ['repaired drift is no problem', { auditRepaired24h: 5 }, 'OK', ['caught up']],
    [
      'every number NULL',
      { gapMinutes: null, barsBehind: null, sourceAgeMinutes: null, minutesSinceSuccess: null, barsPerRun: null },
      'OK',
      ['caught up'],
    ],
  ])('%s', (_name, change, state, reasons) => {
    const health = derivePairHealth(row(change), t);
    expect(health.state).toBe(state);
    expect(health.reasons).toEqual(reasons);
    expect(health.reason).toBe(reasons[0]);
    expect(health.severity).toBe(
      [
        'AHEAD',
        'NULL',
        'FAILING',
        'STALLED',
        'DRIFT',
        'SOURCE_STALE',
        'LAGGING',
        'INEFFICIENT',
        'MAINTENANCE',
        'CLOSED',
        'OK',
        'DISABLED',
      ].indexOf(state),
    );
  });
});

describe('quiet markets: an idle source is not a stall', () => {
  test.each<[string, Partial<FrontierRow>, HealthState, string]>([
    // The worker's idle runs keep last_success_utc fresh while the feed sleeps.
    [
      'weekend: feed silent 2 days, worker idle-succeeding',
      { sourceAgeMinutes: 2 * 24 * 60 + 30, minutesSinceSuccess: 0.3 },
      'SOURCE_STALE',
      'source feed silent for 2 d 0 h, threshold 15 min, policy default; the aggregator is fine',
    ],
    [
      'trading halt: 38 min',
      { sourceAgeMinutes: 38, minutesSinceSuccess: 0.5 },
      'SOURCE_STALE',
      'source feed silent for 38 min, threshold 15 min, policy default; the aggregator is fine',
    ],
    [
      'source boundary: exactly 15 min is stale',
      { sourceAgeMinutes: 15 },
      'SOURCE_STALE',
      'source feed silent for 15 min, threshold 15 min, policy default; the aggregator is fine',
    ],
    ['source boundary: 14.9 min is fresh', { sourceAgeMinutes: 14.9 }, 'OK', 'caught up'],
    [
      'feed stopped with a backlog: the aggregator is succeeding, not fine',
      { sourceAgeMinutes: 40, barsBehind: 12 },
      'SOURCE_STALE',
      'source feed silent for 40 min, threshold 15 min, policy default; the aggregator is succeeding',
    ],
    [
      'weekend AND worker down: the stall is the news',
      { sourceAgeMinutes: 3000, minutesSinceSuccess: 75 },
      'STALLED',
      'no success for 75 min, threshold 60 min, policy default',
    ],
    [
      '1d pair overnight: nothing complete, no runs with work, worker idle',
      { timeframe: '1d', stepMinutes: 1440, sourceAgeMinutes: 3, barsBehind: 0, barsPerRun: null, recentBars: [] },
      'OK',
      'caught up',
    ],
  ])('%s', (_name, change, state, reason) => {
    const health = derivePairHealth(row(change), t);
    expect(health.state).toBe(state);
    expect(health.reason).toBe(reason);
  });

  test('a stalled pair during a weekend also says the feed is silent, without "the aggregator is fine"', () => {
    const health = derivePairHealth(row({ sourceAgeMinutes: 3000, minutesSinceSuccess: 75 }), t);
    expect(health.reasons).toEqual([
      'no success for 75 min, threshold 60 min, policy default',
      'source feed silent for 2 d 2 h, threshold 15 min, policy default',
    ]);
  });
});

describe('actions', () => {
  test.each<[string, Partial<FrontierRow>, string]>([
    [
      'NULL',
      { symbol: "O'NEIL", cursorStatus: 'NULL', cursorUtc: null, barsBehind: null },
      "bootstrap it: SELECT bootstrap_aggregation_cursor('O''NEIL', '5m');",
    ],
    [
      'AHEAD',
      { cursorStatus: 'AHEAD' },
      "run the reset dry run: SELECT * FROM reset_aggregation_cursor('EURUSD', '5m', true); then with false",
    ],
    // The HINT the SQL raised the failure with, as sql/012 keeps it.
    [
      'FAILING on corrupt data',
      {
        consecutiveFailures: 1,
        lastError: 'corrupt source data for X',
        lastErrorSqlstate: '22000',
        lastErrorHint: 'fix or delete the bad bars_1m rows, then the next run carries on',
      },
      'look at the last error: fix or delete the bad bars_1m rows, then the next run carries on',
    ],
    [
      'FAILING on a NULL cursor',
      {
        consecutiveFailures: 4,
        lastError: 'catchup_aggregation_range: start cursor is NULL for X/5m',
        lastErrorSqlstate: '22004',
        lastErrorHint: "bootstrap it: SELECT bootstrap_aggregation_cursor('X', '5m');",
      },
      "look at the last error: bootstrap it: SELECT bootstrap_aggregation_cursor('X', '5m');",
    ],
    ['OK', {}, 'nothing to do'],
  ])('%s', (_name, change, action) => {
    expect(derivePairHealth(row(change), t).action).toBe(action);
  });

  test.each<[string | null, string | null, string]>([
    ['XX000', 'a logic bug: disable the pair and report it', 'a logic bug: disable the pair and report it'], // the HINT wins
    ['57014', null, 'the run timed out; lower WORKER_MAX_WINDOWS'], // PostgreSQL's own: by SQLSTATE
    ['40001', null, 'another run moved the cursor; it retries by itself'],
    ['22000', null, 'fix its cause; the next run retries'], // no HINT, no advice for the SQLSTATE
    [null, null, 'fix its cause; the next run retries'], // recorded before sql/012
  ])('failureHint(sqlstate %j, hint %j)', (lastErrorSqlstate, lastErrorHint, hint) =>
    expect(failureHint({ lastErrorSqlstate, lastErrorHint })).toBe(hint),
  );
});

describe('thresholds come from configuration', () => {
  test('custom thresholds change the verdict and the sentence', () => {
    const custom = thresholdsFromConfig({
      HEALTH_STALL_MINUTES: 30,
      HEALTH_LAG_BARS: 10,
      HEALTH_SOURCE_STALE_MINUTES: 5,
      HEALTH_MIN_BARS_PER_RUN: 0.5,
    });
    expect(custom).toEqual({ stallMinutes: 30, lagBars: 10, sourceStaleMinutes: 5, minBarsPerRun: 0.5 });
    expect(derivePairHealth(row({ minutesSinceSuccess: 45 }), custom).reason).toBe(
      'no success for 45 min, threshold 30 min, policy default',
    );
    expect(derivePairHealth(row({ barsBehind: 8, barsPerRun: 0.4 }), custom).state).toBe('INEFFICIENT');
    expect(derivePairHealth(row({ barsBehind: 8, barsPerRun: 1 }), custom).reason).toBe(
      '8 bars behind, within threshold 10 bars, policy default',
    );
  });
});

describe('formatting', () => {
  test.each([
    [0, '0 min'],
    [59.99, '59 min'],
    [119, '119 min'],
    [120, '2 h 0 min'],
    [47 * 60 + 59, '47 h 59 min'],
    [48 * 60, '2 d 0 h'],
    [-3, '0 min'],
  ])('formatMinutes(%d) = %s', (minutes, text) => expect(formatMinutes(minutes)).toBe(text));
  test('sqlLiteral doubles quotes', () => expect(sqlLiteral("a'b''c")).toBe("'a''b''''c'"));
});

describe('trendFromState (the list: state only)', () => {
  const context = { runIntervalMinutes: 0.25, stallMinutes: 60 };
  test.each<[string, Partial<FrontierRow>, string, number | null]>([
    ['caught up', {}, 'steady', 0],
    // 100 bars per run cleared, 0.25/5 = 0.05 arriving: 42 / 99.95 runs * 0.25 min
    ['42 behind, clearing 100 per run', { barsBehind: 42, recentBars: [100, 100, 100] }, 'catching_up', 0.1],
    [
      '600 behind, clearing 10 per run',
      { barsBehind: 600, recentBars: [0, 0, 10, 10, 10, 10, 10] },
      'catching_up',
      15.1,
    ],
    // 1m-step arrival 0.25/1 = 0.25 windows per run vs 0.25 cleared: neither
    ['clearing what arrives', { stepMinutes: 1, barsBehind: 5, recentBars: [0, 0, 1, 0] }, 'steady', null],
    ['runs write nothing while behind', { barsBehind: 5, recentBars: [0, 0, 0] }, 'falling_behind', null],
    ['failing clears nothing', { barsBehind: 5, consecutiveFailures: 2, recentBars: [100] }, 'falling_behind', null],
    ['stalled clears nothing', { barsBehind: 5, minutesSinceSuccess: 61, recentBars: [100] }, 'falling_behind', null],
    ['behind with no recent runs', { barsBehind: 5, recentBars: [] }, 'unknown', null],
    ['NULL cursor', { cursorStatus: 'NULL', barsBehind: null }, 'unknown', null],
    ['AHEAD', { cursorStatus: 'AHEAD' }, 'unknown', null],
    ['disabled', { enabled: false, barsBehind: 10 }, 'unknown', null],
  ])('%s', (_name, change, trend, eta) => {
    expect(trendFromState(row(change), context)).toEqual({ trend, etaMinutes: eta });
  });

  test('derivePairHealth carries the trend and uses the run interval it is given', () => {
    const health = derivePairHealth(row({ barsBehind: 600, recentBars: [10, 10] }), t, 1);
    // 1-minute runs: 0.2 windows arrive per run, 9.8 net per run, 600 / 9.8 = 61.2 runs of 1 min
    expect([health.trend, health.etaMinutes]).toEqual(['catching_up', 61.2]);
  });
});

describe('trendFromHistory (the pair page: bars_behind over time)', () => {
  const at = (minute: number, barsBehind: number) => ({ atMs: Date.UTC(2026, 2, 2, 12, minute), barsBehind });
  test.each<[string, ReturnType<typeof at>[], number, string | null, number | null]>([
    ['falling 10 bars per minute', [at(0, 100), at(1, 90), at(2, 80), at(3, 70)], 70, 'catching_up', 7],
    ['growing 2 per minute', [at(0, 10), at(1, 12), at(2, 14)], 14, 'falling_behind', null],
    ['flat', [at(0, 5), at(10, 5), at(20, 5)], 5, 'steady', null],
    ['less than one bar of change over the span is steady', [at(0, 5), at(10, 5), at(20, 4.5)], 5, 'steady', null],
    ['caught up now', [at(0, 30), at(1, 20), at(2, 10)], 0, 'steady', 0],
    ['two points are not enough', [at(0, 30), at(1, 20)], 20, null, null],
    ['one instant', [at(0, 30), at(0, 20), at(0, 10)], 10, null, null],
  ])('%s', (_name, points, now, trend, eta) => {
    const estimate = trendFromHistory(points, now);
    expect(estimate === null ? null : estimate.trend).toBe(trend);
    expect(estimate === null ? null : estimate.etaMinutes).toBe(eta);
  });

  const run = (id: number, minute: number, ok: boolean, barsBehind?: number): RunRecord => ({
    runId: id,
    startedAtUtc: new Date(Date.UTC(2026, 2, 2, 12, minute)).toISOString(),
    finishedAtUtc: new Date(Date.UTC(2026, 2, 2, 12, minute)).toISOString(),
    ok,
    result: barsBehind === undefined ? { symbol: 'EURUSD' } : { bars_behind: barsBehind },
    error: ok ? null : 'boom',
  });

  test('behindPoints skips failed runs and results without bars_behind', () => {
    expect(
      behindPoints([run(1, 0, true, 50), run(2, 1, false), run(3, 2, true), run(4, 3, true, 20)]).map(
        (p) => p.barsBehind,
      ),
    ).toEqual([50, 20]);
  });

  test('refineTrendWithHistory prefers the history, except for a pair that clears nothing', () => {
    const runs = [run(1, 0, true, 60), run(2, 1, true, 40), run(3, 2, true, 20)];
    const context = { runIntervalMinutes: 0.25, stallMinutes: 60 };
    const lagging = derivePairHealth(row({ barsBehind: 20, recentBars: [] }), t);
    expect(lagging.trend).toBe('unknown');
    expect(refineTrendWithHistory(lagging, runs, context)).toMatchObject({ trend: 'catching_up', etaMinutes: 1 });
    const failing = derivePairHealth(row({ barsBehind: 20, consecutiveFailures: 3 }), t);
    expect(refineTrendWithHistory(failing, runs, context)).toMatchObject({ trend: 'falling_behind', etaMinutes: null });
  });
});

describe('compareWorstFirst', () => {
  test('severity first, then how bad within the state, then symbol and step', () => {
    const pairs = [
      derivePairHealth(row({ symbol: 'B', barsBehind: 10 }), t),
      derivePairHealth(row({ symbol: 'A', barsBehind: 0 }), t),
      derivePairHealth(row({ symbol: 'C', barsBehind: 50 }), t),
      derivePairHealth(row({ symbol: 'A', timeframe: '1h', stepMinutes: 60 }), t),
      derivePairHealth(row({ symbol: 'D', minutesSinceSuccess: 61 }), t),
      derivePairHealth(row({ symbol: 'E', enabled: false }), t),
      derivePairHealth(row({ symbol: 'F', minutesSinceSuccess: 500 }), t),
    ].sort(compareWorstFirst);
    expect(pairs.map((p) => `${p.symbol}/${p.timeframe}:${p.state}`)).toEqual([
      'F/5m:STALLED',
      'D/5m:STALLED',
      'C/5m:LAGGING',
      'B/5m:LAGGING',
      'A/5m:OK',
      'A/1h:OK',
      'E/5m:DISABLED',
    ]);
  });
});
