// Maintenance windows end to end against a real database: a pair whose feed stops inside a
// window is MAINTENANCE (saying what it would be), exports no per-pair metric, opens no
// incident, and is SOURCE_STALE again when the window ends; the routes check their input and
// role, and every write appends one audit row.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as listGET } from '../../app/api/health/route';
import { GET as metricsGET } from '../../app/api/metrics/route';
import { GET as maintenanceGET, POST as maintenancePOST } from '../../app/api/maintenance/route';
import { POST as endPOST } from '../../app/api/maintenance/[id]/end/route';
import { observeOn } from '../../lib/history/observe';
import { recordStates } from '../../lib/history/statements';
import { DEFAULT_THRESHOLDS } from '../../lib/health/rules';
import type { MaintenanceWindow } from '../../lib/api/maintenance';
import type { ApiErrorBody, HealthListResponse, PairHealth } from '../../lib/shared/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { currentWindow, insertFrontier, MINUTE, pointApiAt, registerPair, resetApiCaches } from './support';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await pointApiAt(db.url);
  // EURUSD's feed stopped 40 minutes ago (SOURCE_STALE after 15); GBPUSD's is live.
  await insertFrontier(db, 'EURUSD', currentWindow() - 40 * MINUTE);
  await insertFrontier(db, 'GBPUSD', currentWindow() - MINUTE);
  await registerPair(db, { symbol: 'EURUSD', timeframe: '5m', cursor: 0, successMinutesAgo: 1 });
  await registerPair(db, { symbol: 'GBPUSD', timeframe: '5m', cursor: 0, successMinutesAgo: 1 });
});
afterAll(async () => {
  await db?.drop();
});

