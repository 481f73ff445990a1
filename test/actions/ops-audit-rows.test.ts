// `npm run ops` commands that write leave their row in the audit log with source 'ops',
// done or failed; the ones that only read leave none.
import pg from 'pg';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { parseOpsArgs, runOpsCommand } from '../../lib/ops/commands';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';
import { seedEveryState } from '../api/fixture';
import { auditRows } from './support';

let db: TestDatabase;
let client: pg.Client;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedEveryState(db);
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  process.env.FRONTIER_OPS_ACTOR = 'alice';
});

afterAll(async () => {
  delete process.env.FRONTIER_OPS_ACTOR;
  await client.end();
  await db.drop();
});

const run = (...argv: string[]) => runOpsCommand(client, parseOpsArgs(argv), () => {});

test('reset, retry, enable and disable each write one ops row; health writes none', async () => {
  await run('health', 'EURUSD');
  expect(await auditRows(db)).toEqual([]);

  const dry = await run('reset', '--dry-run', 'NZDUSD', '5m');
  const applied = await run('reset', '--apply', 'NZDUSD', '5m');
  await run('retry', '--symbol', 'AUDUSD');
  await run('enable', 'BTCUSD', '5m');
  const rows = await auditRows(db);
  expect(
    rows.map(({ actor, role, source, action, target, args, ok }) => ({
      actor,
      role,
      source,
      action,
      target,
      args,
      ok,
    })),
  ).toEqual([
    {
      actor: 'alice',
      role: 'admin',
      source: 'ops',
      action: 'reset',
      target: 'NZDUSD/5m',
      args: { dry_run: true },
      ok: true,
    },
    {
      actor: 'alice',
      role: 'admin',
      source: 'ops',
      action: 'reset',
      target: 'NZDUSD/5m',
      args: { dry_run: false },
      ok: true,
    },
    { actor: 'alice', role: 'admin', source: 'ops', action: 'retry', target: 'AUDUSD/*', args: {}, ok: true },
    { actor: 'alice', role: 'admin', source: 'ops', action: 'enable', target: 'BTCUSD/5m', args: {}, ok: true },
  ]);
  // The row holds what the command printed.
  expect(rows[0]!.result).toEqual({ output: dry });
  expect(rows[1]!.result).toEqual({ output: applied });
});

test('a command that fails leaves a row with ok = false and the error', async () => {
  const before = (await auditRows(db)).length;
  expect(await errorOf(run('reset', '--apply', 'NOPE', '5m'))).toBe(
    'reset_aggregation_cursor: no pair NOPE/5m in data_agg_state (p_symbol, p_to_tf)',
  );
  const rows = (await auditRows(db)).slice(before);
  expect(rows).toEqual([
    expect.objectContaining({
      source: 'ops',
      action: 'reset',
      target: 'NOPE/5m',
      ok: false,
      result: {
        error: 'reset_aggregation_cursor: no pair NOPE/5m in data_agg_state (p_symbol, p_to_tf)',
        sqlstate: 'P0002',
      },
    }),
  ]);
});
