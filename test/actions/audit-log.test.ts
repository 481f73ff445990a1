// GET /api/audit-log (filters, pages, bad input) and property-based bad input on the new routes:
// 4xx JSON, never 500.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as auditGET } from '../../app/api/audit-log/route';
import { GET as statusGET } from '../../app/api/actions/status/route';
import { POST } from '../../app/api/pairs/[symbol]/[timeframe]/actions/[action]/route';
import { pairActionBodySchema, type AuditLogPage } from '../../lib/shared/actions';
import type { ApiErrorBody } from '../../lib/shared/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedEveryState } from '../api/fixture';
import { call } from '../api/support';
import { createActionsRole, dropActionsDatabase, pointActionsAt, postAction } from './support';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedEveryState(db);
  await pointActionsAt(db, await createActionsRole(db));
  // Five rows: three actors, two targets, one old row.
  await db.sql(`
    INSERT INTO operator_actions (at_utc, actor, role, source, action, target, args, result, ok) VALUES
      ('2026-01-01T00:00:00Z', 'carol', 'admin', 'ops', 'reset', '*/*', '{"dry_run": false}', '{}', true),
      (now() - interval '2 hours', 'alice', 'operator', 'ui', 'retry', 'AUDUSD/5m', '{"reason": "vendor fixed it"}', '{}', true),
      (now() - interval '1 hour', 'bob', 'admin', 'api', 'reset', 'NZDUSD/5m', '{"dry_run": true}', '{"rows": []}', true),
      (now() - interval '30 minutes', 'alice', 'operator', 'ui', 'disable', 'NZDUSD/5m', '{}', '{}', true),
      (now() - interval '10 minutes', 'bob', 'admin', 'api', 'reset', 'NZDUSD/5m', '{"dry_run": false, "reason": "replayed"}', null, false)`);
});

afterAll(() => dropActionsDatabase(db));

const log = (query = '') => call<AuditLogPage & ApiErrorBody>(auditGET, `/api/audit-log${query}`);
const shape = (page: AuditLogPage) => page.entries.map((e) => `${e.actor}:${e.action}:${e.target}`);

describe('GET /api/audit-log', () => {
  test('newest first, with the reason taken from the arguments', async () => {
    const { status, body } = await log();
    expect(status).toBe(200);
    expect(shape(body)).toEqual([
      'bob:reset:NZDUSD/5m',
      'alice:disable:NZDUSD/5m',
      'bob:reset:NZDUSD/5m',
      'alice:retry:AUDUSD/5m',
      'carol:reset:*/*',
    ]);
    expect(body.entries[0]).toMatchObject({
      role: 'admin',
      source: 'api',
      reason: 'replayed',
      args: { dry_run: false, reason: 'replayed' },
      result: null,
      ok: false,
    });
    expect(body.entries[4]!.atUtc).toBe('2026-01-01T00:00:00.000Z');
    expect(body.nextCursor).toBeNull();
  });

  test('filters by target, actor, action and since, together', async () => {
    expect(shape((await log('?target=NZDUSD/5m')).body)).toEqual([
      'bob:reset:NZDUSD/5m',
      'alice:disable:NZDUSD/5m',
      'bob:reset:NZDUSD/5m',
    ]);
    expect(shape((await log('?actor=alice')).body)).toEqual(['alice:disable:NZDUSD/5m', 'alice:retry:AUDUSD/5m']);
    expect(shape((await log('?action=reset&target=NZDUSD%2F5m')).body)).toEqual([
      'bob:reset:NZDUSD/5m',
      'bob:reset:NZDUSD/5m',
    ]);
    const since = new Date(Date.now() - 90 * 60_000).toISOString();
    expect(shape((await log(`?since=${since}`)).body)).toEqual([
      'bob:reset:NZDUSD/5m',
      'alice:disable:NZDUSD/5m',
      'bob:reset:NZDUSD/5m',
    ]);
  });

  test('pages of limit rows, the next one from nextCursor, the last with none', async () => {
    const first = (await log('?limit=2')).body;
    expect(shape(first)).toEqual(['bob:reset:NZDUSD/5m', 'alice:disable:NZDUSD/5m']);
    const second = (await log(`?limit=2&before=${first.nextCursor}`)).body;
    expect(shape(second)).toEqual(['bob:reset:NZDUSD/5m', 'alice:retry:AUDUSD/5m']);
    const third = (await log(`?limit=2&before=${second.nextCursor}`)).body;
    expect([shape(third), third.nextCursor]).toEqual([['carol:reset:*/*'], null]);
  });

  test.each([
    ['?limit=0', 'limit must be an integer from 1 to 500, got "0"'],
    ['?limit=501', 'limit must be an integer from 1 to 500, got "501"'],
    ['?before=-1', 'before must be an integer from 1 to 9007199254740991, got "-1"'],
    ['?since=yesterday', 'since must be an ISO 8601 time, got "yesterday"'],
    ['?actor=', 'actor must not be empty'],
    ['?target=%00', 'target must not contain control characters'],
    ['?who=bob', 'unknown parameter "who"; known: target, actor, action, since, before, limit'],
    ['?actor=a&actor=b', 'parameter actor is given more than once'],
  ])('%s → 400: %s', async (query, message) => {
    const { status, body } = await log(query);
    expect([status, body.error]).toEqual([400, { code: 'bad_request', message }]);
  });
});

