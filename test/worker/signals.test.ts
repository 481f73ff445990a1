import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { insertBars, minutesBetween, randomWalkBars, type MinuteBar } from '../support/bars';
import { expectExactCatchUp, floorMinute, makeWorker, MINUTE, spawnWorker, waitFor } from './support';

// The worker process with a transaction in flight. The test holds an EXCLUSIVE lock on
// data_agg_runs, so a run gets through its bars and its state row and then waits to insert
// its history row: the moment of "half-written, not committed".
describe('the worker process and signals', () => {
  let db: TestDatabase;
  let locker: pg.Client;
  const now = floorMinute(Date.now());
  const bars: MinuteBar[] = ['SIGA', 'SIGB', 'SIGC'].flatMap((symbol, i) =>
    randomWalkBars(symbol, minutesBetween(new Date(now - 300 * MINUTE), new Date(now - 5 * MINUTE)), 7 + i),
  );

  beforeEach(async () => {
    db = await createTestDatabase();
    await insertBars(db.pool, bars);
    await db.sql(`SELECT bootstrap_aggregation_cursor(s, '5m') FROM unnest('{SIGA,SIGB,SIGC}'::text[]) s`);
    locker = new pg.Client({ connectionString: db.url });
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE data_agg_runs IN EXCLUSIVE MODE');
  });
  afterEach(async () => {
    await locker?.end().catch(() => {});
    await db?.drop();
  });

  const appName = () => `test-worker-${randomBytes(4).toString('hex')}`;
  const blockedRun = (app: string) =>
    waitFor('the worker to be blocked inside its run', async () => {
      const rows = await db.sql(
        `SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
        [app],
      );
      return rows.length === 1;
    });
  const pairStates = () =>
    db.sql<{ symbol: string; runs: number; moved: boolean }>(
      `SELECT canonical_symbol AS symbol, total_runs::int AS runs, last_success_utc IS NOT NULL AS moved
       FROM data_agg_state ORDER BY 1`,
    );

  it('on SIGTERM finishes the transaction in flight, starts no other, and exits 0', async () => {
    const app = appName();
    const worker = spawnWorker(db.url, {
      WORKER_CONCURRENCY: '1',
      WORKER_INTERVAL_MS: '200',
      PG_APPLICATION_NAME: app,
    });
    await blockedRun(app);
    worker.child.kill('SIGTERM');
    await waitFor('the stop to be logged', () =>
      worker.output().includes('stopping: finishing the current transaction(s)'),
    );
    expect(worker.child.exitCode).toBeNull(); // still waiting for its transaction
    await locker.query('COMMIT');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.output()).toContain('"msg":"worker stopped"');

    // Exactly one pair ran, to the end; the other two were not started.
    const states = await pairStates();
    expect(states.filter((s) => s.moved).length).toBe(1);
    expect(states.filter((s) => !s.moved).every((s) => s.runs === 0)).toBe(true);
    const [history] = await db.sql<{ runs: number }>('SELECT count(*)::int AS runs FROM data_agg_runs WHERE ok');
    expect(history!.runs).toBe(1);
  });

  it('killed with SIGKILL mid-run leaves nothing half-written; the next worker carries on from the cursor', async () => {
    const app = appName();
    const worker = spawnWorker(db.url, {
      WORKER_CONCURRENCY: '1',
      WORKER_INTERVAL_MS: '200',
      PG_APPLICATION_NAME: app,
    });
    await blockedRun(app);
    worker.child.kill('SIGKILL');
    expect(await worker.exited).toEqual({ code: null, signal: 'SIGKILL' });
    // The server notices the dead client (client_connection_check_interval) and rolls back,
    // without anyone releasing the lock.
    await waitFor(
      "the dead worker's backend to be gone",
      async () => (await db.sql(`SELECT 1 FROM pg_stat_activity WHERE application_name = $1`, [app])).length === 0,
      15_000,
      100,
    );
    await locker.query('COMMIT');

    const states = await pairStates();
    expect(states.every((s) => !s.moved && s.runs === 0)).toBe(true);
    const [left] = await db.sql<{ bars: number; runs: number }>(
      'SELECT (SELECT count(*)::int FROM bars_agg) AS bars, (SELECT count(*)::int FROM data_agg_runs) AS runs',
    );
    expect(left).toEqual({ bars: 0, runs: 0 });

    const next = makeWorker(db.url, { intervalMs: 1 });
    try {
      const pass = await next.worker.runPass();
      expect(pass).toMatchObject({ pairs: 3, ok: 3, failed: 0 });
    } finally {
      await next.close();
    }
    await expectExactCatchUp(db.pool, bars, Date.now());
  });
});