async function send<T>(
  handler: (request: Request, context: { params: Promise<{ id: string }> }) => Promise<Response>,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
  id = '',
): Promise<{ status: number; body: T }> {
  const request = new Request(`http://127.0.0.1${path}`, {
    method: body === undefined && !path.endsWith('/end') ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const response = await handler(request, { params: Promise.resolve({ id }) });
  return { status: response.status, body: (await response.json()) as T };
}

async function eurusd(): Promise<PairHealth> {
  resetApiCaches();
  const response = await listGET(new Request('http://127.0.0.1/api/health?q=EURUSD'));
  return ((await response.json()) as HealthListResponse).rows[0]!;
}

async function metrics(): Promise<string> {
  resetApiCaches();
  return (await metricsGET()).text();
}

/** One history evaluation, as the writer runs it: the states observed now, recorded at once. */
async function recordHistory(): Promise<void> {
  const client = await db.pool.connect();
  try {
    const states = await observeOn(client, DEFAULT_THRESHOLDS);
    await recordStates(client, states, { settleSeconds: 0, flapWindowSeconds: 600, flapChanges: 4, globalSymbols: 20 });
  } finally {
    client.release();
  }
}

const openIncidents = () => db.sql<{ state: string }>('SELECT state FROM incidents WHERE resolved_at IS NULL');

describe('a feed that stops inside a window', () => {
  let window: MaintenanceWindow;

  test('before the window: SOURCE_STALE, alerted, an incident', async () => {
    expect(await eurusd()).toMatchObject({ state: 'SOURCE_STALE', maintenance: null });
    expect(await metrics()).toContain('frontier_pair_state{symbol="EURUSD",timeframe="5m",state="SOURCE_STALE"} 1');
    await recordHistory();
    expect(await openIncidents()).toEqual([{ state: 'SOURCE_STALE' }]);
  });

  test('inside the window: MAINTENANCE, no per-pair series, the incident resolves and none opens', async () => {
    const added = await send<MaintenanceWindow>(maintenancePOST, '/api/maintenance', {
      symbol: 'EURUSD',
      hours: 2,
      reason: 'vendor upgrade',
    });
    expect(added.status).toBe(201);
    window = added.body;
    expect(window).toMatchObject({
      match: 'exact',
      pattern: 'EURUSD',
      timeframe: null,
      status: 'active',
      createdBy: 'anonymous',
    });
    // starts at the database's now(), ends two hours after the API's: the two clocks, a few ms apart
    expect(Math.abs(Date.parse(window.endsAt) - Date.parse(window.startsAt) - 2 * 3_600_000)).toBeLessThan(5_000);

    const pair = await eurusd();
    expect(pair.state).toBe('MAINTENANCE');
    expect(pair.maintenance).toEqual({
      id: window.id,
      startsAt: window.startsAt,
      endsAt: window.endsAt,
      reason: 'vendor upgrade',
      createdBy: 'anonymous',
    });
    expect(pair.reason).toMatch(
      /^maintenance until \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(vendor upgrade, by anonymous\); would be Source stale: source feed silent for 4\d min, threshold 15 min, policy default; the aggregator is fine$/,
    );
    expect(pair.reasons).toEqual([pair.reason]);

    const text = await metrics();
    expect(text).not.toContain('frontier_pair_state{symbol="EURUSD"');
    expect(text).toContain('frontier_pairs{state="MAINTENANCE",timeframe="5m"} 1');

    await recordHistory();
    expect(await openIncidents()).toEqual([]);
    const current = await db.one<{ state: string }>(
      `SELECT state FROM pair_state_current WHERE canonical_symbol = 'EURUSD' AND timeframe = '5m'`,
    );
    expect(current.state).toBe('MAINTENANCE');
  });

  test('GET lists it; the window ends early and the pair is SOURCE_STALE again', async () => {
    const list = await send<{ windows: MaintenanceWindow[] }>(maintenanceGET, '/api/maintenance');
    expect(list.status).toBe(200);
    expect(list.body.windows.map((w) => [w.id, w.status])).toEqual([[window.id, 'active']]);

    const ended = await send<MaintenanceWindow>(
      endPOST,
      `/api/maintenance/${window.id}/end`,
      {},
      {},
      String(window.id),
    );
    expect(ended.status).toBe(200);
    expect(ended.body).toMatchObject({ id: window.id, status: 'ended', endedBy: 'anonymous' });

    expect(await eurusd()).toMatchObject({ state: 'SOURCE_STALE', maintenance: null });
    expect(await metrics()).toContain('frontier_pair_state{symbol="EURUSD",timeframe="5m",state="SOURCE_STALE"} 1');
    await recordHistory();
    expect(await openIncidents()).toEqual([{ state: 'SOURCE_STALE' }]);
    expect((await send<{ windows: MaintenanceWindow[] }>(maintenanceGET, '/api/maintenance')).body.windows).toEqual([]);

    const again = await send<ApiErrorBody>(endPOST, `/api/maintenance/${window.id}/end`, {}, {}, String(window.id));
    expect(again.status).toBe(400);
    expect(again.body.error.message).toMatch(new RegExp(`^maintenance_end: window ${window.id} already ended at `));
  });

  test('a healthy pair in a window stays OK: only a problem becomes MAINTENANCE', async () => {
    await send(maintenancePOST, '/api/maintenance', { pattern: 'GBP%', timeframe: '5m', hours: 1, reason: 'x' });
    resetApiCaches();
    const rows = (
      (await (await listGET(new Request('http://127.0.0.1/api/health?q=GBPUSD'))).json()) as HealthListResponse
    ).rows;
    expect(rows[0]).toMatchObject({ state: 'OK', maintenance: { reason: 'x' } });
  });

  test('every write appended one audit row', async () => {
    const audit = await db.sql<{ action: string; target: string; source: string; actor: string; ok: boolean }>(
      'SELECT action, target, source, actor, ok FROM operator_actions ORDER BY id',
    );
    expect(audit.map((row) => `${row.action} ${row.target} ${row.source} ${row.actor} ${row.ok}`)).toEqual([
      `maintenance.add maintenance:${window.id} api anonymous true`,
      `maintenance.end maintenance:${window.id} api anonymous true`,
      `maintenance.add maintenance:${window.id + 1} api anonymous true`,
    ]);
  });
});

describe('bad input: 4xx with a JSON error, nothing written', () => {
  test.each([
    [{ hours: 1, reason: 'x' }, 'give exactly one of symbol and pattern'],
    [{ symbol: 'A', pattern: 'A%', hours: 1, reason: 'x' }, 'give exactly one of symbol and pattern'],
    [{ symbol: 'A', reason: 'x' }, 'give exactly one of hours and endsAt'],
    [{ symbol: 'A', hours: 1, reason: '  ' }, 'reason must say why'],
    [{ symbol: 'A', hours: -1, reason: 'x' }, 'hours: Too small: expected number to be >0'],
    [{ symbol: 'A', hours: 1000, reason: 'x' }, 'hours: Too big: expected number to be <=744'],
    [{ pattern: 'ABC', hours: 1, reason: 'x' }, 'pattern has no % or _: send it as symbol'],
    [
      { symbol: 'A', endsAt: '2026-01-01 00:00', reason: 'x' },
      'endsAt must be an ISO-8601 time with Z or an offset, such as 2026-12-06T22:00:00Z',
    ],
    [
      { symbol: 'A', endsAt: '2020-01-01T00:00:00Z', reason: 'x' },
      /^maintenance_add: p_ends_at \(.*\) must be after the start/,
    ],
    [
      { symbol: 'A', timeframe: '2m', hours: 1, reason: 'x' },
      "maintenance_add: unknown timeframe p_timeframe='2m' (known: 5m, 15m, 30m, 1h, 4h, 1d; NULL for every timeframe)",
    ],
    [{ symbol: 'A', hours: 1, reason: 'x', colour: 'red' }, 'Unrecognized key: "colour"'],
    ['not json', 'the body must be JSON'],
  ])('%j', async (body, message) => {
    const before = await db.one<{ n: number }>('SELECT count(*)::int AS n FROM maintenance_windows');
    const answer = await send<ApiErrorBody>(maintenancePOST, '/api/maintenance', body);
    expect(answer.status).toBe(400);
    expect(answer.body.error.code).toBe('bad_request');
    if (typeof message === 'string') expect(answer.body.error.message).toBe(message);
    else expect(answer.body.error.message).toMatch(message);
    expect(await db.one('SELECT count(*)::int AS n FROM maintenance_windows')).toEqual(before);
  });

  test('ending an unknown window is 404, a bad id 400, a cross-site write 403', async () => {
    expect((await send<ApiErrorBody>(endPOST, '/api/maintenance/999/end', {}, {}, '999')).status).toBe(404);
    const bad = await send<ApiErrorBody>(endPOST, '/api/maintenance/x/end', {}, {}, 'x');
    expect(bad).toEqual({
      status: 400,
      body: { error: { code: 'bad_request', message: 'id must be a maintenance window id, got "x"' } },
    });
    const cross = await send<ApiErrorBody>(
      maintenancePOST,
      '/api/maintenance',
      { symbol: 'A', hours: 1, reason: 'x' },
      {
        'sec-fetch-site': 'cross-site',
      },
    );
    expect(cross).toEqual({
      status: 403,
      body: { error: { code: 'cross_site', message: 'cross-site writes are refused' } },
    });
    expect((await send<ApiErrorBody>(maintenanceGET, '/api/maintenance?status=soon')).status).toBe(400);
  });
});
