// Withdrawing an ack (DELETE /api/pairs/{symbol}/{tf}/ack and /api/incidents/{id}/ack), through
// the write role of db/roles/actions.sql on a real PostgreSQL: who may, the audit row, the ack
// ended 'withdrawn' and gone from the reads, and bad input answered 4xx JSON, never 500.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DELETE as incidentUnack, POST as incidentAck } from '../../app/api/incidents/[id]/ack/route';
import { GET as incidentsGET } from '../../app/api/incidents/route';
import { DELETE as pairUnack, POST as pairAck } from '../../app/api/pairs/[symbol]/[timeframe]/ack/route';
import { GET as detailGET } from '../../app/api/pairs/[symbol]/[timeframe]/route';
import { withdrawBodySchema, type WithdrawResponse } from '../../lib/shared/acks';
import type { IncidentsResponse } from '../../lib/shared/history-types';
import type { ApiErrorBody, PairDetailResponse } from '../../lib/shared/types';
import { seedEveryState } from '../api/fixture';
import { call, pointApiAt, resetApiCaches } from '../api/support';
import { evaluate, type Observation } from '../history/support';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { auditRows, connectAs, createActionsRole, dropActionsDatabase, pointActionsAt } from './support';

let db: TestDatabase;
let writeUrl: string;

type Handler = (r: Request, c: { params: Promise<object> }) => Promise<Response>;
async function send(handler: unknown, method: string, url: string, params: object, body?: unknown, headers = {}) {
  const response = await (handler as Handler)(
    new Request(`http://127.0.0.1${url}`, {
      method,
      headers: { 'content-type': 'application/json', host: '127.0.0.1', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    }),
    { params: Promise.resolve(params) },
  );
  expect(response.headers.get('content-type')).toContain('application/json');
  return { status: response.status, body: (await response.json()) as WithdrawResponse & ApiErrorBody };
}
const pairPath = (symbol: string, timeframe: string) =>
  `/api/pairs/${encodeURIComponent(symbol)}/${encodeURIComponent(timeframe)}/ack`;
const ackPair = (symbol: string, timeframe: string, headers = {}) =>
  send(pairAck, 'POST', pairPath(symbol, timeframe), { symbol, timeframe }, { note: 'on it' }, headers);
const unackPair = (symbol: string, timeframe: string, body?: unknown, headers = {}) =>
  send(pairUnack, 'DELETE', pairPath(symbol, timeframe), { symbol, timeframe }, body, headers);
const unackIncident = (id: string | number, body?: unknown, headers = {}) =>
  send(incidentUnack, 'DELETE', `/api/incidents/${id}/ack`, { id: String(id) }, body, headers);
const detail = async (symbol: string, timeframe: string) =>
  (await call<PairDetailResponse>(detailGET, `/api/pairs/${symbol}/${timeframe}`, { symbol, timeframe })).body;

const PROBLEMS: Observation[] = [
  ['AUDUSD', '5m', 'FAILING', 'vendor down'],
  ['NZDUSD', '5m', 'AHEAD'],
  ['USDJPY', '5m', 'STALLED'],
  ['EURUSD', '5m', 'OK'],
];

beforeAll(async () => {
  db = await createTestDatabase();
  await seedEveryState(db);
  writeUrl = await createActionsRole(db);
  await pointActionsAt(db, writeUrl);
  await evaluate(db.pool, PROBLEMS);
  resetApiCaches();
});

afterAll(() => dropActionsDatabase(db));

describe('withdrawing an ack', () => {
  test("a pair's ack: 200, ended 'withdrawn', gone from the detail, one 'unack' audit row with the reason", async () => {
    expect((await ackPair('USDJPY', '5m')).status).toBe(200);
    expect((await detail('USDJPY', '5m')).ack).toMatchObject({ note: 'on it' });
    const before = (await auditRows(db)).length;
    const { status, body } = await unackPair('USDJPY', '5m', { reason: ' wrong pair ' });
    expect([status, body.ok, body.target]).toEqual([200, true, 'USDJPY/5m']);
    expect(body.silence).toBeUndefined(); // no ALERTMANAGER_URL here
    expect((await detail('USDJPY', '5m')).ack ?? null).toBeNull();
    expect(await db.sql(`SELECT ended_reason FROM acknowledgements WHERE ack_id = ${body.ackId}`)).toEqual([
      { ended_reason: 'withdrawn' },
    ]);
    const rows = (await auditRows(db)).slice(before);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: body.auditId,
      actor: 'anonymous',
      action: 'unack',
      target: 'USDJPY/5m',
      ok: true,
      args: { reason: 'wrong pair' },
      result: { ack_id: body.ackId },
    });
  });

  test('nothing to withdraw is a 409 (logged ok = false); an unknown pair or incident a 404', async () => {
    const before = (await auditRows(db)).length;
    const again = await unackPair('USDJPY', '5m');
    expect([again.status, again.body.error]).toEqual([
      409,
      { code: 'nothing_to_withdraw', message: 'pair USDJPY/5m has no current acknowledgement to withdraw' },
    ]);
    expect((await unackPair('NOPE', '5m')).status).toBe(404);
    expect((await unackIncident(999999)).body.error).toEqual({ code: 'not_found', message: 'no incident 999999' });
    expect((await auditRows(db)).slice(before).map((r) => [r.action, r.target, r.ok])).toEqual([
      ['unack', 'USDJPY/5m', false],
      ['unack', 'NOPE/5m', false],
      ['unack', 'incident/999999', false],
    ]);
  });

  test("an incident's ack is withdrawn; the incident stays open and unacked", async () => {
    const incidents = async () =>
      (await call<IncidentsResponse>(incidentsGET, '/api/incidents?status=open')).body.incidents;
    const incident = (await incidents()).find((i) => i.symbol === 'AUDUSD')!;
    const acked = await send(
      incidentAck,
      'POST',
      `/api/incidents/${incident.id}/ack`,
      { id: String(incident.id) },
      {
        note: 'vendor',
      },
    );
    expect(acked.status).toBe(200);
    const { status, body } = await unackIncident(incident.id);
    expect([status, body.target]).toEqual([200, `incident/${incident.id}`]);
    expect((await incidents()).find((i) => i.id === incident.id)).toMatchObject({ status: 'open', ack: null });
  });
});

