import { describeIncidentError } from '../../lib/health/state-labels';
import { describe, expect, test } from 'vitest';
import { GET as healthGET } from '../../app/api/health/route';
import { GET as incidentsGET } from '../../app/api/incidents/route';
import { GET as statsGET } from '../../app/api/incidents/stats/route';
import { GET as detailGET } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import { GET as timelineGET } from '../../app/api/pairs/[symbol]/[timeframe]/timeline/route';
import { DEFAULT_THRESHOLDS } from '../../lib/health/rules';
import { observeWithPool } from '../../lib/history/observe';
import { recordStates } from '../../lib/history/statements';
import type { IncidentStatsResponse, IncidentsResponse, TimelineResponse } from '../../lib/shared/history-types';
import type { ApiErrorBody, HealthListResponse, PairDetailResponse } from '../../lib/shared/types';
import { useEveryStateDatabase, WORST_FIRST } from './fixture';
import { call, resetApiCaches } from './support';

const database = useEveryStateDatabase();

/** One evaluation of the real states, as the history writer runs it. */
async function evaluate(): Promise<void> {
  const db = database();
  const client = await db.pool.connect();
  try {
    await recordStates(client, await observeWithPool(db.pool, DEFAULT_THRESHOLDS)(), {
      settleSeconds: 0,
      flapWindowSeconds: 600,
      flapChanges: 4,
      globalSymbols: 20,
    });
  } finally {
    client.release();
  }
  resetApiCaches();
}

const incidents = (query = '') => call<IncidentsResponse & ApiErrorBody>(incidentsGET, `/api/incidents${query}`);
const timeline = (symbol: string, timeframe: string, query = '') =>
  call<TimelineResponse & ApiErrorBody>(
    timelineGET,
    `/api/pairs/${encodeURIComponent(symbol)}/${timeframe}/timeline${query}`,
    { symbol, timeframe },
  );

