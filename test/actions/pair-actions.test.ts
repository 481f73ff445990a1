// The write path: each action through
// its route handler, on a real PostgreSQL, written by the least-privilege role of
// db/roles/actions.sql; the rows it changes, the one audit row of each call.
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { POST } from '../../app/api/pairs/[symbol]/[timeframe]/actions/[action]/route';
import type { PairActionResponse } from '../../lib/shared/actions';
import type { ApiErrorBody } from '../../lib/shared/types';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { seedEveryState } from '../api/fixture';
import { MINUTE, currentWindow, pointApiAt } from '../api/support';
import {
  auditRowsOfEachTest,
  checksum,
  connectAs,
  createActionsRole,
  dropActionsDatabase,
  pointActionsAt,
  postAction,
} from './support';

let db: TestDatabase;
let writeUrl: string;

type Answer = PairActionResponse & ApiErrorBody;
const act = (symbol: string, timeframe: string, action: string, body: unknown = {}, headers = {}) =>
  postAction<Answer>(POST, { symbol, timeframe, action }, body, headers);

beforeAll(async () => {
  db = await createTestDatabase();
  await seedEveryState(db);
  // REPSYM/1h: 6 hours of source, caught up to its last complete window, for the repair.
  const window = currentWindow();
  await insertBars(
    db.pool,
    randomWalkBars('REPSYM', minutesBetween(new Date(window - 360 * MINUTE), new Date(window)), 3),
  );
  await db.sql(`SELECT bootstrap_aggregation_cursor('REPSYM', '1h')`);
  await db.sql(`SELECT run_catchup('REPSYM', '1h', 100, 0)`);
  writeUrl = await createActionsRole(db);
  await pointActionsAt(db, writeUrl);
});

afterAll(() => dropActionsDatabase(db));

const newRows = auditRowsOfEachTest(() => db);

describe('the write role holds no table right', () => {
  test('frontier_actions cannot read or write a table, nor run a product function that is not an action', async () => {
    const client = await connectAs(writeUrl);
    try {
      const denied = async (sql: string) => {
        const error = await client.query(sql).then(
          () => null,
          (e: { code?: string; message: string }) => e,
        );
        return error && `${error.code}: ${error.message}`;
      };
      expect(await denied('SELECT * FROM data_agg_state')).toBe('42501: permission denied for table data_agg_state');
      expect(await denied('SELECT * FROM operator_actions')).toBe(
        '42501: permission denied for table operator_actions',
      );
      expect(await denied(`UPDATE data_agg_state SET enabled = false`)).toBe(
        '42501: permission denied for table data_agg_state',
      );
      expect(await denied(`SELECT * FROM reset_aggregation_cursor('NZDUSD', '5m', false)`)).toMatch(/^42501: /);
      expect(await denied(`SELECT agg_action_finish('x', 'admin', 'api', 'reset', 't', '{}', '{}', true)`)).toBe(
        '42501: permission denied for function agg_action_finish',
      );
      // What it may do: an action, which records its own row.
      const { rows } = await client.query<{ r: { ok: boolean; audit_id: number } }>(
        `SELECT action_retry_pair('psql', 'operator', 'api', 'EURUSD', '5m') AS r`,
      );
      expect(rows[0]!.r).toMatchObject({ ok: true, cleared: false });
      expect(await newRows()).toEqual([
        expect.objectContaining({
          id: rows[0]!.r.audit_id,
          actor: 'psql',
          action: 'retry',
          target: 'EURUSD/5m',
          ok: true,
        }),
      ]);
    } finally {
      await client.end();
    }
  });

  test('the function checks the role it is told, and the reason to apply', async () => {
    const client = await connectAs(writeUrl);
    try {
      const message = (sql: string) =>
        client.query(sql).then(
          () => 'resolved',
          (e: { code?: string; message: string }) => `${e.code}: ${e.message}`,
        );
      expect(await message(`SELECT action_reset_pair('eve', 'operator', 'api', 'NZDUSD', '5m', true)`)).toBe(
        '42501: action_reset_pair: needs the admin role; p_role is operator',
      );
      expect(await message(`SELECT action_reset_pair('eve', 'admin', 'api', 'NZDUSD', '5m', false, '  ')`)).toBe(
        '22023: action_reset_pair: p_reason must say why, to apply (a dry run needs none)',
      );
      expect(await message(`SELECT action_retry_pair('eve', 'root', 'api', 'NZDUSD', '5m')`)).toBe(
        "22023: action_retry_pair: p_role must be viewer, operator or admin, got 'root'",
      );
      expect(await message(`SELECT action_retry_pair('', 'admin', 'api', 'NZDUSD', '5m')`)).toBe(
        '22023: action_retry_pair: p_actor must name who acts',
      );
      expect(await message(`SELECT action_retry_pair('eve', 'admin', 'cli', 'NZDUSD', '5m')`)).toBe(
        "22023: action_retry_pair: p_source must be ui, api or ops, got 'cli'",
      );
      expect(await newRows()).toEqual([]);
    } finally {
      await client.end();
    }
  });
});

