// The health snapshot built in the snapshot thread (lib/api/snapshot-worker.ts) against the same
// build in process: the same rows, history and replication; none of its statements on the
// dashboard's pool; the snapshot's own statement timeout; in process when the thread cannot start.
import { afterEach, describe, expect, test, vi } from 'vitest';
import {
  getHealthSnapshot,
  resetSnapshotCaches,
  snapshotBuildMs,
  snapshotCache,
  snapshotTtlMs,
  snapshotVersionOf,
} from '../../lib/api/snapshot';
import { buildSnapshot } from '../../lib/api/snapshot-build';
import { buildInThread, stopSnapshotThread, threadStatementTimeout } from '../../lib/api/snapshot-worker';
import { getPool } from '../../lib/server/db';
import { resetEnvCache } from '../../lib/server/env';
import { WORST_FIRST, useEveryStateDatabase } from './fixture';

useEveryStateDatabase();

afterEach(async () => {
  vi.restoreAllMocks();
  await stopSnapshotThread();
});

const keys = (rows: { symbol: string; timeframe: string; state: string }[]) =>
  rows.map((row) => `${row.symbol}/${row.timeframe}:${row.state}`);

describe('the snapshot thread', () => {
  test('builds the same snapshot as the build in process', async () => {
    const generatedAt = new Date().toISOString();
    const [{ snapshot: threaded, buildMs }, here] = await Promise.all([
      buildInThread(generatedAt),
      buildSnapshot(generatedAt),
    ]);
    expect(buildMs).toBeGreaterThan(0); // the snapshot's TTL grows with it (snapshotTtlMs)
    expect(keys(threaded.rows)).toEqual(WORST_FIRST);
    expect(keys(threaded.rows)).toEqual(keys(here.rows));
    expect(threaded.generatedAt).toBe(generatedAt);
    expect(threaded.history).toBeInstanceOf(Map);
    expect([...threaded.history.entries()]).toEqual([...here.history.entries()]);
    const { dataAsOf, ...replication } = threaded.replication; // the database's now()
    expect(replication).toEqual({ ...here.replication, dataAsOf: undefined });
    expect(Date.parse(dataAsOf!)).toBeGreaterThanOrEqual(Date.parse(generatedAt) - 60_000);
    expect(threaded.thresholds).toEqual(here.thresholds);
    // Everything but the clock-driven fields, built a few milliseconds apart.
    expect(snapshotVersionOf(threaded)).toBe(snapshotVersionOf(here));
    const failing = threaded.rows.find((row) => row.state === 'FAILING')!;
    const failingHere = here.rows.find((row) => row.state === 'FAILING')!;
    // The rows cross as JSON (lib/api/snapshot-thread.ts): every field of every row arrives.
    expect(threaded.rows.map((row) => Object.keys(row))).toEqual(here.rows.map((row) => Object.keys(row)));
    expect([failing.reason, failing.lastError, failing.state_since]).toEqual([
      failingHere.reason,
      failingHere.lastError,
      failingHere.state_since,
    ]);
    expect(failing.lastErrorSqlstate).toBe('22000');
  });

  test("getHealthSnapshot sends none of the snapshot's statements through the dashboard's pool", async () => {
    resetSnapshotCaches();
    const spy = vi.spyOn(getPool(), 'query');
    const snapshot = await getHealthSnapshot();
    expect(keys(snapshot.rows)).toEqual(WORST_FIRST);
    expect(spy).not.toHaveBeenCalled();
  });

  test("its connections run with SNAPSHOT_STATEMENT_TIMEOUT_MS, the dashboard's with PG_STATEMENT_TIMEOUT_MS", async () => {
    process.env.SNAPSHOT_STATEMENT_TIMEOUT_MS = '45000';
    resetEnvCache();
    try {
      await stopSnapshotThread(); // started with the setting above
      expect(await threadStatementTimeout()).toBe('45s');
      const { rows } = await getPool().query<{ statement_timeout: string }>('SHOW statement_timeout');
      expect(rows[0]!.statement_timeout).toBe('5s');
    } finally {
      delete process.env.SNAPSHOT_STATEMENT_TIMEOUT_MS;
      resetEnvCache();
    }
  });

  test('a database error in the thread reaches the caller with its SQLSTATE', async () => {
    process.env.SNAPSHOT_STATEMENT_TIMEOUT_MS = '1';
    resetEnvCache();
    try {
      await stopSnapshotThread();
      await expect(buildInThread(new Date().toISOString())).rejects.toMatchObject({
        code: '57014',
        message: expect.stringContaining('canceling statement'),
      });
    } finally {
      delete process.env.SNAPSHOT_STATEMENT_TIMEOUT_MS;
      resetEnvCache();
    }
  });

  test('one snapshot cache per process, however many copies of the module Next.js bundles', async () => {
    vi.resetModules();
    const copy = await import('../../lib/api/snapshot');
    expect(copy.getHealthSnapshot).not.toBe(getHealthSnapshot);
    expect(copy.snapshotCache).toBe(snapshotCache);
  });

  test("a snapshot another copy of the module built has its build's TTL in the one cache", async () => {
    resetSnapshotCaches();
    vi.resetModules();
    const copy = await import('../../lib/api/snapshot');
    const snapshot = await copy.getHealthSnapshot();
    // The cache's TTL function is this copy's (it made the cache); the cost was recorded by the other.
    const buildMs = snapshotBuildMs(snapshot);
    expect(buildMs).toBeGreaterThan(0);
    expect(snapshotCache.ttlOf('all')).toBe(snapshotTtlMs(buildMs!));
  });

  test('when the thread cannot start, the snapshot is built in process', async () => {
    const cwd = process.cwd();
    const spy = vi.spyOn(process, 'cwd').mockReturnValue('/nonexistent-frontier-root');
    try {
      resetSnapshotCaches();
      const querySpy = vi.spyOn(getPool(), 'query');
      const snapshot = await getHealthSnapshot();
      expect(keys(snapshot.rows)).toEqual(WORST_FIRST);
      expect(querySpy).toHaveBeenCalled();
    } finally {
      spy.mockRestore();
      expect(process.cwd()).toBe(cwd);
    }
  });
});
