// npm run ops -- maintenance …: parsing, add/list/end against a real database, each write with
// its audit row (source ops), and the pairs a window covers.
import { describe, expect, it } from 'vitest';
import { parseOpsArgs } from '../../lib/ops/commands';
import { opsActor } from '../../lib/ops/policy-commands';
import { errorOf } from '../support/database';
import { usageErrorOf, useOpsDatabase } from './support';

describe('maintenance arguments', () => {
  it('parses add with a pattern, a timeframe and hours', () => {
    expect(
      parseOpsArgs([
        'maintenance',
        'add',
        '--like',
        'ES%',
        '--timeframe',
        '5m',
        '--hours',
        '2',
        '--reason',
        'CME upgrade',
      ]),
    ).toEqual({
      kind: 'maintenance',
      action: 'add',
      match: 'like',
      pattern: 'ES%',
      timeframe: '5m',
      from: null,
      until: null,
      hours: 2,
      reason: 'CME upgrade',
    });
    expect(
      parseOpsArgs(['maintenance', 'add', 'EURUSD', '--until', '2030-01-01T00:00+01:00', '--reason', 'x']),
    ).toMatchObject({
      match: 'exact',
      until: '2029-12-31T23:00:00.000Z',
    });
  });

  it.each([
    [['maintenance'], 'maintenance needs add, list or end'],
    [['maintenance', 'add', 'EURUSD', '--reason', 'x'], 'give one of --hours N and --until INSTANT'],
    [
      ['maintenance', 'add', 'EURUSD', '--hours', '1', '--until', '2030-01-01T00:00Z', '--reason', 'x'],
      'give one of --hours N and --until INSTANT',
    ],
    [['maintenance', 'add', 'EURUSD', '--hours', '1'], 'missing --reason TEXT (why the feed will be down)'],
    [
      ['maintenance', 'add', 'EURUSD', '--hours', '0', '--reason', 'x'],
      '--hours needs a number of hours, more than 0 and at most 744 (got "0")',
    ],
    [
      ['maintenance', 'add', 'EURUSD', '--until', 'tomorrow', '--reason', 'x'],
      '--until needs an instant: ISO 8601 with Z or an offset, e.g. 2026-12-25T21:00Z (got "tomorrow")',
    ],
    [['maintenance', 'end', 'x'], 'not a window id: "x"'],
    [['maintenance', 'list', '--old'], 'unexpected argument: "--old"'],
  ])('%j → %s', (argv, message) => {
    expect(usageErrorOf(argv)).toBe(message);
  });
});

describe('maintenance commands', () => {
  const ops = useOpsDatabase(
    `INSERT INTO data_agg_state (canonical_symbol, timeframe)
      SELECT s, tf FROM unnest(ARRAY['ESZ6', 'ESH7', 'EURUSD']) s CROSS JOIN unnest(ARRAY['5m', '1h']) tf`,
  );
  const run = ops.run;

  it('adds, lists and ends windows, each write with its audit row', async () => {
    expect(await run('maintenance', 'list')).toEqual(['no maintenance window is active or planned']);
    const added = await run(
      'maintenance',
      'add',
      '--like',
      'ES%',
      '--timeframe',
      '5m',
      '--hours',
      '2',
      '--reason',
      'CME upgrade',
    );
    expect(added[0]).toMatch(/^maintenance window 1: symbols like 'ES%', 5m, from \S+ \S+Z to \S+ \S+Z$/);
    expect(added[1]).toBe('2 registered pair(s) in it now; end it early with: npm run ops -- maintenance end 1');
    const later = await run(
      'maintenance',
      'add',
      'EURUSD',
      '--from',
      '2099-01-01T00:00Z',
      '--until',
      '2099-01-02T00:00Z',
      '--reason',
      'far',
    );
    expect(later).toEqual([
      'maintenance window 2: EURUSD, every timeframe, from 2099-01-01 00:00:00Z to 2099-01-02 00:00:00Z',
      '0 registered pair(s) in it now; end it early with: npm run ops -- maintenance end 2',
    ]);

    const list = (await run('maintenance', 'list')).slice(2).map((line) => line.replace(/\s+/g, ' ').trim());
    expect(list).toHaveLength(2);
    expect(list[0]).toMatch(/^2 exact EURUSD all 2099-01-01 00:00:00Z 2099-01-02 00:00:00Z upcoming 0 \S+ far$/);
    expect(list[1]).toMatch(/^1 like ES% 5m .* active 2 \S+ CME upgrade$/);

    expect((await run('maintenance', 'end', '1'))[0]).toMatch(/^maintenance window 1 ended at /);
    expect(await errorOf(run('maintenance', 'end', '1'))).toMatch(/^maintenance_end: window 1 already ended at /);
    expect(await errorOf(run('maintenance', 'end', '9'))).toBe('maintenance_end: no maintenance window p_id=9');
    expect((await run('maintenance', 'list')).slice(2)).toHaveLength(1);
    expect((await run('maintenance', 'list', '--all')).slice(2)).toHaveLength(2);

    const audit = await ops.db.sql<{ action: string; target: string; source: string; actor: string; role: string }>(
      'SELECT action, target, source, actor, role FROM operator_actions ORDER BY id',
    );
    expect(audit).toEqual([
      { action: 'maintenance.add', target: 'maintenance:1', source: 'ops', actor: opsActor(), role: 'admin' },
      { action: 'maintenance.add', target: 'maintenance:2', source: 'ops', actor: opsActor(), role: 'admin' },
      { action: 'maintenance.end', target: 'maintenance:1', source: 'ops', actor: opsActor(), role: 'admin' },
    ]);
  });
});
