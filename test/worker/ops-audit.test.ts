// npm run ops -- audit: arguments, totals, progress, and the exit codes scripts rely on.
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpsArgs, runOpsCommand } from '../../lib/ops/commands';
import { OpsFailure } from '../../lib/ops/errors';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { floorMinute, MINUTE, ROOT, usageErrorOf } from './support';

describe('ops audit', () => {
  let db: TestDatabase;
  let client: pg.Client;
  const now = floorMinute(Date.now());
  const start = Math.floor((now - 5 * 60 * MINUTE) / (60 * MINUTE)) * 60 * MINUTE;
  beforeAll(async () => {
    db = await createTestDatabase();
    for (const symbol of ['AUDA', 'AUDB']) {
      await insertBars(db.pool, randomWalkBars(symbol, minutesBetween(new Date(start), new Date(now)), 4));
      for (const tf of ['5m', '1h']) {
        await db.sql('SELECT bootstrap_aggregation_cursor($1, $2)', [symbol, tf]);
        await db.sql('SELECT run_catchup($1, $2, 1000, 1)', [symbol, tf]);
      }
    }
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  it('parses its flags and refuses bad ones', () => {
    expect(parseOpsArgs(['audit'])).toEqual({ kind: 'audit', since: { days: 1 }, repair: false });
    expect(parseOpsArgs(['audit', '--symbol', 'EURUSD', '--timeframe', '1h', '--days', '30', '--repair'])).toEqual({
      kind: 'audit',
      symbol: 'EURUSD',
      timeframe: '1h',
      since: { days: 30 },
      repair: true,
    });
    expect(parseOpsArgs(['audit', '--since', '2026-04-01T00:00:00Z'])).toMatchObject({
      since: { iso: '2026-04-01T00:00:00Z' },
    });
    expect(usageErrorOf(['audit', '--days', '0'])).toBe('--days must be a positive number of days, got "0"');
    expect(usageErrorOf(['audit', '--days', '1', '--since', '2026-01-01'])).toBe(
      '--since and --days together: give one of --days N or --since ISO',
    );
    expect(usageErrorOf(['audit', '--since', 'yesterday'])).toMatch(/^--since must be an ISO date/);
    expect(usageErrorOf(['audit', '--symbol'])).toBe('--symbol needs a value');
    expect(usageErrorOf(['audit', '--timeframe', '5-m'])).toBe('not a timeframe: "5-m"');
    expect(usageErrorOf(['audit', '--fix'])).toBe('unexpected argument: "--fix"');
  });

  it('finds drift over many pairs (exit 3), repairs it (exit 0), then finds none', async () => {
    const ts = new Date(start + 60 * MINUTE);
    await db.sql(`UPDATE bars_agg SET close = close * 2 WHERE canonical_symbol = 'AUDA' AND ts_utc = $1`, [ts]);
    await db.sql(`DELETE FROM bars_agg WHERE canonical_symbol = 'AUDB' AND timeframe = '5m' AND ts_utc = $1`, [ts]);
    const progress: string[] = [];
    const failure = await runOpsCommand(client, { kind: 'audit', since: { days: 1 }, repair: false }, (line) =>
      progress.push(line),
    ).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toBeInstanceOf(OpsFailure);
    const drift = failure as OpsFailure;
    expect(drift.exitCode).toBe(3);
    expect(drift.message).toBe('3 window(s) differ and were not repaired: run again with --repair');
    expect(drift.output.at(-1)).toMatch(
      /^total: 4 pairs, \d+ windows checked, 1 missing, 2 drifted, 0 orphaned .* 0 repaired, 0 failed$/,
    );
    expect(progress.at(-1)).toBe('audit: 4/4 pairs, 1 missing, 2 drifted, 0 orphaned, 0 repaired');

    const repaired = await runOpsCommand(
      client,
      { kind: 'audit', symbol: 'AUDA', since: { days: 1 }, repair: true },
      () => {},
    );
    expect(repaired.at(-1)).toMatch(/^total: 2 pairs, .* 0 missing, 2 drifted, 0 orphaned .* 2 repaired, 0 failed$/);
    expect(repaired.slice(1, -1).join('\n')).toMatch(/AUDA\s+5m\s+\d+\s+0\s+1\s+0\s+1/);
  });

  it('the script exits 3 on unrepaired drift, 0 after --repair, 2 on bad arguments', () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/ops.ts', ...args], {
        cwd: ROOT,
        env: { ...process.env, DATABASE_URL: db.url },
        encoding: 'utf8',
        timeout: 30_000,
      });
    const dry = run(['audit', '--symbol', 'AUDB', '--days', '1']);
    expect(dry.stderr).toContain('ops: 1 window(s) differ and were not repaired: run again with --repair');
    expect(dry.stderr).toContain('audit: 2/2 pairs, 1 missing, 0 drifted');
    expect(dry.stdout).toMatch(/total: 2 pairs/);
    expect(dry.status).toBe(3);
    const fixed = run([
      'audit',
      '--symbol',
      'AUDB',
      '--timeframe',
      '5m',
      '--since',
      new Date(start).toISOString(),
      '--repair',
    ]);
    expect(fixed.stdout).toMatch(/total: 1 pairs, \d+ windows checked, 1 missing, 0 drifted, 0 orphaned .* 1 repaired/);
    expect(fixed.status).toBe(0);
    expect(run(['audit']).status).toBe(0);
    expect(run(['audit', '--days', 'x']).status).toBe(2);
  });
});
