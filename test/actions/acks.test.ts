// Acknowledgements: POST …/ack on an incident and on a pair, through the
// write role of db/roles/actions.sql on a real PostgreSQL; GET /api/incidents and the pair's
// detail carry the current ack, which ends when the problem resolves or its until passes.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { POST as incidentAck } from '../../app/api/incidents/[id]/ack/route';
import { GET as incidentsGET } from '../../app/api/incidents/route';
import { POST as pairAck } from '../../app/api/pairs/[symbol]/[timeframe]/ack/route';
import { GET as detailGET } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import { ackBodySchema, type AckResponse } from '../../lib/shared/acks';
import type { IncidentsResponse } from '../../lib/shared/history-types';
import type { ApiErrorBody, PairDetailResponse } from '../../lib/shared/types';
import { seedEveryState } from '../api/fixture';
import { call, resetApiCaches } from '../api/support';
import { evaluate, type Observation } from '../history/support';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { auditRows, createActionsRole, dropActionsDatabase, pointActionsAt } from './support';

let db: TestDatabase;

type Answer = AckResponse & ApiErrorBody;

async function post(
  handler: typeof incidentAck | typeof pairAck,
  path: string,
  params: object,
  body: unknown,
  headers = {},
) {
  const response = await (handler as (r: Request, c: { params: Promise<object> }) => Promise<Response>)(
    new Request(`http://127.0.0.1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: '127.0.0.1', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
    { params: Promise.resolve(params) },
  );
  expect(response.headers.get('content-type')).toContain('application/json');
  return { status: response.status, body: (await response.json()) as Answer };
}
const ackIncident = (id: string | number, body: unknown, headers = {}) =>
  post(incidentAck, `/api/incidents/${id}/ack`, { id: String(id) }, body, headers);
const ackPair = (symbol: string, timeframe: string, body: unknown, headers = {}) =>
  post(pairAck, `/api/pairs/${symbol}/${timeframe}/ack`, { symbol, timeframe }, body, headers);

const incidents = async () => (await call<IncidentsResponse>(incidentsGET, '/api/incidents?status=all')).body.incidents;
const detail = async (symbol: string, timeframe: string) =>
  (await call<PairDetailResponse>(detailGET, `/api/pairs/${symbol}/${timeframe}`, { symbol, timeframe })).body;

const PROBLEMS: Observation[] = [
  ['AUDUSD', '5m', 'FAILING', 'vendor down'],
  ['NZDUSD', '5m', 'AHEAD'],
  ['EURUSD', '5m', 'OK'],
];
async function record(rows: Observation[]): Promise<void> {
  await evaluate(db.pool, rows);
  resetApiCaches();
}
const incidentOf = async (symbol: string) =>
  (await incidents()).find((i) => i.symbol === symbol && i.status === 'open')!;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedEveryState(db);
  await pointActionsAt(db, await createActionsRole(db));
  await record(PROBLEMS);
});

afterAll(() => dropActionsDatabase(db));

describe('acknowledging an incident', () => {
  test('the incident in GET /api/incidents carries the ack, and one audit row names it', async () => {
    const incident = await incidentOf('AUDUSD');
    expect(incident.ack).toBeNull();
    const before = (await auditRows(db)).length;
    const until = new Date(Date.now() + 3_600_000).toISOString();
    const { status, body } = await ackIncident(incident.id, { note: '  vendor says 20 minutes ', until });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      ok: true,
      target: `incident/${incident.id}`,
      ack: { by: 'anonymous', note: 'vendor says 20 minutes', until },
    });
    const after = await incidentOf('AUDUSD');
    expect(after.ack).toMatchObject({ by: 'anonymous', note: 'vendor says 20 minutes', until });
    expect(Date.parse(after.ack!.at)).toBeGreaterThan(Date.now() - 60_000);
    // The other open incidents are not acked.
    expect((await incidents()).filter((i) => i.ack !== null).map((i) => i.id)).toEqual([incident.id]);
    const rows = (await auditRows(db)).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actor: 'anonymous',
      action: 'ack',
      target: `incident/${incident.id}`,
      ok: true,
      source: 'api',
      args: { note: 'vendor says 20 minutes' },
      result: { ack_id: body.ackId },
    });
    expect(rows[0]!.id).toBe(body.auditId);
  });

  test('a second ack replaces the first (ended "replaced"), and the list shows the newer', async () => {
    const incident = await incidentOf('AUDUSD');
    const { status } = await ackIncident(incident.id, { note: 'escalated to the vendor' });
    expect(status).toBe(200);
    expect((await incidentOf('AUDUSD')).ack).toMatchObject({ note: 'escalated to the vendor', until: null });
    expect(
      await db.sql(
        `SELECT note, ended_reason FROM acknowledgements WHERE incident_id = ${incident.id} ORDER BY ack_id`,
      ),
    ).toEqual([
      { note: 'vendor says 20 minutes', ended_reason: 'replaced' },
      { note: 'escalated to the vendor', ended_reason: null },
    ]);
  });

  test('until passed: the ack is no longer shown', async () => {
    const incident = await incidentOf('NZDUSD');
    expect((await ackIncident(incident.id, { note: 'looking' })).status).toBe(200);
    expect((await incidentOf('NZDUSD')).ack).not.toBeNull();
    await db.sql(`UPDATE acknowledgements SET at_utc = now() - interval '2 hours', until_utc = now() - interval '1 hour'
                   WHERE incident_id = ${incident.id} AND ended_at_utc IS NULL`);
    resetApiCaches();
    expect((await incidentOf('NZDUSD')).ack).toBeNull();
  });

  test('the incident resolves: its ack is null, and a resolved incident cannot be acked (409, logged)', async () => {
    const incident = await incidentOf('AUDUSD');
    await record([['AUDUSD', '5m', 'OK'], ...PROBLEMS.slice(1)]);
    const resolved = (await incidents()).find((i) => i.id === incident.id)!;
    expect([resolved.status, resolved.ack]).toEqual(['resolved', null]);
    const before = (await auditRows(db)).length;
    const { status, body } = await ackIncident(incident.id, { note: 'late' });
    expect([status, body.error.code]).toEqual([409, 'nothing_to_acknowledge']);
    expect(body.error.message).toContain(`incident ${incident.id} resolved at`);
    expect((await auditRows(db)).slice(before)).toMatchObject([{ action: 'ack', ok: false }]);
  });

  test('an unknown incident is a 404 with its audit row; a bad id is a 400 with none', async () => {
    expect((await ackIncident(999999, { note: 'x' })).body.error).toEqual({
      code: 'not_found',
      message: 'no incident 999999',
    });
    const before = (await auditRows(db)).length;
    for (const id of ['0', '-1', 'abc', '1.5', '99999999999999999999']) {
      const { status, body } = await ackIncident(id, { note: 'x' });
      expect([status, body.error.code]).toEqual([400, 'bad_request']);
    }
    expect((await auditRows(db)).length).toBe(before);
  });
});

describe('acknowledging a pair', () => {
  test("the pair's detail carries its ack until the pair is OK again; an OK pair is refused", async () => {
    expect((await detail('USDJPY', '5m')).ack ?? null).toBeNull();
    await record([...PROBLEMS, ['USDJPY', '5m', 'STALLED']]);
    const { status, body } = await ackPair('USDJPY', '5m', { note: 'worker restarted' });
    expect([status, body.target]).toEqual([200, 'USDJPY/5m']);
    expect((await detail('USDJPY', '5m')).ack).toMatchObject({
      by: 'anonymous',
      note: 'worker restarted',
      until: null,
    });
    // Recovered, then failing again: the old ack does not come back.
    await record([...PROBLEMS, ['USDJPY', '5m', 'OK']]);
    expect((await detail('USDJPY', '5m')).ack).toBeNull();
    await record([...PROBLEMS, ['USDJPY', '5m', 'STALLED']]);
    expect((await detail('USDJPY', '5m')).ack).toBeNull();
    const ok = await ackPair('EURUSD', '5m', { note: 'x' });
    expect([ok.status, ok.body.error.message]).toEqual([409, 'pair EURUSD/5m is OK: nothing to acknowledge']);
    expect((await ackPair('NOPE', '5m', { note: 'x' })).status).toBe(404);
  });
});

describe('bad input and who may write', () => {
  test('bad bodies are 400 JSON naming the field, and write nothing', async () => {
    const incident = await incidentOf('NZDUSD');
    const before = (await auditRows(db)).length;
    const cases: [unknown, string][] = [
      [{}, 'note'],
      [{ note: '   ' }, 'note must say why'],
      [{ note: 'x'.repeat(501) }, 'at most 500'],
      [{ note: 'x', until: '2020-01-01T00:00:00Z' }, 'until must be in the future'],
      [{ note: 'x', until: 'tomorrow' }, 'until must be an ISO 8601 time'],
      [{ note: 'x', extra: 1 }, 'unknown field(s): extra'],
      ['[1]', 'JSON object'],
    ];
    for (const [body, message] of cases) {
      const answer = await ackIncident(incident.id, body);
      expect([answer.status, answer.body.error.code]).toEqual([400, 'bad_request']);
      expect(answer.body.error.message).toContain(message);
    }
    expect((await auditRows(db)).length).toBe(before);
  });

  test('property: any body answers JSON, never 500; a body the schema refuses is a 400', async () => {
    const incident = await incidentOf('NZDUSD');
    const body = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            note: fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.integer()),
            until: fc.oneof(
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
              fc.string({ maxLength: 10 }),
            ),
            extra: fc.string({ maxLength: 5 }),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant(String(incident.id)), fc.string({ maxLength: 12 })),
        body,
        async (id, text) => {
          const answer = await ackIncident(id, text);
          expect([200, 400, 404, 409]).toContain(answer.status);
          if (answer.status !== 200) expect(typeof answer.body.error.message).toBe('string');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          if (text.trim() !== '' && (parsed === undefined || !ackBodySchema.safeParse(parsed).success))
            expect(answer.status).toBe(400);
        },
      ),
      { numRuns: 150 },
    );
  });

  test('a cross-site request is refused with 403 and writes nothing', async () => {
    const incident = await incidentOf('NZDUSD');
    const before = (await auditRows(db)).length;
    for (const headers of [{ 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example' }]) {
      for (const answer of [
        await ackIncident(incident.id, { note: 'x' }, headers),
        await ackPair('NZDUSD', '5m', { note: 'x' }, headers),
      ])
        expect([answer.status, answer.body.error]).toEqual([
          403,
          { code: 'cross_site', message: 'cross-site writes are refused' },
        ]);
    }
    expect((await auditRows(db)).length).toBe(before);
  });
});
