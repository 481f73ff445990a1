// The acks on the overview's rows and the wall's summary: GET /api/health/overview carries
// `ack` on the acked rows of its window only, and its ETag changes when an ack starts or ends;
// GET /api/health/summary carries it on its problems. Real PostgreSQL, the write role of
// db/roles/actions.sql, the history recorded by the writer's functions.
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { GET as overviewGET } from '../../app/api/health/overview/route';
import { GET as summaryGET } from '../../app/api/health/summary/route';
import { GET as incidentsGET } from '../../app/api/incidents/route';
import { POST as incidentAck } from '../../app/api/incidents/[id]/ack/route';
import { POST as pairAck } from '../../app/api/pairs/[symbol]/[timeframe]/ack/route';
import type { IncidentsResponse } from '../../lib/shared/history-types';
import type { HealthSummaryResponse, OverviewResponse } from '../../lib/shared/types';
import { createActionsRole, dropActionsDatabase, pointActionsAt } from '../actions/support';
import { evaluate, type Observation } from '../history/support';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedEveryState } from './fixture';
import { call, resetApiCaches } from './support';

let db: TestDatabase;

const PROBLEMS: Observation[] = [
  ['AUDUSD', '5m', 'FAILING', 'vendor down'],
  ['USDJPY', '5m', 'STALLED'],
  ['NZDUSD', '5m', 'AHEAD'],
];

async function post(handler: unknown, path: string, params: object, body: unknown): Promise<number> {
  const response = await (handler as (r: Request, c: { params: Promise<object> }) => Promise<Response>)(
    new Request(`http://127.0.0.1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: '127.0.0.1' },
      body: JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  return response.status;
}

async function overview(): Promise<{ etag: string; text: string; body: OverviewResponse }> {
  const response = await overviewGET(new Request('http://127.0.0.1/api/health/overview?limit=100'));
  const text = await response.text();
  return { etag: response.headers.get('etag')!, text, body: JSON.parse(text) as OverviewResponse };
}
const ackedRows = (body: OverviewResponse) =>
  Object.fromEntries(body.rows.filter((row) => 'ack' in row).map((row) => [`${row.symbol}/${row.timeframe}`, row.ack]));

beforeAll(async () => {
  db = await createTestDatabase();
  await seedEveryState(db);
  await pointActionsAt(db, await createActionsRole(db));
  await evaluate(db.pool, PROBLEMS);
  resetApiCaches();
});

afterAll(() => dropActionsDatabase(db));

describe('acks on GET /api/health/overview and /api/health/summary', () => {
  let before: string;
  test('no ack: no row has an ack key, and the text says nothing of acks', async () => {
    const { etag, text, body } = await overview();
    expect(body.rows).toHaveLength(11);
    expect(text).not.toContain('"ack"');
    before = etag;
  });

  test("an incident's ack shows on its pair's row, a pair's ack on its own; the ETag changes", async () => {
    const { body: list } = await call<IncidentsResponse>(incidentsGET, '/api/incidents?status=open');
    const incident = list.incidents.find((i) => i.symbol === 'AUDUSD')!;
    expect(await post(incidentAck, '', { id: String(incident.id) }, { note: 'vendor says 20 min' })).toBe(200);
    expect(await post(pairAck, '', { symbol: 'USDJPY', timeframe: '5m' }, { note: 'worker restarted' })).toBe(200);

    const { etag, body } = await overview();
    expect(etag).not.toBe(before);
    const acked = ackedRows(body);
    expect(Object.keys(acked).sort()).toEqual(['AUDUSD/5m', 'USDJPY/5m']);
    expect(acked['AUDUSD/5m']).toMatchObject({ by: 'anonymous', note: 'vendor says 20 min', until: null });
    expect(acked['USDJPY/5m']).toMatchObject({ by: 'anonymous', note: 'worker restarted', until: null });
    expect(Date.parse(acked['USDJPY/5m']!.at)).toBeGreaterThan(Date.now() - 60_000);
    // Same acks, same snapshot: the same bytes and ETag (a poll is a 304).
    const again = await overview();
    expect(again.etag).toBe(etag);
    const polled = await overviewGET(
      new Request('http://127.0.0.1/api/health/overview?limit=100', { headers: { 'if-none-match': etag } }),
    );
    expect(polled.status).toBe(304);

    const { body: summary } = await call<HealthSummaryResponse>(summaryGET, '/api/health/summary');
    const problems = Object.fromEntries(summary.problems.map((pair) => [`${pair.symbol}/${pair.timeframe}`, pair.ack]));
    expect(problems['AUDUSD/5m']).toMatchObject({ note: 'vendor says 20 min' });
    expect(problems['USDJPY/5m']).toMatchObject({ note: 'worker restarted' });
    expect(problems['NZDUSD/5m']).toBeUndefined();
  });

  test('an ack that ends (its pair recovered) leaves the row and changes the ETag again', async () => {
    const { etag } = await overview();
    await evaluate(db.pool, [PROBLEMS[0]!, ['USDJPY', '5m', 'OK'], PROBLEMS[2]!]);
    resetApiCaches(); // the acks' TTL, without the wait
    const after = await overview();
    expect(after.etag).not.toBe(etag);
    expect(Object.keys(ackedRows(after.body))).toEqual(['AUDUSD/5m']);
    const { body: summary } = await call<HealthSummaryResponse>(summaryGET, '/api/health/summary');
    expect(summary.problems.filter((pair) => pair.ack).map((pair) => pair.symbol)).toEqual(['AUDUSD']);
  });

  test("the incident resolves: its pair's row has no ack", async () => {
    await evaluate(db.pool, [['AUDUSD', '5m', 'OK'], ['USDJPY', '5m', 'OK'], PROBLEMS[2]!]);
    resetApiCaches();
    expect(ackedRows((await overview()).body)).toEqual({});
  });
});

describe('one set of acks per process', () => {
  test("an ack made through the routes is on the page's first answer at once (the pages' copy of the modules)", async () => {
    // Next.js bundles the pages apart from the routes: a copy of the modules, as there.
    vi.resetModules();
    const page = await import('../../lib/api/overview-first-answer');
    const firstAnswer = async () => {
      const state = await page.overviewFirstAnswer({});
      const held = state.queries[0]!.state.data as { answer: OverviewResponse };
      return ackedRows(held.answer);
    };
    expect(await firstAnswer()).toEqual({}); // its acks are read, and held
    expect(await post(pairAck, '', { symbol: 'NZDUSD', timeframe: '5m' }, { note: 'cursor reset due' })).toBe(200);
    expect(await firstAnswer()).toMatchObject({ 'NZDUSD/5m': { note: 'cursor reset due' } });
  });
});