describe('reset: the dry run changes nothing, apply moves only that pair', () => {
  test("dry run: the AHEAD pair's single row, checksums of data_agg_state and bars_agg unchanged, one audit row", async () => {
    const state = await checksum(db, 'data_agg_state');
    const bars = await checksum(db, 'bars_agg');
    const cursor = await db.one<{ c: Date }>(
      `SELECT last_agg_bar_ts_utc AS c FROM data_agg_state WHERE canonical_symbol = 'NZDUSD' AND timeframe = '5m'`,
    );
    const { status, body } = await act('NZDUSD', '5m', 'reset', { dryRun: true });
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, action: 'reset', target: 'NZDUSD/5m', dryRun: true });
    expect(body.rows).toHaveLength(1);
    expect(body.rows![0]).toMatchObject({ canonical_symbol: 'NZDUSD', timeframe: '5m', reason: 'ahead_of_source' });
    expect(Date.parse(body.rows![0]!.old_cursor_utc!)).toBe(cursor.c.getTime());
    expect(Date.parse(body.rows![0]!.new_cursor_utc!)).toBe(cursor.c.getTime() - 2 * 5 * MINUTE);
    expect(await checksum(db, 'data_agg_state')).toBe(state);
    expect(await checksum(db, 'bars_agg')).toBe(bars);
    const rows = await newRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      id: body.auditId,
      actor: 'anonymous',
      role: 'admin',
      source: 'api',
      action: 'reset',
      target: 'NZDUSD/5m',
      args: { dry_run: true },
      ok: true,
    });
    expect(rows[0]!.result).toMatchObject({ dry_run: true, rows: body.rows });
  });

  test('a body without dryRun is a dry run too: apply is said, never assumed', async () => {
    const state = await checksum(db, 'data_agg_state');
    const { status, body } = await act('NZDUSD', '5m', 'reset');
    expect([status, body.dryRun, body.rows?.length]).toEqual([200, true, 1]);
    expect(await checksum(db, 'data_agg_state')).toBe(state);
  });

  test('apply without a reason: 400 naming it, nothing written, no audit row', async () => {
    const state = await checksum(db, 'data_agg_state');
    const { status, body } = await act('NZDUSD', '5m', 'reset', { dryRun: false, reason: '   ' });
    expect(status).toBe(400);
    expect(body.error).toEqual({
      code: 'bad_request',
      message: 'reset needs a reason to apply (a dry run needs none)',
    });
    expect(await checksum(db, 'data_agg_state')).toBe(state);
    expect(await newRows()).toEqual([]);
  });

  test("apply with a reason moves that pair's cursor only, from the UI, and says so in its row", async () => {
    const others = `NOT (canonical_symbol = 'NZDUSD' AND timeframe = '5m')`;
    const otherState = await checksum(db, 'data_agg_state', others);
    const bars = await checksum(db, 'bars_agg');
    const { status, body } = await act(
      'NZDUSD',
      '5m',
      'reset',
      { dryRun: false, reason: 'vendor replayed a day' },
      { 'sec-fetch-site': 'same-origin' },
    );
    expect(status).toBe(200);
    expect(body).toMatchObject({ dryRun: false, rows: [expect.objectContaining({ reason: 'ahead_of_source' })] });
    const after = await db.one<{ c: Date }>(
      `SELECT last_agg_bar_ts_utc AS c FROM data_agg_state WHERE canonical_symbol = 'NZDUSD' AND timeframe = '5m'`,
    );
    expect(after.c.toISOString()).toBe(new Date(body.rows![0]!.new_cursor_utc!).toISOString());
    expect(await checksum(db, 'data_agg_state', others)).toBe(otherState);
    expect(await checksum(db, 'bars_agg')).toBe(bars);
    expect(await newRows()).toEqual([
      expect.objectContaining({
        source: 'ui',
        action: 'reset',
        target: 'NZDUSD/5m',
        args: { dry_run: false, reason: 'vendor replayed a day' },
        ok: true,
      }),
    ]);
    // Done: a second reset has nothing to move.
    const again = await act('NZDUSD', '5m', 'reset', { dryRun: true });
    expect(again.body.rows).toEqual([]);
  });
});

