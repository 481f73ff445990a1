import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpsArgs, runOpsCommand } from '../../lib/ops/commands';
import { createTestDatabase, errorOf, type TestDatabase } from '../support/database';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { floorMinute, makeWorker, MINUTE } from './support';

describe('retry backoff of failing pairs', () => {
  let db: TestDatabase;
  const now = floorMinute(Date.now());

  beforeAll(async () => {
    db = await createTestDatabase();
    await insertBars(
      db.pool,
      randomWalkBars('GOOD', minutesBetween(new Date(now - 120 * MINUTE), new Date(now - 5 * MINUTE)), 1),
    );
    await db.sql(`SELECT bootstrap_aggregation_cursor('GOOD', '5m')`);
    // Never bootstrapped: fails on every run until someone bootstraps it.
    await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe) VALUES ('NULLP', '5m'), ('NULLP', '1h')`);
  });
  afterAll(async () => db?.drop());

  const delays = async (symbol: string) =>
    db.sql<{ tf: string; failures: number; seconds: number }>(
      `SELECT timeframe AS tf, consecutive_failures AS failures,
            round(extract(epoch FROM next_retry_utc - last_error_utc))::int AS seconds
       FROM data_agg_state WHERE canonical_symbol = $1 ORDER BY timeframe`,
      [symbol],
    );

  it('grows the delay exponentially from the base and caps it', async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      const seconds: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        await client.query('BEGIN');
        await client.query(
          `SELECT set_config('frontier.retry_base_seconds', '10', true), set_config('frontier.retry_cap_seconds', '60', true)`,
        );
        await client.query(`SELECT record_aggregation_failure('NULLP', '1h', 'boom', now())`);
        await client.query('COMMIT');
        seconds.push((await delays('NULLP')).find((row) => row.tf === '1h')!.seconds);
      }
      expect(seconds).toEqual([10, 20, 40, 60, 60, 60]);
      // The documented 4-argument call works as it did, with the default backoff (30 s, 15 min).
      await db.sql(
        `UPDATE data_agg_state SET consecutive_failures = 0 WHERE canonical_symbol = 'NULLP' AND timeframe = '1h'`,
      );
      await db.sql(`SELECT record_aggregation_failure('NULLP', '1h', 'boom', now())`);
      expect((await delays('NULLP')).find((row) => row.tf === '1h')).toMatchObject({ failures: 1, seconds: 30 });
      expect(await errorOf(db.sql(`SELECT agg_retry_delay(0)`))).toMatch(
        /agg_retry_delay: p_failures must be >= 1, got 0/,
      );
      expect(
        await errorOf(
          client.query(
            `SET frontier.retry_base_seconds = '100'; SET frontier.retry_cap_seconds = '10'; SELECT agg_retry_delay(1)`,
          ),
        ),
      ).toMatch(/frontier.retry_base_seconds \(100\) must be > 0 and frontier.retry_cap_seconds \(10\) >= it/);
    } finally {
      await client.end();
    }
  });

  it('a pair failing for an hour is run 8 times with the defaults, not 240 (one per 15 s pass)', async () => {
    // Attempt n+1 comes agg_retry_delay(n) after attempt n (plus up to a pass of 15 s).
    const [row] = await db.sql<{ attempts: number }>(
      `WITH RECURSIVE tries(n, at) AS (
         SELECT 1, 0::double precision
         UNION ALL
         SELECT n + 1, at + extract(epoch FROM agg_retry_delay(n)) + 15 FROM tries WHERE at < 3600
       )
       SELECT count(*)::int AS attempts FROM tries WHERE at < 3600`,
    );
    expect(row!.attempts).toBe(8);
  });

  it('the worker skips a pair in backoff, an operator retry clears it, a bootstrap clears it', async () => {
    await db.sql(
      `UPDATE data_agg_state SET consecutive_failures = 0, next_retry_utc = NULL, enabled = (timeframe = '5m') WHERE canonical_symbol = 'NULLP'`,
    );
    const { worker, close } = makeWorker(db.url, { intervalMs: 1, retryBackoff: { baseSeconds: 30, capSeconds: 900 } });
    try {
      const first = await worker.runPass();
      expect(first).toMatchObject({ pairs: 2, ok: 1, failed: 1, skipped: 0 });
      // Ten more passes: the failing pair is not run again (one failed run, not eleven).
      for (let i = 0; i < 10; i += 1) expect(await worker.runPass()).toMatchObject({ ok: 1, failed: 0, skipped: 1 });
      const runs = await db.one<{ n: number }>(
        `SELECT count(*)::int AS n FROM data_agg_runs WHERE NOT ok AND canonical_symbol = 'NULLP' AND timeframe = '5m'`,
      );
      expect(runs.n).toBe(1);

      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        const lines = await runOpsCommand(client, parseOpsArgs(['retry', '--symbol', 'NULLP']));
        expect(lines[0]).toBe('cleared the retry backoff of 1 pair(s) (NULLP); the next worker pass runs them:');
        expect(await runOpsCommand(client, parseOpsArgs(['retry']))).toEqual([
          'no pair in retry backoff (all pairs): nothing to do',
        ]);
      } finally {
        await client.end();
      }
      expect(await worker.runPass()).toMatchObject({ failed: 1, skipped: 0 });
      expect((await delays('NULLP')).find((row) => row.tf === '5m')).toMatchObject({ failures: 2, seconds: 60 });
      expect(await worker.runPass()).toMatchObject({ failed: 0, skipped: 1 });

      // The operator's fix: source bars arrive and the pair is bootstrapped. The cursor moved,
      // so the backoff is gone and the very next pass runs it, successfully.
      await insertBars(
        db.pool,
        randomWalkBars('NULLP', minutesBetween(new Date(now - 60 * MINUTE), new Date(now - 5 * MINUTE)), 2),
      );
      await db.sql(`SELECT bootstrap_aggregation_cursor('NULLP', '5m')`);
      expect((await delays('NULLP')).find((row) => row.tf === '5m')!.seconds).toBeNull();
      expect(await worker.runPass()).toMatchObject({ ok: 2, failed: 0, skipped: 0 });
    } finally {
      await close();
    }
  });

  it('enabling or disabling a pair clears its backoff; other updates keep it', async () => {
    await db.sql(
      `UPDATE data_agg_state SET next_retry_utc = now() + interval '1 hour', consecutive_failures = 3 WHERE canonical_symbol = 'NULLP' AND timeframe = '1h'`,
    );
    await db.sql(
      `UPDATE data_agg_state SET last_error = 'still broken' WHERE canonical_symbol = 'NULLP' AND timeframe = '1h'`,
    );
    expect(
      (
        await db.one<{ due: Date | null }>(
          `SELECT next_retry_utc AS due FROM data_agg_state WHERE canonical_symbol = 'NULLP' AND timeframe = '1h'`,
        )
      ).due,
    ).not.toBeNull();
    await db.sql(
      `UPDATE data_agg_state SET enabled = NOT enabled WHERE canonical_symbol = 'NULLP' AND timeframe = '1h'`,
    );
    expect(
      (
        await db.one<{ due: Date | null }>(
          `SELECT next_retry_utc AS due FROM data_agg_state WHERE canonical_symbol = 'NULLP' AND timeframe = '1h'`,
        )
      ).due,
    ).toBeNull();
  });

  it('parses retry arguments', () => {
    expect(parseOpsArgs(['retry', '--symbol', 'X', '--timeframe', '5m'])).toEqual({
      kind: 'retry',
      symbol: 'X',
      timeframe: '5m',
    });
    expect(() => parseOpsArgs(['retry', '--symbol'])).toThrow('retry: --symbol needs a value');
    expect(() => parseOpsArgs(['retry', 'X'])).toThrow('retry: unexpected argument "X"');
    expect(() => parseOpsArgs(['retry', '--symbol', 'A', '--symbol', 'B'])).toThrow(
      'retry: --symbol is given more than once',
    );
  });
});
