// npm run ops -- owner …: parsing, and set/list/remove with their audit rows against a real
// database (the resolution itself is test/sql/owners.test.ts's).
import { describe, expect, it } from 'vitest';
import { parseOpsArgs } from '../../lib/ops/commands';
import { opsActor } from '../../lib/ops/policy-commands';
import { errorOf } from '../support/database';
import { usageErrorOf, useOpsDatabase } from './support';

describe('owner arguments', () => {
  it('parses set with a symbol or a pattern, remove and list', () => {
    expect(parseOpsArgs(['owner', 'set', '--like', 'USD%', 'fx', '--note', 'the FX desk'])).toEqual({
      kind: 'owner',
      action: 'set',
      match: 'like',
      pattern: 'USD%',
      team: 'fx',
      note: 'the FX desk',
    });
    expect(parseOpsArgs(['owner', 'set', 'ESZ6', 'futures'])).toEqual({
      kind: 'owner',
      action: 'set',
      match: 'exact',
      pattern: 'ESZ6',
      team: 'futures',
      note: '',
    });
    expect(parseOpsArgs(['owner', 'remove', '--like', 'USD%'])).toEqual({
      kind: 'owner',
      action: 'remove',
      match: 'like',
      pattern: 'USD%',
    });
    expect(parseOpsArgs(['owner', 'list'])).toEqual({ kind: 'owner', action: 'list' });
  });

  it.each([
    [['owner'], 'owner needs list, set or remove'],
    [['owner', 'give', 'X', 'fx'], 'unknown owner command: "give"'],
    [['owner', 'set'], 'missing SYMBOL (or --like PATTERN)'],
    [['owner', 'set', 'EURUSD'], 'missing TEAM (e.g. fx)'],
    [['owner', 'set', 'EURUSD', 'FX Desk'], 'not a team: "FX Desk" (lower-case letters, digits, - and _)'],
    [['owner', 'set', '--like', 'USD', 'fx'], 'pattern "USD" has no % or _: assign it as an exact SYMBOL'],
    [['owner', 'set', 'EURUSD', 'fx', 'rates'], 'unexpected argument: "rates"'],
    [['owner', 'set', 'EURUSD', 'fx', '--note'], '--note needs a text'],
    [['owner', 'remove', 'EURUSD', 'fx'], 'unexpected argument: "fx"'],
    [['owner', 'list', 'fx'], 'unexpected argument: "fx"'],
  ])('%j → %s', (argv, message) => {
    expect(usageErrorOf(argv)).toBe(message);
  });
});

describe('owner commands', () => {
  const ops = useOpsDatabase(
    `INSERT INTO data_agg_state (canonical_symbol, timeframe)
      SELECT s, tf FROM unnest(ARRAY['USDJPY', 'USDCHF', 'EURUSD', 'ESZ6']) s CROSS JOIN unnest(ARRAY['5m', '1d']) tf`,
  );
  const run = ops.run;

  it('sets, lists and removes, each write with its audit row', async () => {
    expect(await run('owner', 'list')).toEqual(['no owners: no pair belongs to a team']);
    expect(await run('owner', 'set', '--like', 'USD%', 'fx')).toEqual(["symbols like 'USD%': owned by fx"]);
    expect(await run('owner', 'set', 'USDJPY', 'rates', '--note', 'the yen book')).toEqual(['USDJPY: owned by rates']);
    expect(await run('owner', 'set', 'ESZ6', 'futures')).toEqual(['ESZ6: owned by futures']);
    expect(await run('owner', 'set', 'ESZ6', 'rates')).toEqual(['ESZ6: owned by rates (was futures)']);

    const list = await run('owner', 'list');
    expect(list[0]).toMatch(/^team\s+match\s+symbol\/pattern\s+pairs\s+note$/);
    // USD% matches USDJPY too, but USDJPY's exact row wins: fx owns USDCHF's two pairs only.
    expect(list.slice(2).map((line) => line.replace(/\s+/g, ' ').trim())).toEqual([
      'fx like USD% 2',
      'rates exact ESZ6 2',
      'rates exact USDJPY 2 the yen book',
    ]);

    expect(await run('owner', 'remove', 'USDJPY')).toEqual(['USDJPY: no longer owned here']);
    expect((await ops.client.query("SELECT owner_team('USDJPY') AS team")).rows).toEqual([{ team: 'fx' }]);
    expect(await errorOf(run('owner', 'remove', 'USDJPY'))).toBe(
      "owner_remove: no owner for exact p_pattern='USDJPY' (known: exact ESZ6, like USD%)",
    );

    const audit = await ops.db.sql<{
      actor: string;
      role: string;
      source: string;
      action: string;
      target: string;
      ok: boolean;
    }>('SELECT actor, role, source, action, target, ok FROM operator_actions ORDER BY id');
    expect(audit.map((row) => `${row.action} ${row.target}`)).toEqual([
      'owner.set owner:like:USD%',
      'owner.set owner:exact:USDJPY',
      'owner.set owner:exact:ESZ6',
      'owner.set owner:exact:ESZ6',
      'owner.remove owner:exact:USDJPY',
    ]);
    expect(
      audit.every((row) => row.actor === opsActor() && row.role === 'admin' && row.source === 'ops' && row.ok),
    ).toBe(true);
  });
});
