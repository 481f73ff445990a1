// The API with market calendars (sql/009): a silent feed outside its session is CLOSED (not a
// problem, counted apart, in the metrics as a state), SOURCE_STALE only once the session has
// been open for the threshold. Calendars are built around the database's now().
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as listGET } from '../../app/api/health/route';
import { GET as summaryGET } from '../../app/api/health/summary/route';
import { GET as metricsGET } from '../../app/api/metrics/route';
import { GET as pairGET } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import { closePool } from '../../lib/server/db';
import type { HealthListResponse, HealthSummaryResponse, PairDetailResponse } from '../../lib/shared/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { call, insertFrontier, MINUTE, pointApiAt, registerPair } from './support';

let db: TestDatabase;

/**
 * A calendar in UTC with one weekly session [now + openIn, + hours), so that the last close
 * was a week earlier; the symbol's last bar is the minute before that close.
 */
async function calendarAround(name: string, symbol: string, openInMinutes: number, hours: number): Promise<void> {
  const { open, close } = await db.one<{ open: Date; close: Date }>(
    `SELECT date_trunc('minute', now()) + make_interval(mins => $1) AS open,
            date_trunc('minute', now()) + make_interval(mins => $1, hours => $2) AS close`,
    [openInMinutes, hours],
  );
  await db.sql(`INSERT INTO market_calendars (calendar, time_zone) VALUES ($1, 'UTC')`, [name]);
  await db.sql(
    `INSERT INTO market_calendar_sessions VALUES ($1, extract(dow FROM $2::timestamptz AT TIME ZONE 'UTC'), ($2::timestamptz AT TIME ZONE 'UTC')::time,
       extract(dow FROM $3::timestamptz AT TIME ZONE 'UTC'), ($3::timestamptz AT TIME ZONE 'UTC')::time)`,
    [name, open, close],
  );
  await db.sql(`INSERT INTO market_calendar_assignments (match, pattern, calendar) VALUES ('exact', $1, $2)`, [
    symbol,
    name,
  ]);
  await insertFrontier(db, symbol, close.getTime() - 7 * 1440 * MINUTE - MINUTE);
  await registerPair(db, { symbol, timeframe: '5m', cursor: 0, successMinutesAgo: 1, recentBars: [1] });
}

beforeAll(async () => {
  db = await createTestDatabase();
  await calendarAround('opens-later', 'SPY', 131, 2); // closed: opens in 2 h 10 min
  await calendarAround('opened-20', 'QQQ', -20, 3); // open 20 min, no bar since: stale
  await calendarAround('opened-5', 'IWM', -5, 3); // open 5 min, no bar yet: fine
  const { now } = await db.one<{ now: Date }>(`SELECT date_trunc('minute', now()) AS now`);
  await insertFrontier(db, 'DIA', now.getTime() - 20 * MINUTE); // no calendar, silent 20 min
  await registerPair(db, { symbol: 'DIA', timeframe: '5m', cursor: 0, successMinutesAgo: 1, recentBars: [1] });
  await pointApiAt(db.url);
});
afterAll(async () => {
  await closePool();
  await db?.drop();
});

describe('market sessions in the API', () => {
  test('/api/health: CLOSED with "opens in", SOURCE_STALE from the open, no calendar as before', async () => {
    const { status, body } = await call<HealthListResponse>(listGET, '/api/health');
    expect(status).toBe(200);
    const by = new Map(body.rows.map((row) => [row.symbol, row]));
    // Calendars are laid out on whole minutes at set-up; a minute boundary may pass before this
    // request, so each duration may read one minute further along; and 130.9 minutes to the open
    // rounds to 131 (2 h 11 min) when the set-up ran at the start of a minute.
    expect(by.get('SPY')!.state).toBe('CLOSED');
    expect(by.get('SPY')!.reason).toMatch(/^market closed, opens in 2 h (9|10|11) min \(calendar opens-later\)$/);
    expect(by.get('SPY')!.market).toMatchObject({
      calendar: 'opens-later',
      timeZone: 'UTC',
      isOpen: false,
      openedAt: null,
    });
    expect(by.get('QQQ')!.state).toBe('SOURCE_STALE');
    expect(by.get('QQQ')!.reason).toMatch(
      /^source feed silent for 2[01] min since the market opened \(last bar 6 d 2\d h ago\), threshold 15 min, policy default; the aggregator is fine$/,
    );
    expect(by.get('IWM')).toMatchObject({ state: 'OK', reason: 'caught up' });
    expect(by.get('IWM')!.market).toMatchObject({ isOpen: true, minutesUntilClose: expect.any(Number) });
    expect(by.get('DIA')).toMatchObject({ state: 'SOURCE_STALE', market: null });
    expect(body.rows.map((row) => row.symbol)).toEqual(['QQQ', 'DIA', 'SPY', 'IWM']); // CLOSED ranks just above OK

    const filtered = await call<HealthListResponse>(listGET, '/api/health?state=CLOSED');
    expect(filtered.body.rows.map((row) => row.symbol)).toEqual(['SPY']);
  });

  test('summary and metrics: CLOSED is counted, never a problem', async () => {
    const { body } = await call<HealthSummaryResponse>(summaryGET, '/api/health/summary');
    expect(body.byState).toMatchObject({ CLOSED: 1, SOURCE_STALE: 2, OK: 1 });
    expect(body.problems.map((pair) => pair.symbol)).toEqual(['QQQ', 'DIA']);
    const metrics = await call<string>(metricsGET, '/api/metrics');
    expect(metrics.body).toContain('frontier_pairs{state="CLOSED",timeframe="5m"} 1');
    // A closed market is not a problem: counted, but no per-pair series (docs/ALERTS.md).
    expect(metrics.body).not.toContain('frontier_pair_state{symbol="SPY"');
  });

  test('the pair: CLOSED, and the SQL to look at its calendar', async () => {
    const { status, body } = await call<PairDetailResponse>(pairGET, '/api/pairs/SPY/5m', {
      symbol: 'SPY',
      timeframe: '5m',
    });
    expect(status).toBe(200);
    expect(body.pair.state).toBe('CLOSED');
    expect(body.remediationSql).toContain("SELECT * FROM market_session_at('SPY', now());");
  });
});