test('GET /api/actions/status: writable as frontier_actions, with who is asking', async () => {
  const { status, body } = await call(statusGET, '/api/actions/status');
  expect([status, body]).toEqual([200, { writable: true, reason: null, actor: 'anonymous', role: 'admin' }]);
});

test('a reason with a NUL is a 400, not a database error', async () => {
  const answer = await postAction<ApiErrorBody>(
    POST,
    { symbol: 'NZDUSD', timeframe: '5m', action: 'retry' },
    { reason: 'a\u0000b' },
  );
  expect([answer.status, answer.body.error]).toEqual([
    400,
    { code: 'bad_request', message: 'reason must not contain control characters' },
  ]);
});

describe('property: bad input never answers 500', () => {
  test('GET /api/audit-log: any query string answers 200 or 400 with JSON', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc
            .tuple(
              fc.constantFrom('target', 'actor', 'action', 'since', 'before', 'limit', 'x'),
              fc.string({ unit: 'binary', maxLength: 30 }),
            )
            .map(([k, v]) => new URLSearchParams([[k, v]]).toString()),
        ),
        async (query) => {
          const { status, body, contentType } = await log(`?${query}`);
          expect(contentType).toContain('application/json');
          expect([200, 400]).toContain(status);
          if (status === 400) expect(body.error.code).toBe('bad_request');
        },
      ),
      { numRuns: 150 },
    );
  });

  test('POST …/actions/{action}: any path and body answers JSON; a body the schema refuses is a 400', async () => {
    const body = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
      fc
        .record(
          {
            reason: fc.oneof(
              fc.string({ maxLength: 20 }),
              fc.string({ unit: 'binary', maxLength: 20 }),
              fc.integer(),
              fc.constant(null),
            ),
            dryRun: fc.oneof(fc.boolean(), fc.string({ maxLength: 5 })),
            from: fc.oneof(
              fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
              fc.string({ maxLength: 10 }),
            ),
            to: fc.oneof(
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
        fc.oneof(fc.string({ unit: 'binary', maxLength: 70 }), fc.constantFrom('NZDUSD', 'AUDUSD', 'NOPE')),
        fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('5m', '1h', '7m')),
        fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('retry', 'reset', 'repair', 'bootstrap', 'disable')),
        body,
        async (symbol, timeframe, action, text) => {
          const answer = await postAction<ApiErrorBody>(POST, { symbol, timeframe, action }, text);
          expect([200, 400, 404, 409]).toContain(answer.status);
          if (answer.status !== 200) expect(typeof answer.body.error.message).toBe('string');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          const refused =
            text.trim() !== '' && (parsed === undefined || !pairActionBodySchema.safeParse(parsed).success);
          if (refused) expect([400, 404]).toContain(answer.status);
        },
      ),
      { numRuns: 200 },
    );
  });
});
