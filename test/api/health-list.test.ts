import { formatUtc } from '../../lib/shared/time-format';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { GET } from '../../app/api/health/route';
import { HEALTH_STATES, type ApiErrorBody, type HealthListResponse } from '../../lib/shared/types';
import { CORRUPT_ERROR, WORST_FIRST, useEveryStateDatabase } from './fixture';
import { call } from './support';

useEveryStateDatabase();

const list = (query = '') => call<HealthListResponse>(GET, `/api/health${query}`);
const names = (body: HealthListResponse) => body.rows.map((row) => `${row.symbol}/${row.timeframe}:${row.state}`);
const bad = async (query: string) => {
  const answer = await call<ApiErrorBody>(GET, `/api/health${query}`);
  expect(answer.status, query).toBe(400);
  expect(answer.body.error.code).toBe('bad_request');
  return answer.body.error.message;
};

describe('GET /api/health', () => {
  test('every pair, worst first, with its state, numbers and sentences', async () => {
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(body.total).toBe(11);
    expect(names(body)).toEqual(WORST_FIRST);
    expect(body.thresholds).toEqual({ stallMinutes: 60, lagBars: 3, sourceStaleMinutes: 15, minBarsPerRun: 0.01 });
    const byKey = new Map(body.rows.map((row) => [`${row.symbol}/${row.timeframe}`, row]));

    const lagging = byKey.get('GBPUSD/5m')!;
    expect(lagging).toMatchObject({
      barsBehind: 42,
      gapMinutes: 214,
      cursorStatus: 'OK',
      reason: '42 bars behind, threshold 3 bars, policy default',
      trend: 'catching_up',
      etaMinutes: 0.1,
      recentBars: [100, 100, 100],
      barsPerRun: 100,
      stepMinutes: 5,
    });
    const stalled = byKey.get('USDJPY/5m')!;
    expect(stalled.reasons).toEqual([
      'no success for 73 min, threshold 60 min, policy default',
      '10 bars behind, threshold 3 bars, policy default',
    ]);
    expect(stalled.minutesSinceSuccess).toBeCloseTo(73, 0);
    expect(stalled.trend).toBe('falling_behind');
    expect(byKey.get('AUDUSD/5m')).toMatchObject({
      consecutiveFailures: 3,
      lastError: CORRUPT_ERROR,
      barsBehind: 5,
      reason: `3 consecutive failed runs: ${CORRUPT_ERROR}`,
      action: 'look at the last error: fix or delete the bad bars_1m rows, then the next run carries on',
    });
    const ahead = byKey.get('NZDUSD/5m')!;
    expect(ahead).toMatchObject({
      cursorStatus: 'AHEAD',
      gapMinutes: -6,
      barsBehind: 0,
      reason: `cursor is ahead of the source frontier by 10 min: cursor ${formatUtc(ahead.cursorUtc)}, frontier ${formatUtc(ahead.sourceMaxTsUtc)}`,
    });
    expect(Date.parse(ahead.cursorUtc!) - Date.parse(ahead.sourceMaxTsUtc!)).toBe(6 * 60_000);
    expect(byKey.get('USDCAD/5m')).toMatchObject({
      cursorUtc: null,
      barsBehind: null,
      gapMinutes: null,
      trend: 'unknown',
      action: "bootstrap it: SELECT bootstrap_aggregation_cursor('USDCAD', '5m');",
    });
    const stale = byKey.get('XAUUSD/5m')!;
    expect(stale.sourceAgeMinutes).toBeGreaterThanOrEqual(31);
    expect(stale.sourceAgeMinutes).toBeLessThan(37);
    expect(stale.reason).toMatch(
      /^source feed silent for 3\d min, threshold 15 min, policy default; the aggregator is fine$/,
    );
    expect(byKey.get('USDCHF/5m')).toMatchObject({
      barsBehind: 2,
      barsPerRun: 0,
      reason: '0 bars per run over recent runs while 2 bars behind, threshold 0.01 bars per run, policy default',
    });
    const hourly = byKey.get('BRK.B/1h')!;
    expect(hourly).toMatchObject({ barsBehind: 1, reason: '1 bar behind, within threshold 3 bars, policy default' });
    // F - cursor: F is a minute before the 5-minute window, the cursor two hours before F's hour.
    expect(hourly.gapMinutes).toBe((Date.parse(hourly.sourceMaxTsUtc!) - Date.parse(hourly.cursorUtc!)) / 60_000);
    expect(hourly.gapMinutes! % 5).toBe(4);
    expect(byKey.get('EURUSD/5m')).toMatchObject({
      barsBehind: 0,
      gapMinutes: 4,
      reason: 'caught up',
      trend: 'steady',
      etaMinutes: 0,
    });
    expect(byKey.get('BTCUSD/5m')).toMatchObject({
      enabled: false,
      severity: HEALTH_STATES.indexOf('DISABLED'),
      reason: 'disabled: the worker skips this pair',
    });
  });

  test.each([
    ['?state=LAGGING', ['GBPUSD/5m:LAGGING']],
    ['?state=ok,lagging', ['GBPUSD/5m:LAGGING', 'BRK.B/1h:OK', 'EURUSD/5m:OK', 'EURUSD/15m:OK']],
    ['?state=OK&state=DISABLED&state=OK', ['BRK.B/1h:OK', 'EURUSD/5m:OK', 'EURUSD/15m:OK', 'BTCUSD/5m:DISABLED']],
    ['?timeframe=1h', ['BRK.B/1h:OK']],
    ['?timeframe=15m,1h', ['BRK.B/1h:OK', 'EURUSD/15m:OK']],
    ['?q=eur', ['EURUSD/5m:OK', 'EURUSD/15m:OK']],
    ['?q=%20BRK.%20', ['BRK.B/1h:OK']],
    ['?q=', WORST_FIRST],
    ['?q=%27%3B%20DROP%20TABLE%20bars_1m%3B--', []],
    ['?q=%3Cscript%3E', []],
    ['?q=%E2%82%AC%F0%9F%93%88', []],
    ['?q=usd&timeframe=5m&state=OK', ['EURUSD/5m:OK']],
    ['?preset=ahead', ['NZDUSD/5m:AHEAD']],
    ['?preset=stalled', ['USDJPY/5m:STALLED', 'BTCUSD/5m:DISABLED']],
    ['?preset=inefficient', ['USDCHF/5m:INEFFICIENT']],
    ['?preset=stalled&state=DISABLED', ['BTCUSD/5m:DISABLED']],
    [
      '?sort=bars_behind&limit=5',
      ['GBPUSD/5m:LAGGING', 'USDJPY/5m:STALLED', 'AUDUSD/5m:FAILING', 'USDCHF/5m:INEFFICIENT', 'BRK.B/1h:OK'],
    ],
    ['?sort=bars_behind&dir=asc&offset=9', ['GBPUSD/5m:LAGGING', 'USDCAD/5m:NULL']],
    ['?sort=symbol&limit=3', ['AUDUSD/5m:FAILING', 'BRK.B/1h:OK', 'BTCUSD/5m:DISABLED']],
    ['?sort=timeframe&dir=desc&limit=2', ['BRK.B/1h:OK', 'EURUSD/15m:OK']],
    ['?sort=gap&limit=2', ['GBPUSD/5m:LAGGING', 'BRK.B/1h:OK']],
    ['?sort=minutes_since_success&limit=2', ['BTCUSD/5m:DISABLED', 'USDJPY/5m:STALLED']],
    ['?sort=severity&dir=desc&limit=2', ['BTCUSD/5m:DISABLED', 'EURUSD/15m:OK']],
    ['?limit=2&offset=1', ['USDCAD/5m:NULL', 'AUDUSD/5m:FAILING']],
    ['?offset=11', []],
    ['?limit=50000', WORST_FIRST],
  ])('%s', async (query, expected) => {
    const { status, body } = await list(query);
    expect(status).toBe(200);
    expect(names(body)).toEqual(expected);
  });

  test('total counts the matches before paging', async () => {
    const { body } = await list('?state=OK&limit=1&offset=1');
    expect([body.total, names(body)]).toEqual([3, ['EURUSD/5m:OK']]);
  });

  test.each([
    [
      '?state=',
      'state must be one of AHEAD, NULL, FAILING, STALLED, DRIFT, SOURCE_STALE, LAGGING, INEFFICIENT, MAINTENANCE, CLOSED, OK, DISABLED, got ""',
    ],
    [
      '?state=OK,',
      'state must be one of AHEAD, NULL, FAILING, STALLED, DRIFT, SOURCE_STALE, LAGGING, INEFFICIENT, MAINTENANCE, CLOSED, OK, DISABLED, got ""',
    ],
    ['?state=BROKEN', 'got "BROKEN"'],
    ['?timeframe=7m', 'timeframe must be one of 5m, 15m, 30m, 1h, 4h, 1d, got "7m"'],
    ['?timeframe=', 'timeframe must be a timeframe such as 5m or 1h, got ""'],
    ["?timeframe=5m'--", `timeframe must be a timeframe such as 5m or 1h, got "5m'--"`],
    [`?q=${'x'.repeat(65)}`, 'q must be at most 64 characters'],
    [
      '?sort=price',
      'sort must be one of severity, symbol, timeframe, bars_behind, minutes_since_success, gap, got "price"',
    ],
    ['?dir=up', 'dir must be one of asc, desc, got "up"'],
    ['?preset=all', 'preset must be one of ahead, stalled, inefficient, drift, got "all"'],
    ['?limit=0', 'limit must be an integer from 1 to 50000, got "0"'],
    ['?limit=50001', 'limit must be an integer from 1 to 50000, got "50001"'],
    ['?limit=-1', 'got "-1"'],
    ['?limit=NaN', 'got "NaN"'],
    ['?limit=1e3', 'got "1e3"'],
    ['?limit=2.5', 'got "2.5"'],
    ['?limit=0x10', 'got "0x10"'],
    ['?limit=', 'limit must be an integer from 1 to 50000, got ""'],
    ['?limit=99999999999999999999999', 'limit must be an integer from 1 to 50000, got "99999999999999999999999"'],
    ['?offset=-5', 'offset must be an integer from 0 to 10000000, got "-5"'],
    ['?limit=5&limit=6', 'parameter limit is given more than once'],
    ['?q=a&q=b', 'parameter q is given more than once'],
    ['?sate=OK', 'unknown parameter "sate"; known: state, timeframe, q, sort, dir, preset, team, limit, offset'],
    ['?%3Cimg%3E=1', 'unknown parameter "<img>"'],
    ['?limit=0&dir=sideways', 'limit must be an integer from 1 to 50000, got "0"'],
  ])('400 for %s', async (query, message) => {
    expect(await bad(query)).toContain(message);
  });

  test('a huge value is refused with a short message', async () => {
    const message = await bad(`?state=${'A'.repeat(100_000)}`);
    expect(message.length).toBeLessThan(300);
  });

  test('property: any query string answers 200 or 400, always JSON, errors always with a code', async () => {
    const names = fc.constantFrom('state', 'timeframe', 'q', 'sort', 'dir', 'preset', 'limit', 'offset', 'x', '');
    const values = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 80 }),
      fc.constantFrom(
        'OK',
        'lagging',
        '5m',
        '1h',
        'asc',
        'symbol',
        'ahead',
        '10',
        '0',
        '-1',
        'NaN',
        '%',
        '%zz',
        '&',
        '=',
      ),
      fc.integer().map(String),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(names, values), { maxLength: 5 }),
        fc.string({ maxLength: 30 }),
        async (pairs, raw) => {
          const search = new URLSearchParams(pairs).toString();
          for (const query of [`?${search}`, `?${raw}`]) {
            const answer = await call<HealthListResponse & ApiErrorBody>(GET, `/api/health${query}`);
            expect([200, 400]).toContain(answer.status);
            expect(answer.contentType).toContain('application/json');
            if (answer.status === 400) expect(answer.body.error.code).toBe('bad_request');
            else expect(answer.body.rows.length).toBeLessThanOrEqual(answer.body.total);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
