// Owners on the API against a real database (docs/HEALTH.md, "Owners"): `team` on GET
// /api/health and /api/health/overview rows, the `?team=` filter on both (400 for a bad name),
// the list's ETag changing when an owner is set, the per-pair metrics' `team` label, and
// incidents' team (the one their symbols share) with `?team=` on GET /api/incidents.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as listGET } from '../../app/api/health/route';
import { GET as overviewGET } from '../../app/api/health/overview/route';
import { GET as incidentsGET } from '../../app/api/incidents/route';
import { GET as metricsGET } from '../../app/api/metrics/route';
import { GET as summaryGET } from '../../app/api/health/summary/route';
import type { IncidentsResponse } from '../../lib/shared/history-types';
import type { ApiErrorBody, HealthListResponse, HealthSummaryResponse, OverviewResponse } from '../../lib/shared/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { call, currentWindow, insertFrontier, MINUTE, pointApiAt, registerPair, resetApiCaches } from './support';

let db: TestDatabase;
const setOwner = (match: string, pattern: string, team: string) =>
  db.sql(`SELECT owner_set('alice', 'admin', 'ops', $1, $2, $3, '')`, [match, pattern, team]);

beforeAll(async () => {
  db = await createTestDatabase();
  await pointApiAt(db.url);
  // Every feed stopped 40 minutes ago: every pair SOURCE_STALE, so every pair has per-pair series.
  for (const symbol of ['USDJPY', 'USDCHF', 'ESZ6']) {
    await insertFrontier(db, symbol, currentWindow() - 40 * MINUTE);
    for (const timeframe of ['5m', '1h'])
      await registerPair(db, { symbol, timeframe, cursor: 0, successMinutesAgo: 1 });
  }
});
afterAll(async () => {
  await db?.drop();
});

async function list(path: string) {
  resetApiCaches();
  const response = await listGET(new Request(`http://127.0.0.1${path}`));
  return { status: response.status, etag: response.headers.get('etag'), body: (await response.json()) as unknown };
}
const teams = (body: unknown) =>
  (body as HealthListResponse).rows.map((row) => `${row.symbol}/${row.timeframe} ${row.team ?? '-'}`).sort();

describe('team on the rows, and ?team=', () => {
  test('no owner: every row has team null, and the ETag changes when an owner is set', async () => {
    const before = await list('/api/health');
    expect(teams(before.body)).toEqual([
      'ESZ6/1h -',
      'ESZ6/5m -',
      'USDCHF/1h -',
      'USDCHF/5m -',
      'USDJPY/1h -',
      'USDJPY/5m -',
    ]);
    await setOwner('like', 'USD%', 'fx');
    await setOwner('exact', 'USDJPY', 'rates');
    const after = await list('/api/health');
    expect(after.etag).not.toBe(before.etag);
    expect(after.etag!.split('.')[0]).not.toBe(before.etag!.split('.')[0]); // a new snapshot version
    expect(teams(after.body)).toEqual([
      'ESZ6/1h -',
      'ESZ6/5m -',
      'USDCHF/1h fx',
      'USDCHF/5m fx',
      'USDJPY/1h rates',
      'USDJPY/5m rates',
    ]);
  });

  test("GET /api/health?team= keeps the team's pairs, with the other filters", async () => {
    expect(teams((await list('/api/health?team=fx')).body)).toEqual(['USDCHF/1h fx', 'USDCHF/5m fx']);
    expect(teams((await list('/api/health?team=rates&timeframe=5m')).body)).toEqual(['USDJPY/5m rates']);
    expect(teams((await list('/api/health?team=nobody')).body)).toEqual([]);
  });

  test("GET /api/health/overview?team=: the rows carry team, matched counts the team's pairs, total all", async () => {
    resetApiCaches();
    const answer = await call<OverviewResponse>(overviewGET, '/api/health/overview?team=fx');
    expect(answer.status).toBe(200);
    expect(answer.body.total).toBe(6);
    expect(answer.body.teams).toEqual(['fx', 'rates']); // every team, whatever the filter: the select's options
    expect(answer.body.matched).toBe(2);
    expect(answer.body.rows.map((row) => `${row.symbol}/${row.timeframe} ${row.team}`).sort()).toEqual([
      'USDCHF/1h fx',
      'USDCHF/5m fx',
    ]);
    expect(answer.body.heatmap.lines.map((line) => line.symbol)).toEqual(['USDCHF']);
    const all = await call<OverviewResponse>(overviewGET, '/api/health/overview');
    expect(all.body.rows.find((row) => row.symbol === 'ESZ6')).toMatchObject({ team: null });
  });

  test.each([
    ['/api/health?team=FX', 'team must be a team name of lower-case letters, digits, - and _, got "FX"'],
    ['/api/health?team=', 'team must be a team name of lower-case letters, digits, - and _, got ""'],
    [
      '/api/health/overview?team=fx%20desk',
      'team must be a team name of lower-case letters, digits, - and _, got "fx desk"',
    ],
  ])('%s → 400', async (path, message) => {
    resetApiCaches();
    const answer = await call<ApiErrorBody>(path.includes('overview') ? overviewGET : listGET, path);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('bad_request');
    expect(answer.body.error.message).toContain(message);
  });

  test('?team= twice is refused as any repeated parameter is', async () => {
    resetApiCaches();
    const answer = await call<ApiErrorBody>(listGET, '/api/health?team=fx&team=rates');
    expect(answer.status).toBe(400);
  });
});