describe('bad input', () => {
  test('bad bodies are 400 naming the field and write nothing', async () => {
    expect((await ackPair('NZDUSD', '5m')).status).toBe(200);
    const before = (await auditRows(db)).length;
    const cases: [unknown, string][] = [
      [{ reason: 'x'.repeat(501) }, 'at most 500'],
      [{ reason: 3 }, 'reason must be text'],
      [{ reason: 'a\u0000b' }, 'control characters'],
      [{ why: 'x' }, 'unknown field(s): why'],
      ['[1]', 'JSON object'],
      ['{', 'JSON object'],
    ];
    for (const [body, message] of cases) {
      const answer = await unackPair('NZDUSD', '5m', body);
      expect([answer.status, answer.body.error.code]).toEqual([400, 'bad_request']);
      expect(answer.body.error.message).toContain(message);
    }
    expect((await auditRows(db)).length).toBe(before);
    expect((await detail('NZDUSD', '5m')).ack).toMatchObject({ note: 'on it' });
  });

  test('property: any path and body answer JSON, never 500; a body the schema refuses is a 400', async () => {
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            reason: fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 30 }), fc.integer()),
            extra: fc.string({ maxLength: 5 }),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    const refused = (text: string | undefined) => {
      if (text === undefined || text.trim() === '') return false;
      try {
        return !withdrawBodySchema.safeParse(JSON.parse(text)).success;
      } catch {
        return true;
      }
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.constant('NZDUSD'), fc.string({ maxLength: 12 })),
        fc.oneof(fc.constant('5m'), fc.string({ maxLength: 6 })),
        fc.oneof(fc.constant('1'), fc.string({ maxLength: 12 })),
        body,
        async (symbol, timeframe, id, text) => {
          for (const answer of [await unackPair(symbol, timeframe, text), await unackIncident(id, text)]) {
            expect([200, 400, 404, 409]).toContain(answer.status);
            if (answer.status !== 200) expect(typeof answer.body.error.message).toBe('string');
            if (refused(text)) expect(answer.status).toBe(400);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe('who may withdraw, as AUTH_MODE basic with a viewer and an operator', () => {
  const password = 'unack-test-password';
  const asUser = (user: 'vera' | 'otto') => ({
    authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
  });
  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-users-'));
    const file = path.join(dir, 'users');
    writeFileSync(file, `vera:${bcrypt.hashSync(password, 4)}:viewer\notto:${bcrypt.hashSync(password, 4)}:operator\n`);
    await pointApiAt(db.url, { DATABASE_WRITE_URL: writeUrl, AUTH_MODE: 'basic', BASIC_AUTH_USERS_FILE: file });
    await evaluate(db.pool, PROBLEMS);
    expect((await ackPair('USDJPY', '5m', asUser('otto'))).status).toBe(200);
  });
  afterAll(async () => {
    delete process.env.AUTH_MODE;
    delete process.env.BASIC_AUTH_USERS_FILE;
    await pointActionsAt(db, writeUrl);
  });

  test('401 without identity, 403 for a viewer, 403 cross-site: nothing written, the ack stays', async () => {
    const before = (await auditRows(db)).length;
    const anonymous = await unackPair('USDJPY', '5m');
    expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'unauthorized']);
    const viewer = await unackPair('USDJPY', '5m', undefined, asUser('vera'));
    expect([viewer.status, viewer.body.error.code]).toEqual([403, 'forbidden']);
    for (const site of [{ 'sec-fetch-site': 'cross-site' }, { origin: 'https://evil.example' }]) {
      const answer = await unackPair('USDJPY', '5m', undefined, { ...asUser('otto'), ...site });
      expect([answer.status, answer.body.error]).toEqual([
        403,
        { code: 'cross_site', message: 'cross-site writes are refused' },
      ]);
    }
    expect((await auditRows(db)).length).toBe(before);
    expect((await detail('USDJPY', '5m')).ack).toMatchObject({ by: 'otto' });
  });

  test('200 for an operator, whose name and role the audit row carries', async () => {
    const before = (await auditRows(db)).length;
    const { status } = await unackPair('USDJPY', '5m', undefined, asUser('otto'));
    expect(status).toBe(200);
    expect((await auditRows(db)).slice(before).map((r) => [r.actor, r.role, r.action, r.target, r.ok])).toEqual([
      ['otto', 'operator', 'unack', 'USDJPY/5m', true],
    ]);
  });
});