describe('state history over the API', () => {
  test('before any evaluation: state_since is null, no incidents, an empty timeline', async () => {
    const health = await call<HealthListResponse>(healthGET, '/api/health');
    expect(health.body.rows.map((row) => row.state_since)).toEqual(WORST_FIRST.map(() => null));
    expect((await incidents()).body).toMatchObject({ total: 0, open: 0, incidents: [] });
    expect((await timeline('EURUSD', '5m')).body.intervals).toEqual([]);
  });

  test('state_since on every /api/health row once the history recorded the states', async () => {
    await evaluate();
    const [{ at }] = (await database().sql<{ at: string }>(
      `SELECT to_char(min(since) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM pair_state_intervals`,
    )) as [{ at: string }];
    const { status, body } = await call<HealthListResponse>(healthGET, '/api/health');
    expect(status).toBe(200);
    expect(body.rows.map((row) => `${row.symbol}/${row.timeframe}:${row.state}`)).toEqual(WORST_FIRST);
    expect(body.rows.map((row) => row.state_since)).toEqual(WORST_FIRST.map(() => at));
  });

  test('GET /api/incidents: one open incident per problem cause, with its pairs, start and duration', async () => {
    const { status, body } = await incidents();
    expect(status).toBe(200);
    // Seven problem states on seven symbols: seven per-symbol incidents (DISABLED and OK open none).
    expect(body.total).toBe(7);
    expect(body.open).toBe(7);
    const failing = body.incidents.find((incident) => incident.state === 'FAILING');
    expect(failing).toMatchObject({
      scope: 'symbol',
      symbol: 'AUDUSD',
      status: 'open',
      end: null,
      symbols: 1,
      pairs: 1,
      openPairs: 1,
      error:
        'corrupt source data for <symbol>/<tf> window [<time>,<time>): # bar(s) with high < low, a price <= # or volume < #',
      sample: [{ symbol: 'AUDUSD', timeframe: '5m', open: true }],
    });
    expect(failing!.cause).toBe(`AUDUSD · 1 timeframe · Failing: ${describeIncidentError(failing!.error!, 'AUDUSD')}`);
    expect(failing!.durationMinutes).toBe(0);
    expect(body.incidents.map((incident) => incident.state).sort()).toEqual([
      'AHEAD',
      'FAILING',
      'INEFFICIENT',
      'LAGGING',
      'NULL',
      'SOURCE_STALE',
      'STALLED',
    ]);

    const page = await incidents('?status=open&limit=2&offset=6');
    expect(page.body.incidents).toHaveLength(1);
    expect(page.body).toMatchObject({ total: 7, open: 7 });
    expect((await incidents('?status=resolved')).body).toMatchObject({ total: 0, open: 7, incidents: [] });
  });

  test('recovering from FAILING (to LAGGING, 5 bars behind) resolves that incident; the timeline shows both intervals', async () => {
    const db = database();
    await db.sql(`UPDATE data_agg_state SET consecutive_failures = 0 WHERE canonical_symbol = 'AUDUSD'`);
    await evaluate();
    const resolved = await incidents('?status=resolved');
    expect(resolved.body.incidents.map((incident) => [incident.symbol, incident.status, incident.openPairs])).toEqual([
      ['AUDUSD', 'resolved', 0],
    ]);
    expect(resolved.body.incidents[0]!.end).not.toBeNull();

    const { status, body } = await timeline('AUDUSD', '5m');
    expect(status).toBe(200);
    expect(body.intervals.map((interval) => [interval.state, interval.until === null])).toEqual([
      ['FAILING', false],
      ['LAGGING', true],
    ]);
    expect(body.intervals[0]!.reason).toMatch(/^3 consecutive failed runs: corrupt source data/);
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(24 * 3_600_000);
    // A range before anything was recorded is empty, not an error.
    expect(
      (await timeline('AUDUSD', '5m', '?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z')).body.intervals,
    ).toEqual([]);
  });

  test('the pair page says when a failing pair is retried next', async () => {
    await database().sql(`SELECT record_aggregation_failure('AUDUSD', '5m', 'boom', now())`);
    resetApiCaches();
    const { body } = await call<PairDetailResponse>(detailGET, '/api/pairs/AUDUSD/5m', {
      symbol: 'AUDUSD',
      timeframe: '5m',
    });
    const seconds = (Date.parse(body.nextRetryUtc!) - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(25);
    expect(seconds).toBeLessThanOrEqual(30);
    const healthy = await call<PairDetailResponse>(detailGET, '/api/pairs/EURUSD/5m', {
      symbol: 'EURUSD',
      timeframe: '5m',
    });
    expect(healthy.body.nextRetryUtc).toBeNull();
    expect(healthy.body.pair.state_since).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
  });

  test.each([
    ['?status=closed', 'status must be one of open, resolved, all, got "closed"'],
    ['?limit=0', 'limit must be an integer from 1 to 200, got "0"'],
    ['?limit=201', 'limit must be an integer from 1 to 200, got "201"'],
    ['?offset=-1', 'offset must be an integer from 0 to 100000, got "-1"'],
    ['?since=1', 'unknown parameter "since"; known: status, limit, offset, team'],
    ['?status=open&status=all', 'parameter status is given more than once'],
  ])('GET /api/incidents%s is a 400 that says why', async (query, message) => {
    const { status, body } = await incidents(query);
    expect(status).toBe(400);
    expect(body).toEqual({ error: { code: 'bad_request', message } });
  });

  test.each([
    [
      '?from=yesterday',
      'from must be an ISO-8601 time with Z or an offset, such as 2026-11-28T06:00:00Z, got "yesterday"',
    ],
    [
      '?to=2026-11-28T06:00:00',
      'to must be an ISO-8601 time with Z or an offset, such as 2026-11-28T06:00:00Z, got "2026-11-28T06:00:00"',
    ],
    [
      '?from=2026-11-28T06:00:00Z&to=2026-11-28T05:00:00Z',
      'from must be before to, got from=2026-11-28T06:00:00.000Z to=2026-11-28T05:00:00.000Z',
    ],
    ['?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z', 'from..to must span at most 92 days'],
    ['?limit=5', 'unknown parameter "limit"; known: from, to'],
  ])('GET timeline%s is a 400 that says why', async (query, message) => {
    const { status, body } = await timeline('EURUSD', '5m', query);
    expect(status).toBe(400);
    expect(body).toEqual({ error: { code: 'bad_request', message } });
  });

  test('the timeline of a pair nobody knows is a 404', async () => {
    const { status, body } = await timeline('NOPE', '5m');
    expect(status).toBe(404);
    expect(body.error.code).toBe('not_found');
  });
});

describe('GET /api/incidents/stats', () => {
  const stats = (query = '') => call<IncidentStatsResponse & ApiErrorBody>(statsGET, `/api/incidents/stats${query}`);

  test('MTTR and time in problem from the recorded intervals: episodes per timeframe and the worst symbols', async () => {
    const db = database();
    await db.sql('TRUNCATE pair_state_current, pair_state_intervals, incidents, incident_pairs');
    // EURUSD 5m: FAILING 30 min then STALLED 30 min (one episode of 60 min), OK since; again
    // FAILING for the last 10 minutes (open). GBPUSD 5m: 2 days ago SOURCE_STALE for 20 min.
    await db.sql(`INSERT INTO pair_state_intervals (canonical_symbol, timeframe, state, since, until) VALUES
      ('EURUSD', '5m', 'OK', now() - interval '3 hours', now() - interval '2 hours'),
      ('EURUSD', '5m', 'FAILING', now() - interval '2 hours', now() - interval '90 minutes'),
      ('EURUSD', '5m', 'STALLED', now() - interval '90 minutes', now() - interval '60 minutes'),
      ('EURUSD', '5m', 'OK', now() - interval '60 minutes', now() - interval '10 minutes'),
      ('EURUSD', '5m', 'FAILING', now() - interval '10 minutes', NULL),
      ('GBPUSD', '5m', 'SOURCE_STALE', now() - interval '2 days', now() - interval '2 days' + interval '20 minutes'),
      ('GBPUSD', '5m', 'OK', now() - interval '2 days' + interval '20 minutes', NULL)`);
    resetApiCaches();
    const day = await stats();
    expect(day.status).toBe(200);
    const fiveMinutes = day.body.byTimeframe.find((row) => row.timeframe === '5m')!;
    expect(fiveMinutes).toMatchObject({ episodes: 2, problemMinutes: 70, mttrMinutes: 60 });
    expect(day.body.topSymbols).toEqual([{ symbol: 'EURUSD', episodes: 2, problemMinutes: 70, mttrMinutes: 60 }]);
    const week = await stats('?window=7d');
    expect(week.body.byTimeframe.find((row) => row.timeframe === '5m')).toMatchObject({
      episodes: 3,
      problemMinutes: 90,
      mttrMinutes: 40,
    });
    expect(week.body.topSymbols.map((row) => row.symbol)).toEqual(['EURUSD', 'GBPUSD']);
  });

  test("?team= limits the figures to that team's pairs, episodes and pair counts alike", async () => {
    const db = database();
    await db.sql('TRUNCATE pair_state_current, pair_state_intervals, incidents, incident_pairs');
    await db.sql(`INSERT INTO pair_state_intervals (canonical_symbol, timeframe, state, since, until) VALUES
      ('EURUSD', '5m', 'FAILING', now() - interval '2 hours', now() - interval '90 minutes'),
      ('EURUSD', '5m', 'OK', now() - interval '90 minutes', NULL),
      ('GBPUSD', '5m', 'STALLED', now() - interval '3 hours', now() - interval '1 hour'),
      ('GBPUSD', '5m', 'OK', now() - interval '1 hour', NULL)`);
    await db.sql(
      `INSERT INTO owners (match, pattern, team) VALUES ('exact', 'EURUSD', 'fx'), ('like', 'GBP%', 'rates')`,
    );
    try {
      resetApiCaches();
      const [all, fx, nobody] = await Promise.all([stats(), stats('?team=fx'), stats('?team=equities')]);
      const fiveMinutes = (body: IncidentStatsResponse) => body.byTimeframe.find((row) => row.timeframe === '5m')!;
      const [registered] = await db.sql<{ n: number; fx: number }>(
        `SELECT count(*)::int AS n, count(*) FILTER (WHERE canonical_symbol = 'EURUSD')::int AS fx
           FROM data_agg_state WHERE timeframe = '5m'`,
      );
      expect(all.body).toMatchObject({ team: null });
      expect(fiveMinutes(all.body)).toMatchObject({ pairs: registered!.n, episodes: 2, problemMinutes: 150 });
      expect(fx.body).toMatchObject({ team: 'fx' });
      expect(fiveMinutes(fx.body)).toMatchObject({
        pairs: registered!.fx,
        episodes: 1,
        problemMinutes: 30,
        mttrMinutes: 30,
      });
      expect(fx.body.topSymbols.map((row) => row.symbol)).toEqual(['EURUSD']);
      expect(fiveMinutes(nobody.body)).toMatchObject({ pairs: 0, episodes: 0, problemPct: 0 });
    } finally {
      await db.sql('DELETE FROM owners');
    }
  });

  test('a bad team is a 400 that says why', async () => {
    const { status, body } = await stats('?team=FX%20Desk');
    expect(status).toBe(400);
    expect(body.error.message).toBe('team must be a team name of lower-case letters, digits, - and _, got "FX Desk"');
  });

  test('a bad window is a 400 that says why', async () => {
    const { status, body } = await stats('?window=1y');
    expect(status).toBe(400);
    expect(body).toEqual({ error: { code: 'bad_request', message: 'window must be one of 24h, 7d, 30d, got "1y"' } });
  });
});
