// Health policies (sql/019, sql/definitions/health_policies.sql): resolution as calendars
// resolve (exact beats pattern, the most literal pattern wins, timeframe-specific beats any),
// the view's appended columns agreeing with health_policy_candidates, the write functions'
// audit rows and their refusals, and the seed's three queries still running verbatim.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';

let db: TestDatabase;

const set = (policy: string, match: string, pattern: string, timeframe: string | null, stall: number | null, stale: number | null = null) =>
  db.one<{ r: Record<string, unknown> }>(
    `SELECT policy_set('alice', 'admin', 'ops', $1, $2, $3, $4, $5, NULL, $6, NULL, 'test') AS r`,
    [policy, match, pattern, timeframe, stall, stale]);

beforeAll(async () => {
  db = await createTestDatabase();
  await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc)
    SELECT s, tf, NULL FROM unnest(ARRAY['EURUSD', 'ALTBTC', 'ALTETH', 'ESZ6', 'ESH7', 'AAPL']) s
    CROSS JOIN unnest(ARRAY['5m', '1h', '1d']) tf`);
  await set('crypto', 'like', 'ALT%', null, 120, 240);        // 3 literal characters, any timeframe
  await set('altbtc-pattern', 'like', 'ALTB%', null, 180);    // 4 literal characters
  await set('altbtc', 'exact', 'ALTBTC', null, 200);          // exact beats every pattern
  await set('crypto-daily', 'like', 'ALT%', '1d', 1440);      // same pattern, timeframe-specific
  await set('futures', 'like', 'ES__', null, 90);             // _ is a wildcard: 2 literal characters
  await set('everything-daily', 'like', '%', '1d', 2000);      // 0 literal characters
});
afterAll(async () => { await db?.drop(); });

interface Resolved { canonical_symbol: string; timeframe: string; health_policy: string | null; policy_stall_minutes: number | null }

describe('which policy applies to a pair', () => {
  test.each([
    // [symbol, timeframe, policy, stall minutes, why]
    ['ALTBTC', '5m', 'altbtc', 200, 'an exact name beats every pattern'],
    ['ALTBTC', '1d', 'altbtc', 200, 'an exact any-timeframe name beats a timeframe-specific pattern'],
    ['ALTETH', '5m', 'crypto', 120, 'the one pattern that matches'],
    ['ALTETH', '1d', 'crypto-daily', 1440, 'same pattern: timeframe-specific beats any timeframe'],
    ['ESZ6', '1h', 'futures', 90, '_ matches one character'],
    ['ESZ6', '1d', 'futures', 90, 'ES__ (2 literal) beats % on 1d (0 literal)'],
    ['AAPL', '1d', 'everything-daily', 2000, '% matches every symbol, on 1d only'],
    ['AAPL', '5m', null, null, 'no policy: the default'],
    ['EURUSD', '1h', null, null, 'no policy: the default'],
  ])('%s %s → %s (%s)', async (...[symbol, timeframe, policy, stall]: [string, string, string | null, number | null, string]) => {
    const view = await db.one<Resolved>(
      `SELECT canonical_symbol, timeframe, health_policy, policy_stall_minutes FROM v_aggregation_frontier_health
        WHERE canonical_symbol = $1 AND timeframe = $2`, [symbol, timeframe]);
    expect(view).toMatchObject({ health_policy: policy, policy_stall_minutes: stall });
    const candidates = await db.sql<{ rank: number; policy: string }>(
      'SELECT rank, policy FROM health_policy_candidates($1, $2)', [symbol, timeframe]);
    expect(candidates[0]?.policy ?? null).toBe(policy);
    expect(candidates.map((c) => c.rank)).toEqual(candidates.map((_, i) => i + 1));
  });

  test('ALTBTC on 1d: every matching policy, in the order that decides', async () => {
    const rows = await db.sql<{ policy: string; matched_by: string }>(
      'SELECT policy, matched_by FROM health_policy_candidates($1, $2)', ['ALTBTC', '1d']);
    expect(rows.map((r) => r.policy)).toEqual(['altbtc', 'altbtc-pattern', 'crypto-daily', 'crypto', 'everything-daily']);
  });

  test('the view and health_policy_candidates agree on every pair', async () => {
    const disagree = await db.sql(`
      SELECT v.canonical_symbol, v.timeframe, v.health_policy, c.policy
        FROM v_aggregation_frontier_health v
        LEFT JOIN LATERAL (SELECT policy FROM health_policy_candidates(v.canonical_symbol, v.timeframe) WHERE rank = 1) c ON true
       WHERE v.health_policy IS DISTINCT FROM c.policy`);
    expect(disagree).toEqual([]);
  });

  test("the seed's three queries run verbatim, and the policy columns are appended after bars_per_run", async () => {
    for (const where of [`cursor_status = 'AHEAD'`, 'minutes_since_success > 60', 'bars_per_run < 0.01']) {
      await db.sql(`SELECT * FROM v_aggregation_frontier_health WHERE ${where}`);
    }
    const columns = await db.sql<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'v_aggregation_frontier_health' ORDER BY ordinal_position`);
    expect(columns.map((c) => c.column_name).slice(-6)).toEqual([
      'bars_per_run', 'health_policy', 'policy_stall_minutes', 'policy_lag_bars', 'policy_source_stale_minutes', 'policy_min_bars_per_run']);
  });
});

