import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/server/embedded-postgres';
import { isConnectionError } from '../../lib/server/db-errors';
import { backoffDelay, OutageTracker } from '../../lib/server/outage';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertBars, minutesBetween, randomWalkBars } from '../support/bars';
import { captureLogger, floorMinute, makeWorker, MINUTE } from './support';

describe('failing pairs', () => {
  let db: TestDatabase;
  const now = floorMinute(Date.now());
  const minutes = minutesBetween(new Date(now - 180 * MINUTE), new Date(now - 10 * MINUTE));

  beforeAll(async () => {
    db = await createTestDatabase();
    const bad = randomWalkBars('BAD', minutes, 2);
    const corrupt = bad[100]!; // high < low
    [corrupt.high, corrupt.low] = [corrupt.low - 0.5, corrupt.high];
    await insertBars(db.pool, [...randomWalkBars('GOOD', minutes, 1), ...bad, ...randomWalkBars('NULLP', minutes, 3)]);
    await db.sql(
      `SELECT bootstrap_aggregation_cursor(s, tf) FROM unnest('{GOOD,BAD}'::text[]) s, unnest('{5m,15m,1h}'::text[]) tf`,
    );
    await db.sql(`INSERT INTO data_agg_state (canonical_symbol, timeframe) VALUES ('NULLP', '5m')`); // never bootstrapped
    await db.sql(`SELECT bootstrap_aggregation_cursor('GOOD', '30m')`);
    await db.sql(`UPDATE data_agg_state SET enabled = false WHERE canonical_symbol = 'GOOD' AND timeframe = '30m'`);
  });
  afterAll(async () => db?.drop());

  it('records each failure with its error, fails a NULL cursor on every pass, and carries on with the others', async () => {
    const { worker, logger, close } = makeWorker(db.url, { intervalMs: 1 });
    const passes = [];
    try {
      for (let i = 0; i < 3; i += 1) passes.push(await worker.runPass());
    } finally {
      await close();
    }
    // 3 GOOD + 3 BAD + NULLP are enabled; GOOD/30m is disabled and never listed.
    expect(passes.map(({ pairs, ok, idle, failed, skipped }) => ({ pairs, ok, idle, failed, skipped }))).toEqual([
      { pairs: 7, ok: 3, idle: 0, failed: 4, skipped: 0 },
      { pairs: 7, ok: 3, idle: 3, failed: 4, skipped: 0 },
      { pairs: 7, ok: 3, idle: 3, failed: 4, skipped: 0 },
    ]);

    const states = await db.sql<{
      pair: string;
      failures: number;
      runs: number;
      error: string | null;
      cursor_moved: boolean;
    }>(
      `SELECT canonical_symbol || '/' || timeframe AS pair, consecutive_failures AS failures, total_runs::int AS runs,
              last_error AS error, last_success_utc IS NOT NULL AS cursor_moved
         FROM data_agg_state ORDER BY 1`,
    );
    const byPair = Object.fromEntries(states.map((s) => [s.pair, s]));
    expect(byPair['NULLP/5m']).toMatchObject({
      failures: 3,
      runs: 3,
      error: 'catchup_aggregation_range: start cursor is NULL for NULLP/5m',
    });
    for (const tf of ['5m', '15m', '1h']) {
      expect(byPair[`BAD/${tf}`]!.failures).toBe(3);
      expect(byPair[`BAD/${tf}`]!.error).toMatch(
        new RegExp(`^corrupt source data for BAD/${tf} window \\[.*\\): 1 bar\\(s\\) with high < low`),
      );
      expect(byPair[`GOOD/${tf}`]).toMatchObject({ failures: 0, runs: 3, error: null, cursor_moved: true });
    }
    expect(byPair['GOOD/30m']).toMatchObject({ runs: 0 });

    // The failed runs were rolled back: BAD has no bars; each failure is one ok=false history row.
    const [bad] = await db.sql<{ bars: number; failed_runs: number; null_errors: number }>(
      `SELECT (SELECT count(*)::int FROM bars_agg WHERE canonical_symbol = 'BAD') AS bars,
              (SELECT count(*)::int FROM data_agg_runs WHERE NOT ok) AS failed_runs,
              (SELECT count(*)::int FROM data_agg_runs WHERE NOT ok AND canonical_symbol = 'NULLP'
                  AND error LIKE 'catchup_aggregation_range: start cursor is NULL%') AS null_errors`,
    );
    expect(bad).toEqual({ bars: 0, failed_runs: 12, null_errors: 3 });

    // Idle runs (passes 2 and 3) wrote no history: one ok row per GOOD pair, from pass 1.
    const okRuns = await db.sql<{ pair: string; n: number }>(
      `SELECT canonical_symbol || '/' || timeframe AS pair, count(*)::int AS n FROM data_agg_runs WHERE ok GROUP BY 1 ORDER BY 1`,
    );
    expect(okRuns).toEqual([
      { pair: 'GOOD/15m', n: 1 },
      { pair: 'GOOD/1h', n: 1 },
      { pair: 'GOOD/5m', n: 1 },
    ]);
    // Logged when each pair started failing, not again every pass (the history has every one).
    expect(logger.count('pair failed')).toBe(4);
    expect(logger.lines.find((l) => l.fields.symbol === 'NULLP')?.fields.code).toBe('22004');

    // Each failure keeps the SQLSTATE and HINT it was raised with (sql/012), on the pair and its run.
    const raised = await db.sql<{
      pair: string;
      sqlstate: string;
      hint: string;
      run_sqlstate: string;
      run_hint: string;
    }>(
      `SELECT s.canonical_symbol || '/' || s.timeframe AS pair, s.last_error_sqlstate AS sqlstate, s.last_error_hint AS hint,
              r.result->>'sqlstate' AS run_sqlstate, r.result->>'hint' AS run_hint
         FROM data_agg_state s
         JOIN LATERAL (SELECT result FROM data_agg_runs r WHERE r.canonical_symbol = s.canonical_symbol AND r.timeframe = s.timeframe
                        ORDER BY run_id DESC LIMIT 1) r ON true
        WHERE s.canonical_symbol IN ('BAD', 'NULLP') AND s.timeframe IN ('5m') ORDER BY 1`,
    );
    expect(raised).toEqual([
      {
        pair: 'BAD/5m',
        sqlstate: '22000',
        hint: 'fix or delete the bad bars_1m rows, then the next run carries on',
        run_sqlstate: '22000',
        run_hint: 'fix or delete the bad bars_1m rows, then the next run carries on',
      },
      {
        pair: 'NULLP/5m',
        sqlstate: '22004',
        hint: "bootstrap it: SELECT bootstrap_aggregation_cursor('NULLP', '5m');",
        run_sqlstate: '22004',
        run_hint: "bootstrap it: SELECT bootstrap_aggregation_cursor('NULLP', '5m');",
      },
    ]);

    // Fixed by an operator (bad bar deleted, NULL cursor bootstrapped): the next pass carries on.
    await db.sql(`DELETE FROM bars_1m WHERE canonical_symbol = 'BAD' AND high < low`);
    await db.sql(`SELECT bootstrap_aggregation_cursor('NULLP', '5m')`);
    const again = makeWorker(db.url, { intervalMs: 1 }, logger);
    try {
      expect(await again.worker.runPass()).toMatchObject({ ok: 7, failed: 0 });
    } finally {
      await again.close();
    }
    const [fixed] = await db.sql<{ failing: number }>(
      'SELECT count(*)::int AS failing FROM data_agg_state WHERE consecutive_failures > 0',
    );
    expect(fixed!.failing).toBe(0);
  });

  it('prunes history older than the retention in bounded batches, keeping the recent rows', async () => {
    await db.sql(
      `INSERT INTO data_agg_runs (canonical_symbol, timeframe, started_at_utc, finished_at_utc, ok, result)
       SELECT 'OLD', '5m', now() - interval '8 days' - make_interval(mins => g), now() - interval '8 days', true, '{}'
         FROM generate_series(1, 12) g`,
    );
    const [{ recent }] = (await db.sql<{ recent: number }>(`SELECT count(*)::int AS recent FROM data_agg_runs`)) as [
      { recent: number },
    ];
    const { worker, close } = makeWorker(db.url, {
      intervalMs: 1,
      retentionDays: 7,
      pruneEveryPasses: 1,
      pruneBatchSize: 5,
      pruneMaxBatches: 2,
    });
    try {
      expect((await worker.runPass()).pruned).toBe(10); // two batches of five, then it stops for this pass
      expect((await worker.runPass()).pruned).toBe(2);
      expect((await worker.runPass()).pruned).toBe(0);
    } finally {
      await close();
    }
    const [left] = await db.sql<{ old: number; all: number }>(
      `SELECT count(*) FILTER (WHERE canonical_symbol = 'OLD')::int AS old, count(*)::int AS all FROM data_agg_runs`,
    );
    expect(left!.old).toBe(0);
    expect(left!.all).toBeGreaterThanOrEqual(recent - 12); // every recent row kept (new failures added)
  });
});

