import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpsArgs, runOpsCommand } from '../../lib/ops/commands';
import { OpsFailure } from '../../lib/ops/errors';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { floorMinute, MINUTE, ROOT, usageErrorOf } from './support';

describe('operator commands', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    const now = floorMinute(Date.now());
    await insertBars(
      db.pool,
      randomWalkBars('OPSX', minutesBetween(new Date(now - 120 * MINUTE), new Date(now - 2 * MINUTE)), 9),
    );
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('parses arguments and refuses bad ones with a clear message', () => {
    expect(parseOpsArgs(['register', 'EURUSD', '5m,1h'])).toEqual({
      kind: 'register',
      symbol: 'EURUSD',
      timeframes: ['5m', '1h'],
    });
    expect(parseOpsArgs(['disable', 'ESZ6', 'all'])).toEqual({ kind: 'disable', symbol: 'ESZ6', timeframes: 'all' });
    expect(parseOpsArgs(['reset', '--dry-run'])).toEqual({ kind: 'reset', dryRun: true });
    expect(usageErrorOf([])).toBe('missing command');
    expect(usageErrorOf(['frobnicate'])).toBe('unknown command: "frobnicate"');
    expect(usageErrorOf(['reset'])).toBe('reset needs --dry-run (look) or --apply (do it)');
    expect(parseOpsArgs(['reset', '--apply', 'NVDA', '1h'])).toEqual({
      kind: 'reset',
      dryRun: false,
      pair: { symbol: 'NVDA', timeframe: '1h' },
    });
    expect(usageErrorOf(['reset', '--apply', 'NVDA'])).toBe(
      'reset SYMBOL needs its TF too (one pair: reset --dry-run SYMBOL TF)',
    );
    expect(usageErrorOf(['reset', '--apply', 'NVDA', '1h,4h'])).toBe(
      'reset takes one pair: one timeframe, not "1h,4h"',
    );
    expect(usageErrorOf(['health'])).toBe('missing SYMBOL');
    expect(usageErrorOf(['register', 'EURUSD'])).toMatch(/^missing TF/);
    // Syntax is checked here (lib/shared/pair-key.ts); whether 5x exists is agg_timeframes' to say.
    expect(usageErrorOf(['register', 'EURUSD', '5-m'])).toBe('not a timeframe: "5-m"');
    // The API's symbol rules (lib/shared/pair-key.ts): any text the pipeline may hold, but not blank or with control characters.
    expect(usageErrorOf(['enable', '  ', '5m'])).toBe('not a symbol: "  " (symbol must not be blank)');
    expect(usageErrorOf(['enable', 'EUR\nUSD', '5m'])).toMatch(/^not a symbol: .*control characters/);
    expect(usageErrorOf(['health', 'EURUSD', 'extra'])).toBe('unexpected argument: "extra"');
  });

  it('registers and bootstraps, shows health, resets, and enables/disables', async () => {
    await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe) VALUES ('OPSX', '5m')`);
    const registered = await runOpsCommand(client, { kind: 'register', symbol: 'OPSX', timeframes: ['5m', '1h'] });
    expect(registered[0]).toMatch(
      /^bootstrapped OPSX\/5m \(cursor was NULL\), cursor now \d{4}-\d\d-\d\d \d\d:\d\d:00Z$/,
    );
    expect(registered[1]).toMatch(/^registered OPSX\/1h, cursor bootstrapped to /);
    expect(await runOpsCommand(client, { kind: 'register', symbol: 'OPSX', timeframes: ['1h'] })).toEqual([
      expect.stringMatching(/^OPSX\/1h was already registered; cursor left at /),
    ]);
    await expect(runOpsCommand(client, { kind: 'register', symbol: 'OPSX', timeframes: ['7m'] })).rejects.toThrow(
      new OpsFailure('unknown timeframe 7m (known: 5m, 15m, 30m, 1h, 4h, 1d)'),
    );

    const healthLines = await runOpsCommand(client, { kind: 'health', symbol: 'OPSX' });
    expect(healthLines[0]).toBe('health of OPSX (v_aggregation_frontier_health):');
    expect(healthLines[1]).toMatch(/^tf\s+on\s+status\s+cursor\s+source frontier\s+behind/);
    expect(healthLines.slice(3).map((line) => line.split(/\s+/).slice(0, 3))).toEqual([
      ['5m', 'yes', 'OK'],
      ['1h', 'yes', 'OK'],
    ]);
    await expect(runOpsCommand(client, { kind: 'health', symbol: 'NOPE' })).rejects.toThrow(
      /no pairs registered for NOPE/,
    );

    // An AHEAD cursor: the dry run lists it and writes nothing; the reset moves it and says so.
    await db.sql(
      `UPDATE data_agg_state SET last_agg_bar_ts_utc = last_agg_bar_ts_utc + interval '3 days' WHERE timeframe = '1h'`,
    );
    // One pair's reset: the other pair (5m, in range) is not named, and the AHEAD one stays for the global reset below.
    const onePair = await runOpsCommand(client, {
      kind: 'reset',
      dryRun: true,
      pair: { symbol: 'OPSX', timeframe: '5m' },
    });
    expect(onePair).toContain('(OPSX/5m is neither NULL nor AHEAD: nothing to reset)');
    expect(onePair).toContain('NOTICE: Dry run: 0 cursor(s) would be reset; nothing was written');
    const dry = await runOpsCommand(client, { kind: 'reset', dryRun: true });
    expect(dry[0]).toBe('reset dry run: these cursors would move (nothing written):');
    expect(dry[3]).toMatch(/^OPSX\s+1h\s+\S+ \S+\s+\S+ \S+\s+ahead_of_source$/);
    expect(dry.at(-2)).toBe('NOTICE: Dry run: 1 cursor(s) would be reset; nothing was written');
    expect(dry.at(-1)).toMatch(
      /^NOTICE: Dry run: \d+ bar\(s\) in bars_agg lie past the new cursors; they would be kept/,
    );
    const applied = await runOpsCommand(client, { kind: 'reset', dryRun: false });
    expect(applied[0]).toBe('reset applied: cursors moved:');
    expect(applied.at(-1)).toBe('NOTICE: Post-reset validation: All cursors within valid range');
    expect(await runOpsCommand(client, { kind: 'reset', dryRun: true })).toContain(
      '(no NULL or AHEAD cursor: nothing to reset)',
    );

    expect(await runOpsCommand(client, { kind: 'disable', symbol: 'OPSX', timeframes: ['5m'] })).toEqual([
      'disabled OPSX/5m',
    ]);
    const enabled = await runOpsCommand(client, { kind: 'enable', symbol: 'OPSX', timeframes: 'all' });
    expect(enabled.sort()).toEqual(['OPSX/1h was already enabled', 'enabled OPSX/5m'].sort());
    const [state] = await db.sql<{ n: number }>(`SELECT count(*)::int AS n FROM data_agg_state WHERE enabled`);
    expect(state!.n).toBe(2);
  });

  it('as a command: exit 2 with the usage on bad arguments, 0 and readable rows on success', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ops.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: db.url },
        encoding: 'utf8',
        timeout: 30_000,
      });
    const bad = run(['reset']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('ops: reset needs --dry-run (look) or --apply (do it)');
    expect(bad.stderr).toContain('usage: npm run ops -- <command>');
    const good = run(['health', 'OPSX']);
    expect(good.status).toBe(0);
    expect(good.stdout).toContain('(DATABASE_URL)');
    expect(good.stdout).not.toContain(':postgres@'); // the password is redacted
    expect(good.stdout).toMatch(/\n5m\s+yes\s+OK\s/);
  });
});