test('per-pair metrics carry the team label, and none for a pair no team owns', async () => {
  resetApiCaches();
  const text = await (await metricsGET()).text();
  expect(text).toContain('frontier_pair_state{symbol="USDCHF",timeframe="5m",team="fx",state="SOURCE_STALE"} 1');
  expect(text).toContain('frontier_pair_state{symbol="USDJPY",timeframe="1h",team="rates",state="SOURCE_STALE"} 1');
  expect(text).toContain('frontier_pair_state{symbol="ESZ6",timeframe="5m",state="SOURCE_STALE"} 1');
  expect(text).toMatch(/frontier_symbol_source_age_seconds\{symbol="USDCHF",team="fx"\} \d+/);
  expect(text).toMatch(/frontier_pair_consecutive_failures\{symbol="USDJPY",timeframe="5m",team="rates"\} 0/);
});

describe('team on incidents, and ?team=', () => {
  beforeAll(async () => {
    // Two symbol incidents open; two global ones resolved: one over fx's symbols only, one over fx and rates.
    await db.sql(`
      WITH i AS (
        INSERT INTO incidents (cause_key, scope, state, symbol, opened_at, resolved_at)
        VALUES ('s|USDCHF', 'symbol', 'SOURCE_STALE', 'USDCHF', now() - interval '40 min', NULL),
               ('s|ESZ6', 'symbol', 'SOURCE_STALE', 'ESZ6', now() - interval '39 min', NULL),
               ('g|fx-only', 'global', 'FAILING', NULL, now() - interval '3 h', now() - interval '2 h'),
               ('g|mixed', 'global', 'FAILING', NULL, now() - interval '5 h', now() - interval '4 h')
        RETURNING incident_id, cause_key)
      INSERT INTO incident_pairs (incident_id, canonical_symbol, timeframe, joined_at, left_at)
      SELECT i.incident_id, p.symbol, p.timeframe, now() - interval '6 h', CASE WHEN i.cause_key LIKE 'g|%' THEN now() - interval '2 h' END
        FROM i JOIN (VALUES ('s|USDCHF', 'USDCHF', '5m'), ('s|ESZ6', 'ESZ6', '5m'),
                            ('g|fx-only', 'USDCHF', '5m'), ('g|fx-only', 'USDCAD', '1h'),
                            ('g|mixed', 'USDCHF', '1h'), ('g|mixed', 'USDJPY', '1h')) p (cause_key, symbol, timeframe)
          ON p.cause_key = i.cause_key`);
  });

  const incidents = async (path: string) => {
    resetApiCaches();
    return call<IncidentsResponse>(incidentsGET, path);
  };
  const summary = (body: IncidentsResponse) => body.incidents.map((i) => `${i.symbol ?? i.scope} ${i.team ?? '-'}`);

  test('each incident carries the team its symbols share, null when none or two', async () => {
    const answer = await incidents('/api/incidents');
    expect(answer.status).toBe(200);
    expect(summary(answer.body)).toEqual(['ESZ6 -', 'USDCHF fx', 'global fx', 'global -']);
  });

  test('?team= filters before the page is cut, and the counts follow the filter', async () => {
    const fx = await incidents('/api/incidents?team=fx');
    expect(summary(fx.body)).toEqual(['USDCHF fx', 'global fx']);
    expect({ total: fx.body.total, open: fx.body.open }).toEqual({ total: 2, open: 1 });
    const page = await incidents('/api/incidents?team=fx&limit=1&offset=1');
    expect(summary(page.body)).toEqual(['global fx']);
    expect(page.body.total).toBe(2);
    const none = await incidents('/api/incidents?team=nobody&offset=5');
    expect(none.body).toMatchObject({ total: 0, open: 0, incidents: [] });
  });

  test('a bad team is a 400 naming it', async () => {
    const answer = await call<ApiErrorBody>(incidentsGET, '/api/incidents?team=Fx');
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toContain(
      'team must be a team name of lower-case letters, digits, - and _, got "Fx"',
    );
  });
});

test("GET /api/health/summary?team=: the team's wall counts and lists its pairs only; a bad team is a 400", async () => {
  resetApiCaches();
  const fx = await call<HealthSummaryResponse>(summaryGET, '/api/health/summary?team=fx');
  expect(fx.status).toBe(200);
  expect(fx.body.total).toBe(2);
  expect(fx.body.byState.SOURCE_STALE).toBe(2);
  expect(fx.body.problems.map((pair) => `${pair.symbol}/${pair.timeframe}`).sort()).toEqual(['USDCHF/1h', 'USDCHF/5m']);
  const all = await call<HealthSummaryResponse>(summaryGET, '/api/health/summary');
  expect(all.body.total).toBe(6);
  const bad = await call<ApiErrorBody>(summaryGET, '/api/health/summary?team=FX');
  expect(bad.status).toBe(400);
  expect(bad.body.error.message).toContain('team must be a team name of lower-case letters, digits, - and _, got "FX"');
});
