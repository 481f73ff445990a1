// Owners (sql/020, sql/definitions/owners.sql): owner_team resolves a symbol as health policies
// resolve (an exact symbol beats a pattern, the most literal pattern wins, then byte order), and
// owner_set / owner_remove write one audit row each and refuse bad arguments naming them.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';

let db: TestDatabase;

const set = (match: string, pattern: string, team: string | null, actor = 'alice') =>
  db.one<{ r: Record<string, unknown> }>(`SELECT owner_set($1, 'admin', 'ops', $2, $3, $4, 'test') AS r`, [
    actor, match, pattern, team]);
const teamOf = async (symbol: string) =>
  (await db.one<{ team: string | null }>('SELECT owner_team($1) AS team', [symbol])).team;

beforeAll(async () => {
  db = await createTestDatabase();
  await set('like', 'ALT%', 'crypto');      // 3 literal characters
  await set('like', 'ALTB%', 'btc-desk');   // 4 literal characters
  await set('exact', 'ALTBTC', 'fx');       // exact beats every pattern
  await set('like', 'ES__', 'futures');     // _ is a wildcard: 2 literal characters
  await set('like', '%', 'everyone');       // 0 literal characters
  await set('like', 'E%', 'e-desk');        // 1 literal character, as is %D (below): byte order decides
  await set('like', '%D', 'd-desk');
});
afterAll(async () => { await db?.drop(); });

describe('which team owns a symbol', () => {
  test.each([
    ['ALTBTC', 'fx', 'an exact symbol beats every pattern'],
    ['ALTBNB', 'btc-desk', 'ALTB% (4 literal) beats ALT% (3)'],
    ['ALTETH', 'crypto', 'ALT% (3 literal) beats %'],
    ['ESZ6', 'futures', 'ES__ (2 literal) beats E% (1) and %'],
    ['ESZ66', 'e-desk', 'ES__ matches four characters only'],
    ['EURUSD', 'd-desk', 'E% and %D tie on one literal character: %D is first in byte order'],
    ['AAPL', 'everyone', '% matches every symbol'],
  ])('%s → %s (%s)', async (symbol, team) => {
    expect(await teamOf(symbol)).toBe(team);
  });

  test('no row matches: no team', async () => {
    await db.sql(`SELECT owner_remove('alice', 'admin', 'ops', 'like', '%')`);
    expect(await teamOf('AAPL')).toBeNull();
    await set('like', '%', 'everyone');
  });
});

describe('writing owners', () => {
  test('owner_set replaces by symbol or pattern and writes one audit row per call', async () => {
    const created = await set('exact', 'USDJPY', 'fx');
    expect(created.r).toMatchObject({ match: 'exact', pattern: 'USDJPY', team: 'fx', created: true, previous_team: null });
    const changed = await set('exact', 'USDJPY', 'rates', 'bob');
    expect(changed.r).toMatchObject({ team: 'rates', created: false, previous_team: 'fx', updated_by: 'bob' });
    expect(await teamOf('USDJPY')).toBe('rates');
    const audit = await db.sql(`SELECT actor, role, source, action, ok, args FROM operator_actions
      WHERE target = 'owner:exact:USDJPY' ORDER BY id`);
    expect(audit).toEqual([
      { actor: 'alice', role: 'admin', source: 'ops', action: 'owner.set', ok: true,
        args: { match: 'exact', pattern: 'USDJPY', team: 'fx', note: 'test' } },
      { actor: 'bob', role: 'admin', source: 'ops', action: 'owner.set', ok: true,
        args: { match: 'exact', pattern: 'USDJPY', team: 'rates', note: 'test' } },
    ]);

    const removed = await db.one<{ r: Record<string, unknown> }>(
      `SELECT owner_remove('carol', 'operator', 'api', 'exact', 'USDJPY') AS r`);
    expect(removed.r).toMatchObject({ pattern: 'USDJPY', team: 'rates' });
    expect(await teamOf('USDJPY')).toBe('everyone');
    expect(await db.one(`SELECT action, actor, role, source FROM operator_actions WHERE target = 'owner:exact:USDJPY'
      ORDER BY id DESC LIMIT 1`)).toEqual({ action: 'owner.remove', actor: 'carol', role: 'operator', source: 'api' });
  });

  test.each([
    [['regex', 'X', 'fx'], "owner_set: p_match must be exact or like, got 'regex'"],
    [['exact', '', 'fx'], 'owner_set: p_pattern must be a symbol or a LIKE pattern'],
    [['exact', 'X', 'FX Desk'], "owner_set: p_team must be a name of lower-case letters, digits, - and _, got 'FX Desk'"],
    [['exact', 'X', null], 'owner_set: p_team must be a name of lower-case letters, digits, - and _, got NULL'],
  ] as const)('owner_set refuses %j', async ([match, pattern, team], message) => {
    expect(await errorOf(set(match, pattern, team))).toBe(message);
  });

  test('owner_remove names the known rows when there is none to remove', async () => {
    expect(await errorOf(db.sql(`SELECT owner_remove('a', 'admin', 'ops', 'exact', 'NOPE')`))).toBe(
      "owner_remove: no owner for exact p_pattern='NOPE' (known: exact ALTBTC, like %, like %D, like ALT%, like ALTB%, like E%, like ES__)");
  });
});