describe('the operator actions', () => {
  test('retry clears the backoff and says when it was due', async () => {
    await db.sql(
      `UPDATE data_agg_state SET next_retry_utc = '2030-01-01T00:00:00Z' WHERE canonical_symbol = 'AUDUSD' AND timeframe = '5m'`,
    );
    const { status, body } = await act('AUDUSD', '5m', 'retry', { reason: 'vendor fixed the bars' });
    expect(status).toBe(200);
    expect(body.result).toMatchObject({
      cleared: true,
      consecutive_failures: 3,
      was_due_utc: '2030-01-01T00:00:00+00:00',
    });
    expect(
      await db.one(`SELECT next_retry_utc FROM data_agg_state WHERE canonical_symbol = 'AUDUSD' AND timeframe = '5m'`),
    ).toEqual({ next_retry_utc: null });
    expect(await newRows()).toEqual([
      expect.objectContaining({
        action: 'retry',
        target: 'AUDUSD/5m',
        args: { reason: 'vendor fixed the bars' },
        ok: true,
      }),
    ]);
  });

  test('enable and disable flip the flag and say what it was; a dry run is refused', async () => {
    const enabled = () =>
      db.one<{ enabled: boolean }>(
        `SELECT enabled FROM data_agg_state WHERE canonical_symbol = 'BTCUSD' AND timeframe = '5m'`,
      );
    expect((await act('BTCUSD', '5m', 'enable')).body.result).toMatchObject({ was_enabled: false, changed: true });
    expect(await enabled()).toEqual({ enabled: true });
    expect((await act('BTCUSD', '5m', 'enable')).body.result).toMatchObject({ was_enabled: true, changed: false });
    expect((await act('BTCUSD', '5m', 'disable')).body.result).toMatchObject({ was_enabled: true, changed: true });
    expect(await enabled()).toEqual({ enabled: false });
    expect((await newRows()).map((row) => `${row.action}:${row.ok}`)).toEqual([
      'enable:true',
      'enable:true',
      'disable:true',
    ]);
    const dry = await act('BTCUSD', '5m', 'disable', { dryRun: true });
    expect([dry.status, dry.body.error.message]).toEqual([
      400,
      'disable has no dry run: it changes one flag and says what it was',
    ]);
  });

  test("an unregistered pair: 404 with the database's reason, and the attempt is in the log", async () => {
    const { status, body } = await act('NOPE', '5m', 'retry');
    expect(status).toBe(404);
    expect(body.error).toEqual({ code: 'not_found', message: 'no pair NOPE/5m in data_agg_state' });
    expect(await newRows()).toEqual([
      expect.objectContaining({
        action: 'retry',
        target: 'NOPE/5m',
        ok: false,
        result: { error: 'no pair NOPE/5m in data_agg_state', sqlstate: 'P0002' },
      }),
    ]);
  });
});

