// POST /api/actions/bulk: one action on a selection of pairs, through the write role of
// db/roles/actions.sql on a real PostgreSQL. Each pair runs the pair page's function and writes
// its own audit row; a pair that fails is reported and the others go on.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { POST } from '../../app/api/actions/bulk/route';
import type { BulkResponse } from '../../lib/shared/bulk-actions';
import type { ApiErrorBody } from '../../lib/shared/types';
import { seedEveryState } from '../api/fixture';
import { pointApiAt } from '../api/support';
import { evaluate } from '../history/support';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { auditRowsOfEachTest, checksum, createActionsRole, dropActionsDatabase, pointActionsAt } from './support';

let db: TestDatabase;
let writeUrl: string;
type Answer = BulkResponse & ApiErrorBody;

async function bulk(body: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Answer }> {
  const response = await POST(
    new Request('http://127.0.0.1/api/actions/bulk', {
      method: 'POST',
      headers: { 'content-type': 'application/json', host: '127.0.0.1', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    }),
  );
  expect(response.headers.get('content-type')).toContain('application/json');
  return { status: response.status, body: (await response.json()) as Answer };
}
const pair = (key: string) => ({ symbol: key.split('/')[0]!, timeframe: key.split('/')[1]! });

beforeAll(async () => {
  db = await createTestDatabase();
  await seedEveryState(db);
  writeUrl = await createActionsRole(db);
  await pointActionsAt(db, writeUrl);
});

afterAll(() => dropActionsDatabase(db));

const newRows = auditRowsOfEachTest(() => db);

describe('POST /api/actions/bulk', () => {
  test('retry on three pairs: three results, three audit rows; an unknown pair is reported and the others go on', async () => {
    const { status, body } = await bulk({
      action: 'retry',
      pairs: ['EURUSD/5m', 'NOPE/5m', 'USDJPY/5m'].map(pair),
    });
    expect(status).toBe(200);
    expect([body.action, body.dryRun, body.ok, body.failed]).toEqual(['retry', false, 2, 1]);
    expect(body.results.map((result) => [result.target, result.ok, result.error?.code ?? null])).toEqual([
      ['EURUSD/5m', true, null],
      ['NOPE/5m', false, 'not_found'],
      ['USDJPY/5m', true, null],
    ]);
    const rows = await newRows();
    expect(rows.map((row) => [row.action, row.target, row.ok, row.source])).toEqual([
      ['retry', 'EURUSD/5m', true, 'api'],
      ['retry', 'NOPE/5m', false, 'api'],
      ['retry', 'USDJPY/5m', true, 'api'],
    ]);
    expect(body.results.map((result) => result.auditId ?? null)).toEqual([rows[0]!.id, null, rows[2]!.id]);
  });

  test("a reset's dry run over three pairs lists the rows it would change and changes nothing", async () => {
    const state = await checksum(db, 'data_agg_state');
    const bars = await checksum(db, 'bars_agg');
    const { status, body } = await bulk({ action: 'reset', pairs: ['NZDUSD/5m', 'USDCAD/5m', 'EURUSD/5m'].map(pair) });
    expect(status).toBe(200);
    expect([body.dryRun, body.ok, body.failed]).toEqual([true, 3, 0]);
    const changes = body.results.flatMap((result) => result.rows ?? []);
    expect(changes.map((row) => `${row.canonical_symbol}/${row.timeframe}`).sort()).toEqual(['NZDUSD/5m', 'USDCAD/5m']);
    expect(await checksum(db, 'data_agg_state')).toBe(state);
    expect(await checksum(db, 'bars_agg')).toBe(bars);
    expect((await newRows()).map((row) => [row.action, row.target, row.args.dry_run])).toEqual([
      ['reset', 'NZDUSD/5m', true],
      ['reset', 'USDCAD/5m', true],
      ['reset', 'EURUSD/5m', true],
    ]);
  });

  test('applying a destructive action needs a reason (400, nothing runs); with one, it applies', async () => {
    const refused = await bulk({ action: 'reset', pairs: [pair('NZDUSD/5m')], dryRun: false });
    expect([refused.status, refused.body.error.message]).toEqual([
      400,
      'reset needs a reason to apply (a dry run needs none)',
    ]);
    expect(await newRows()).toEqual([]);
    const { body } = await bulk({
      action: 'reset',
      pairs: [pair('NZDUSD/5m')],
      dryRun: false,
      reason: 'vendor replay',
    });
    expect([body.dryRun, body.ok, body.results[0]!.rows?.length]).toEqual([false, 1, 1]);
    expect((await newRows()).map((row) => [row.target, row.args.dry_run, row.args.reason])).toEqual([
      ['NZDUSD/5m', false, 'vendor replay'],
    ]);
  });

  test('acknowledge a selection: one note, one ack per problem pair; a quiet pair is refused and reported', async () => {
    await evaluate(db.pool, [
      ['USDJPY', '5m', 'STALLED'],
      ['AUDUSD', '5m', 'FAILING', 'vendor down'],
      ['EURUSD', '5m', 'OK'],
    ]);
    const { status, body } = await bulk({
      action: 'ack',
      pairs: ['USDJPY/5m', 'AUDUSD/5m', 'EURUSD/5m'].map(pair),
      note: 'vendor outage, on it',
    });
    expect(status).toBe(200);
    expect(body.results.map((result) => [result.target, result.ok, result.error?.code ?? null])).toEqual([
      ['USDJPY/5m', true, null],
      ['AUDUSD/5m', true, null],
      ['EURUSD/5m', false, 'nothing_to_acknowledge'],
    ]);
    expect(
      await db.sql(
        `SELECT canonical_symbol || '/' || timeframe AS pair, note FROM acknowledgements WHERE ended_at_utc IS NULL ORDER BY 1`,
      ),
    ).toEqual([
      { pair: 'AUDUSD/5m', note: 'vendor outage, on it' },
      { pair: 'USDJPY/5m', note: 'vendor outage, on it' },
    ]);
    expect((await newRows()).map((row) => [row.action, row.ok])).toEqual([
      ['ack', true],
      ['ack', true],
      ['ack', false],
    ]);
  });

  test('bad bodies are 400 JSON naming the problem, and write nothing', async () => {
    const cases: [unknown, string][] = [
      [{}, 'action must be one of'],
      [{ action: 'retry' }, 'pairs must be a list'],
      [{ action: 'retry', pairs: [] }, 'at least one pair'],
      [{ action: 'retry', pairs: Array.from({ length: 501 }, (_, i) => pair(`S${i}/5m`)) }, 'at most 500 pairs'],
      [{ action: 'retry', pairs: [pair('A/5m'), pair('A/5m')] }, 'names A/5m twice'],
      [{ action: 'retry', pairs: [{ symbol: 'A', timeframe: '5m', x: 1 }] }, 'unknown field(s): x'],
      [{ action: 'retry', pairs: [pair('A/5m')], extra: 1 }, 'unknown field(s): extra'],
      [{ action: 'retry', pairs: [pair('A/5m')], dryRun: true }, 'retry has no dry run'],
      [{ action: 'retry', pairs: [pair('A/5m')], note: 'x' }, 'note and until belong to ack only'],
      [{ action: 'ack', pairs: [pair('A/5m')] }, 'ack needs a note'],
      [{ action: 'repair', pairs: [pair('A/5m')] }, 'repair needs from and to'],
      [{ action: 'nuke', pairs: [pair('A/5m')] }, 'action must be one of'],
      ['[1]', 'JSON object'],
    ];
    for (const [body, message] of cases) {
      const answer = await bulk(body);
      expect([answer.status, answer.body.error.code]).toEqual([400, 'bad_request']);
      expect(answer.body.error.message).toContain(message);
    }
    expect(await newRows()).toEqual([]);
  });

  test('property: any body answers JSON (200 or 400), never 500', async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            action: fc.oneof(fc.constantFrom('retry', 'reset', 'ack', 'repair'), fc.string({ maxLength: 8 })),
            pairs: fc.oneof(
              fc.array(fc.record({ symbol: fc.string({ maxLength: 8 }), timeframe: fc.string({ maxLength: 4 }) }), {
                maxLength: 3,
              }),
              fc.jsonValue({ maxDepth: 1 }),
            ),
            dryRun: fc.oneof(fc.constant(true), fc.jsonValue({ maxDepth: 0 })),
            note: fc.string({ maxLength: 10 }),
            from: fc.oneof(
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
              fc.string({ maxLength: 8 }),
            ),
          },
          { requiredKeys: [] },
        )
        .map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const answer = await bulk(text);
        expect([200, 400]).toContain(answer.status);
        if (answer.status === 400) expect(typeof answer.body.error.message).toBe('string');
      }),
      { numRuns: 150 },
    );
  });

  test('a cross-site request is refused with 403 and writes nothing', async () => {
    const crossSite: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { origin: 'https://evil.example' },
    ];
    for (const headers of crossSite) {
      const answer = await bulk({ action: 'retry', pairs: [pair('EURUSD/5m')] }, headers);
      expect([answer.status, answer.body.error]).toEqual([
        403,
        { code: 'cross_site', message: 'cross-site writes are refused' },
      ]);
    }
    expect(await newRows()).toEqual([]);
  });

  describe('roles, as AUTH_MODE basic with one viewer, one operator and one admin', () => {
    const password = 'bulk-test-password';
    const users = { vera: 'viewer', otto: 'operator', ada: 'admin' } as const;
    const asUser = (user: keyof typeof users) => ({
      authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
    });
    beforeAll(async () => {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-users-'));
      const file = path.join(dir, 'users');
      const lines = Object.entries(users).map(([user, role]) => `${user}:${bcrypt.hashSync(password, 4)}:${role}`);
      writeFileSync(file, `${lines.join('\n')}\n`);
      await pointApiAt(db.url, { DATABASE_WRITE_URL: writeUrl, AUTH_MODE: 'basic', BASIC_AUTH_USERS_FILE: file });
    });
    afterAll(async () => {
      delete process.env.AUTH_MODE;
      delete process.env.BASIC_AUTH_USERS_FILE;
      await pointActionsAt(db, writeUrl);
    });
    const retry = { action: 'retry', pairs: [pair('EURUSD/5m'), pair('USDJPY/5m')] };
    const reset = { action: 'reset', pairs: [pair('NZDUSD/5m')] };

    test('401 without identity; 403 for a viewer; an operator may retry but not reset; nothing written', async () => {
      const anonymous = await bulk(retry);
      expect([anonymous.status, anonymous.body.error.code]).toEqual([401, 'unauthorized']);
      const viewer = await bulk(retry, asUser('vera'));
      expect([viewer.status, viewer.body.error.message]).toEqual([
        403,
        'this needs the operator role; you have viewer',
      ]);
      const operatorReset = await bulk(reset, asUser('otto'));
      expect([operatorReset.status, operatorReset.body.error.message]).toEqual([
        403,
        'this needs the admin role; you have operator',
      ]);
      expect(await newRows()).toEqual([]);
    });

    test('200 with the role: one audit row per pair naming the actor and the role', async () => {
      expect((await bulk(retry, asUser('otto'))).status).toBe(200);
      expect((await bulk(reset, asUser('ada'))).status).toBe(200);
      expect((await newRows()).map((row) => [row.actor, row.role, row.action, row.target])).toEqual([
        ['otto', 'operator', 'retry', 'EURUSD/5m'],
        ['otto', 'operator', 'retry', 'USDJPY/5m'],
        ['ada', 'admin', 'reset', 'NZDUSD/5m'],
      ]);
    });
  });
});