describe('ack_silence_record, as the write role', () => {
  test('stores an id only where none is held, expires only the id held, and names a bad argument', async () => {
    const [row] = await db.sql<{ ack_id: string }>(`SELECT ack_id FROM acknowledgements ORDER BY ack_id DESC LIMIT 1`);
    const ack_id = row!.ack_id;
    const client = await connectAs(writeUrl);
    const record = async (...args: (string | null)[]) =>
      (
        await client.query<{ stored: boolean }>('SELECT ack_silence_record($1, $2, $3, $4, $5) AS stored', [
          ack_id,
          ...args,
        ])
      ).rows[0]!.stored;
    try {
      expect(await record('failed', null, 'connect ECONNREFUSED', null)).toBe(true);
      expect(await record('active', 'mine', null, '2030-01-01T00:00:00Z')).toBe(true);
      // Another id while one is held: refused; a failure no longer overwrites it.
      expect(await record('active', 'theirs', null, null)).toBe(false);
      expect(await record('failed', null, 'x', null)).toBe(false);
      expect(await record('expired', 'theirs', null, null)).toBe(false);
      expect(await record('expired', 'mine', null, null)).toBe(true);
      expect(
        await db.sql(`SELECT silence_id, silence_state, silence_error FROM acknowledgements WHERE ack_id = ${ack_id}`),
      ).toEqual([{ silence_id: 'mine', silence_state: 'expired', silence_error: null }]);
      await expect(record('gone', null, null, null)).rejects.toThrow(
        "ack_silence_record: p_state must be active, failed, expired or none, got 'gone'",
      );
      await expect(record('active', null, null, null)).rejects.toThrow(
        'ack_silence_record: p_silence_id must name the silence when p_state is active',
      );
      // The write role still reads nothing.
      await expect(client.query('SELECT silence_id FROM acknowledgements')).rejects.toThrow(/permission denied/);
    } finally {
      await client.end();
    }
  });
});