describe('bootstrap and repair', () => {
  test('bootstrap: the dry run shows NULL → the first window and writes nothing; apply sets it', async () => {
    const state = await checksum(db, 'data_agg_state');
    const dry = await act('USDCAD', '5m', 'bootstrap', { dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body.rows).toEqual([
      expect.objectContaining({ canonical_symbol: 'USDCAD', old_cursor_utc: null, reason: 'null_cursor' }),
    ]);
    const planned = dry.body.rows![0]!.new_cursor_utc!;
    expect(await checksum(db, 'data_agg_state')).toBe(state);
    const applied = await act('USDCAD', '5m', 'bootstrap', { dryRun: false, reason: 'new symbol' });
    expect(applied.body.rows![0]!.new_cursor_utc).toBe(planned);
    const cursor = await db.one<{ c: Date }>(
      `SELECT last_agg_bar_ts_utc AS c FROM data_agg_state WHERE canonical_symbol = 'USDCAD' AND timeframe = '5m'`,
    );
    expect(cursor.c.getTime()).toBe(Date.parse(planned));
    // Set now: a second bootstrap changes no row.
    expect((await act('USDCAD', '5m', 'bootstrap', { dryRun: true })).body.rows).toEqual([]);
    expect((await newRows()).map((row) => `${row.action}:${String(row.args.dry_run)}`)).toEqual([
      'bootstrap:true',
      'bootstrap:false',
      'bootstrap:true',
    ]);
  });

  test('repair: the dry run counts the drifted bar and writes none; apply repairs it', async () => {
    const hour = Math.floor(Date.now() / (60 * MINUTE)) * 60 * MINUTE - 3 * 60 * MINUTE;
    await db.sql(
      `UPDATE bars_agg SET close = close + 1 WHERE canonical_symbol = 'REPSYM' AND timeframe = '1h' AND ts_utc = $1`,
      [new Date(hour)],
    );
    const range = { from: new Date(hour - 60 * MINUTE).toISOString(), to: new Date(hour + 60 * MINUTE).toISOString() };
    const state = await checksum(db, 'data_agg_state');
    const bars = await checksum(db, 'bars_agg');
    const dry = await act('REPSYM', '1h', 'repair', { dryRun: true, ...range });
    expect(dry.status).toBe(200);
    expect(dry.body.result.audit).toMatchObject({ windows_checked: 2, drifted: 1, missing: 0, repaired: 1 });
    expect(await checksum(db, 'data_agg_state')).toBe(state);
    expect(await checksum(db, 'bars_agg')).toBe(bars);
    const applied = await act('REPSYM', '1h', 'repair', { dryRun: false, reason: 'late minutes', ...range });
    expect(applied.body.result.audit).toMatchObject({ drifted: 1, repaired: 1 });
    expect(await checksum(db, 'bars_agg')).not.toBe(bars);
    const again = await act('REPSYM', '1h', 'repair', { dryRun: true, ...range });
    expect(again.body.result.audit).toMatchObject({ drifted: 0, repaired: 0 });
    expect((await newRows()).map((row) => row.args)).toEqual([
      { dry_run: true, ...dbRange(range) },
      { dry_run: false, reason: 'late minutes', ...dbRange(range) },
      { dry_run: true, ...dbRange(range) },
    ]);
    const missing = await act('REPSYM', '1h', 'repair', { dryRun: true, from: range.from });
    expect([missing.status, missing.body.error.message]).toEqual([400, 'repair needs from and to (ISO times)']);
  });
});

/** The range as jsonb writes a timestamptz under SET timezone = 'UTC'. */
function dbRange(range: { from: string; to: string }) {
  const text = (iso: string) => iso.replace('.000Z', '+00:00');
  return { from: text(range.from), to: text(range.to) };
}

describe('who may write', () => {
  test('a cross-site request is refused with 403 before anything runs (Sec-Fetch-Site, else Origin)', async () => {
    const state = await checksum(db, 'data_agg_state');
    for (const headers of [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'same-site' },
      { origin: 'https://evil.example' },
    ]) {
      const { status, body } = await act('NZDUSD', '5m', 'reset', { dryRun: false, reason: 'x' }, headers);
      expect([status, body.error]).toEqual([403, { code: 'cross_site', message: 'cross-site writes are refused' }]);
    }
    expect(await checksum(db, 'data_agg_state')).toBe(state);
    expect(await newRows()).toEqual([]);
  });

  describe('roles, as AUTH_MODE basic with a users file of one viewer, one operator and one admin', () => {
    const password = 'roles-test-password';
    const users = { vera: 'viewer', otto: 'operator', ada: 'admin' } as const;
    const asUser = (user?: keyof typeof users): Record<string, string> =>
      user ? { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` } : {};
    // Every action, the destructive ones as dry runs; disable before enable so the pair ends enabled.
    const hour = Math.floor(Date.now() / (60 * MINUTE)) * 60 * MINUTE;
    const range = { from: new Date(hour - 3 * 60 * MINUTE).toISOString(), to: new Date(hour).toISOString() };
    const ACTIONS: [string, string, string, Record<string, unknown>][] = [
      ['EURUSD', '5m', 'retry', {}],
      ['EURUSD', '5m', 'disable', {}],
      ['EURUSD', '5m', 'enable', {}],
      ['USDCAD', '5m', 'bootstrap', { dryRun: true }],
      ['NZDUSD', '5m', 'reset', { dryRun: true }],
      ['REPSYM', '1h', 'repair', { dryRun: true, ...range }],
    ];
    const OPERATOR_ACTIONS = ['retry', 'disable', 'enable'];

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

    test('401 without identity, or with a wrong password, on every action; nothing written', async () => {
      const state = await checksum(db, 'data_agg_state');
      for (const [symbol, timeframe, action, body] of ACTIONS) {
        const anonymous = await act(symbol, timeframe, action, body);
        expect([action, anonymous.status, anonymous.body.error?.code]).toEqual([action, 401, 'unauthorized']);
        const wrong = { authorization: `Basic ${Buffer.from('ada:not-the-password').toString('base64')}` };
        expect((await act(symbol, timeframe, action, body, wrong)).status).toBe(401);
      }
      expect(await checksum(db, 'data_agg_state')).toBe(state);
      expect(await newRows()).toEqual([]);
    });

    test('403 for a viewer on every action; nothing written', async () => {
      for (const [symbol, timeframe, action, body] of ACTIONS) {
        const { status, body: answer } = await act(symbol, timeframe, action, body, asUser('vera'));
        expect([action, status, answer.error?.code]).toEqual([action, 403, 'forbidden']);
      }
      expect(await newRows()).toEqual([]);
    });

    test('an operator: 200 for retry, disable and enable, 403 for bootstrap, reset and repair', async () => {
      for (const [symbol, timeframe, action, body] of ACTIONS) {
        const { status } = await act(symbol, timeframe, action, body, asUser('otto'));
        expect([action, status]).toEqual([action, OPERATOR_ACTIONS.includes(action) ? 200 : 403]);
      }
      expect((await newRows()).map((row) => [row.actor, row.role, row.action, row.ok])).toEqual(
        OPERATOR_ACTIONS.map((action) => ['otto', 'operator', action, true]),
      );
    });

    test('an admin may run all six; each writes its audit row naming the actor and the role', async () => {
      const statuses: [string, number][] = [];
      for (const [symbol, timeframe, action, body] of ACTIONS) {
        statuses.push([action, (await act(symbol, timeframe, action, body, asUser('ada'))).status]);
      }
      expect(statuses).toEqual(ACTIONS.map(([, , action]) => [action, 200]));
      expect((await newRows()).map((row) => [row.actor, row.role, row.action])).toEqual(
        ACTIONS.map(([, , action]) => ['ada', 'admin', action]),
      );
    });
  });

  test('with no writable connection: the status says why and an action answers 503, writing nothing', async () => {
    const readOnly = new URL(db.url);
    readOnly.searchParams.set('options', '-c default_transaction_read_only=on');
    await pointActionsAt(db, readOnly.toString());
    try {
      const { actionsStatus } = await import('../../lib/actions/write-pool');
      expect(await actionsStatus()).toEqual({
        writable: false,
        reason: 'the database connection is read-only: set DATABASE_WRITE_URL to the write role (db/roles/actions.sql)',
      });
      const { status, body } = await act('AUDUSD', '5m', 'retry');
      expect(status).toBe(503);
      expect(body.error.code).toBe('actions_unavailable');
      expect(await newRows()).toEqual([]);
    } finally {
      await pointActionsAt(db, writeUrl);
    }
  });
});
