// npm run ops -- policy …: parsing, set/list/remove with their audit rows, and check saying
// which policy applies to a pair and why the others lost, against a real database.
import { describe, expect, it } from 'vitest';
import { parseOpsArgs } from '../../lib/ops/commands';
import { opsActor } from '../../lib/ops/policy-commands';
import { errorOf } from '../support/database';
import { usageErrorOf, useOpsDatabase } from './support';

describe('policy arguments', () => {
  it('parses set with a pattern, a timeframe and thresholds', () => {
    expect(
      parseOpsArgs([
        'policy',
        'set',
        'illiquid',
        '--like',
        'ALT%',
        '--stall-minutes',
        '120',
        '--min-bars-per-run',
        '0.5',
        '--timeframe',
        '1h',
      ]),
    ).toEqual({
      kind: 'policy',
      action: 'set',
      policy: 'illiquid',
      match: 'like',
      pattern: 'ALT%',
      timeframe: '1h',
      note: '',
      thresholds: { stallMinutes: 120, lagBars: null, sourceStaleMinutes: null, minBarsPerRun: 0.5 },
    });
    expect(parseOpsArgs(['policy', 'check', 'ALTBTC', '5m'])).toEqual({
      kind: 'policy',
      action: 'check',
      symbol: 'ALTBTC',
      timeframe: '5m',
    });
  });

  it.each([
    [['policy'], 'policy needs list, set, remove or check'],
    [
      ['policy', 'set', 'Illiquid', 'X', '--lag-bars', '2'],
      'not a policy name: "Illiquid" (lower-case letters, digits, - and _; "default" is the environment\'s)',
    ],
    [
      ['policy', 'set', 'default', 'X', '--lag-bars', '2'],
      'not a policy name: "default" (lower-case letters, digits, - and _; "default" is the environment\'s)',
    ],
    [
      ['policy', 'set', 'p', 'X'],
      'policy set p sets no threshold: give at least one of --stall-minutes, --lag-bars, --source-stale-minutes, --min-bars-per-run',
    ],
    [['policy', 'set', 'p', 'X', '--stall-minutes', '0'], '--stall-minutes must be greater than 0 (got 0)'],
    [['policy', 'set', 'p', 'X', '--lag-bars', '2.5'], '--lag-bars needs a whole number (got "2.5")'],
    [['policy', 'set', 'p', 'X', '--stall-minutes'], '--stall-minutes needs a whole number (got "")'],
    [
      ['policy', 'set', 'p', '--like', 'ALT', '--lag-bars', '2'],
      'pattern "ALT" has no % or _: assign it as an exact SYMBOL',
    ],
    [['policy', 'set', 'p', 'X', '--lag-bars', '2', '--colour', 'red'], 'unknown option: "--colour"'],
    [['policy', 'check', 'ALTBTC'], 'not a timeframe: ""'],
    [['policy', 'remove'], 'missing NAME (the policy, e.g. illiquid)'],
  ])('%j → %s', (argv, message) => {
    expect(usageErrorOf(argv)).toBe(message);
  });
});

describe('policy commands', () => {
  const ops = useOpsDatabase(
    `INSERT INTO data_agg_state (canonical_symbol, timeframe)
      SELECT s, tf FROM unnest(ARRAY['ALTBTC', 'ALTETH', 'EURUSD']) s CROSS JOIN unnest(ARRAY['5m', '1d']) tf`,
  );
  const run = ops.run;

  it('sets, lists, checks and removes, each write with its audit row', async () => {
    expect(await run('policy', 'list')).toEqual([
      'no health policies: every pair follows the default (HEALTH_* settings)',
    ]);
    expect(
      await run('policy', 'set', 'crypto', '--like', 'ALT%', '--stall-minutes', '120', '--source-stale-minutes', '240'),
    ).toEqual([
      "created policy crypto: symbols like 'ALT%' on every timeframe, stalled after 120 min, source stale after 240 min",
    ]);
    expect(
      await run('policy', 'set', 'crypto-daily', '--like', 'ALT%', '--timeframe', '1d', '--stall-minutes', '1500'),
    ).toEqual(["created policy crypto-daily: symbols like 'ALT%' on 1d, stalled after 1500 min"]);
    expect(await run('policy', 'set', 'altbtc', 'ALTBTC', '--lag-bars', '1')).toEqual([
      'created policy altbtc: ALTBTC on every timeframe, lagging over 1 bar',
    ]);

    expect(await run('policy', 'check', 'ALTBTC', '1d')).toEqual([
      'ALTBTC/1d: policy altbtc (exact name ALTBTC, any timeframe) — stalled after 60 min (default), lagging over 1 bar, source stale after 15 min (default), inefficient under 0.01 bars per run (default)',
      "  also matches: crypto-daily (pattern 'ALT%', 1d), not used: an exact name beats a pattern",
      "  also matches: crypto (pattern 'ALT%', any timeframe), not used: an exact name beats a pattern",
    ]);
    expect(await run('policy', 'check', 'ALTETH', '1d')).toEqual([
      "ALTETH/1d: policy crypto-daily (pattern 'ALT%', 1d) — stalled after 1500 min, lagging over 3 bars (default), source stale after 15 min (default), inefficient under 0.01 bars per run (default)",
      "  also matches: crypto (pattern 'ALT%', any timeframe), not used: a timeframe-specific policy beats any timeframe",
    ]);
    expect(await run('policy', 'check', 'EURUSD', '5m')).toEqual([
      'EURUSD/5m: policy default (no policy matches) — stalled after 60 min, lagging over 3 bars, source stale after 15 min, inefficient under 0.01 bars per run',
    ]);

    const list = await run('policy', 'list');
    expect(list[0]).toMatch(
      /^policy\s+match\s+symbol\/pattern\s+tf\s+stall min\s+lag bars\s+src stale min\s+min bars\/run\s+pairs\s+note$/,
    );
    expect(list.slice(2).map((line) => line.replace(/\s+/g, ' '))).toEqual([
      'altbtc exact ALTBTC any - 1 - - 2',
      'crypto like ALT% any 120 - 240 - 1',
      'crypto-daily like ALT% 1d 1500 - - - 1',
    ]);

    expect(await run('policy', 'set', 'crypto', '--like', 'ALT%', '--stall-minutes', '90')).toEqual([
      "replaced policy crypto: symbols like 'ALT%' on every timeframe, stalled after 90 min",
    ]);
    expect(await run('policy', 'remove', 'altbtc')).toEqual(['removed policy altbtc']);
    expect((await run('policy', 'check', 'ALTBTC', '5m'))[0]).toMatch(
      /^ALTBTC\/5m: policy crypto \(pattern 'ALT%', any timeframe\) — stalled after 90 min,/,
    );
    expect(await errorOf(run('policy', 'remove', 'altbtc'))).toBe(
      "policy_remove: no policy p_policy='altbtc' (known: crypto, crypto-daily)",
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
      'policy.set policy:crypto',
      'policy.set policy:crypto-daily',
      'policy.set policy:altbtc',
      'policy.set policy:crypto',
      'policy.remove policy:altbtc',
    ]);
    expect(
      audit.every((row) => row.actor === opsActor() && row.role === 'admin' && row.source === 'ops' && row.ok),
    ).toBe(true);
  });
});
