// GET /api/workers and the worker's heartbeat, against a real PostgreSQL.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET } from '../../app/api/workers/route';
import { closePool } from '../../lib/server/db';
import type { WorkersResponse } from '../../lib/shared/types';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { makeWorker } from '../worker/support';
import { call, pointApiAt, resetApiCaches } from './support';

describe('GET /api/workers', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await pointApiAt(db.url, { WORKER_INTERVAL_MS: '15000' });
  });
  afterAll(async () => {
    await closePool();
    await db.drop();
  });

  test('no heartbeat yet: nothing running, nothing to say since when', async () => {
    const answer = await call<WorkersResponse>(GET, '/api/workers');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      workers: [],
      staleAfterSeconds: 30,
      running: false,
      lastBeatUtc: null,
      noWorkerSince: null,
    });
  });

  test('a worker beats every pass; its row is listed with its age and counts as running', async () => {
    const { worker, close } = makeWorker(db.url);
    try {
      await worker.runPass();
    } finally {
      await close();
    }
    resetApiCaches();
    const { body } = await call<WorkersResponse>(GET, '/api/workers');
    expect(body.running).toBe(true);
    expect(body.noWorkerSince).toBeNull();
    expect(body.workers).toHaveLength(1);
    expect(body.workers[0]).toMatchObject({
      workerId: worker.identity.workerId,
      pid: process.pid,
      version: '0.1.0',
      alive: true,
    });
    expect(body.workers[0]!.ageSeconds).toBeLessThan(5);
  });

  test('every beat older than two intervals: "no worker running since" the newest one', async () => {
    await db.sql(`UPDATE worker_heartbeats SET beat_utc = now() - interval '31 seconds'`);
    await db.sql(
      `INSERT INTO worker_heartbeats (worker_id, host, pid, version, started_at_utc, beat_utc)
       VALUES ('old:1:abc', 'old', 1, '0.0.9', now() - interval '2 hours', now() - interval '1 hour')`,
    );
    resetApiCaches();
    const { body } = await call<WorkersResponse>(GET, '/api/workers');
    expect(body.running).toBe(false);
    expect(body.workers.map((w) => [w.host, w.alive, Math.round(w.ageSeconds)])).toEqual([
      [body.workers[0]!.host, false, 31],
      ['old', false, 3600],
    ]);
    expect(body.noWorkerSince).toBe(body.workers[0]!.beatUtc);
    expect(body.lastBeatUtc).toBe(body.workers[0]!.beatUtc);
  });
});

describe('a pass longer than the interval', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  test('beats during the pass too, so its heartbeat is never older than the interval', async () => {
    // Twelve pairs, one lane, an interval of 1 ms: every pair after the first starts after a beat.
    for (const symbol of ['HB01', 'HB02', 'HB03', 'HB04', 'HB05', 'HB06']) {
      await db.sql(
        `INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc)
         VALUES ($1, '5m', NULL), ($1, '15m', NULL)`,
        [symbol],
      );
    }
    const { worker, close } = makeWorker(db.url, { intervalMs: 1, concurrency: 1 });
    try {
      const summary = await worker.runPass();
      expect(summary.pairs).toBe(12);
    } finally {
      await close();
    }
    const { beat_utc, first_run, last_run } = await db.one<{ beat_utc: Date; first_run: Date; last_run: Date }>(
      `SELECT (SELECT beat_utc FROM worker_heartbeats) AS beat_utc,
              min(started_at_utc) AS first_run, max(started_at_utc) AS last_run
         FROM data_agg_runs`,
    );
    // Beaten once per pass only, the beat would be as old as the first run (seen: 1 ms apart); beaten
    // before every pair, it is younger than the pass's midpoint.
    const span = last_run.getTime() - first_run.getTime();
    expect(span).toBeGreaterThan(20);
    expect(beat_utc.getTime()).toBeGreaterThan(first_run.getTime() + span / 2);
  });
});