describe('connection errors', () => {
  it('tells a lost database from a failed statement, with real errors', async () => {
    const port = await freePort();
    const refused = new pg.Client({
      connectionString: `postgres://x:y@127.0.0.1:${port}/none`,
      connectionTimeoutMillis: 2_000,
    });
    let refusal: unknown;
    await refused.connect().catch((error: unknown) => (refusal = error));
    expect(isConnectionError(refusal)).toBe(true);

    const db = await createTestDatabase();
    try {
      expect(isConnectionError(await db.pool.query('SELECT 1/0').catch((e: unknown) => e))).toBe(false);
      expect(
        isConnectionError(await db.pool.query('SELECT run_catchup($1, $2)', ['NOPE', '5m']).catch((e: unknown) => e)),
      ).toBe(false);
      const victim = new pg.Client({ connectionString: db.url });
      victim.on('error', () => {});
      await victim.connect();
      const [{ pid }] = (await victim.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [
        { pid: number },
      ];
      await db.sql('SELECT pg_terminate_backend($1)', [pid]);
      const terminated = await victim.query('SELECT 1').catch((e: unknown) => e);
      expect(isConnectionError(terminated)).toBe(true);
      // and the same client afterwards, whatever node-postgres chooses to say then
      expect(isConnectionError(await victim.query('SELECT 1').catch((e: unknown) => e))).toBe(true);
    } finally {
      await db.drop();
    }
  });

  it('logs an outage once, however many pairs fail, and its end once', () => {
    const logger = captureLogger();
    const tracker = new OutageTracker(logger);
    for (let i = 0; i < 50; i += 1) tracker.markDown(new Error('Connection terminated unexpectedly'));
    expect(tracker.down).toBe(true);
    expect(tracker.failedAttempts).toBe(49);
    tracker.markUp();
    tracker.markUp();
    expect(logger.lines.map((l) => l.message)).toEqual([
      'database unavailable; pausing passes and reconnecting with backoff',
      'database reachable again; resuming passes',
    ]);
    expect([0, 1, 2, 10].map((n) => backoffDelay(n, 5_000, () => 1))).toEqual([500, 1_000, 2_000, 5_000]);
  });
});