describe('writing policies', () => {
  test('policy_set replaces by name and writes one audit row per call', async () => {
    const before = await db.one<{ n: number }>(`SELECT count(*)::int AS n FROM operator_actions WHERE target = 'policy:quiet'`);
    expect(before.n).toBe(0);
    const created = await set('quiet', 'exact', 'EURUSD', '5m', 30);
    expect(created.r).toMatchObject({ policy: 'quiet', created: true, stall_minutes: 30, lag_bars: null });
    const changed = await set('quiet', 'exact', 'EURUSD', '5m', 45);
    expect(changed.r).toMatchObject({ created: false, stall_minutes: 45 });
    const audit = await db.sql<{ actor: string; role: string; source: string; action: string; ok: boolean; args: Record<string, unknown> }>(
      `SELECT actor, role, source, action, ok, args FROM operator_actions WHERE target = 'policy:quiet' ORDER BY id`);
    expect(audit).toMatchObject([
      { actor: 'alice', role: 'admin', source: 'ops', action: 'policy.set', ok: true, args: { stall_minutes: 30, pattern: 'EURUSD' } },
      { action: 'policy.set', args: { stall_minutes: 45 } },
    ]);
    expect((await db.one<Resolved>(`SELECT health_policy, policy_stall_minutes FROM v_aggregation_frontier_health
      WHERE canonical_symbol = 'EURUSD' AND timeframe = '5m'`))).toMatchObject({ health_policy: 'quiet', policy_stall_minutes: 45 });

    const removed = await db.one<{ r: Record<string, unknown> }>(`SELECT policy_remove('bob', 'admin', 'ops', 'quiet') AS r`);
    expect(removed.r).toMatchObject({ policy: 'quiet', stall_minutes: 45 });
    expect(await db.one(`SELECT action, actor FROM operator_actions WHERE target = 'policy:quiet' ORDER BY id DESC LIMIT 1`))
      .toEqual({ action: 'policy.remove', actor: 'bob' });
  });

  test.each([
    [['Bad Name', 'exact', 'X', null, 10], 'policy_set: p_policy must be a name of lower-case letters'],
    [['default', 'exact', 'X', null, 10], 'not "default"'],
    [['p', 'regex', 'X', null, 10], 'policy_set: p_match must be exact or like, got \'regex\''],
    [['p', 'exact', '', null, 10], 'policy_set: p_pattern must be a symbol or a LIKE pattern'],
    [['p', 'exact', 'X', '2m', 10], "policy_set: unknown timeframe p_timeframe='2m' (known: 5m, 15m, 30m, 1h, 4h, 1d; NULL for any)"],
    [['p', 'exact', 'X', null, 0], 'policy_set: thresholds must be positive (p_stall_minutes=0'],
    [['p', 'like', 'ALT%', null, 10], "policy_set: policy crypto already covers like 'ALT%' on any timeframe"],
  ] as const)('policy_set refuses %j', async (args, message) => {
    expect(await errorOf(set(...(args as unknown as Parameters<typeof set>)))).toContain(message);
  });

  test('policy_remove names the known policies when the name is unknown; candidates check their arguments', async () => {
    expect(await errorOf(db.sql(`SELECT policy_remove('a', 'admin', 'ops', 'nope')`)))
      .toBe("policy_remove: no policy p_policy='nope' (known: altbtc, altbtc-pattern, crypto, crypto-daily, everything-daily, futures)");
    expect(await errorOf(db.sql(`SELECT * FROM health_policy_candidates('X', '7m')`)))
      .toBe("health_policy_candidates: unknown timeframe p_timeframe='7m' (known: 5m, 15m, 30m, 1h, 4h, 1d)");
    expect(await errorOf(db.sql(`SELECT * FROM health_policy_candidates('', '5m')`)))
      .toBe('health_policy_candidates: p_symbol must be a non-empty symbol');
  });
});
