// A failover under load, on real servers: a PostgreSQL 15 primary and its hot standby, two
// worker processes and a feed on the host list. The primary is crashed (pg_ctl stop -m immediate)
// and the standby promoted. Afterwards: every bar equals a recomputation, no failed run was
// recorded for the outage, each worker logged the outage once and its end once, the history
// writer is elected on the new primary, and SIGTERM still exits 0.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { createHostListPool } from '../../lib/server/connect';
import { migrateDatabase } from '../../lib/server/migrate';
import {
  missingPostgres15,
  requirePostgres15,
  startReplicatedCluster,
  type ReplicatedCluster,
} from '../support/postgres15';
import {
  expectClusterRecomputed,
  failoverWorkerEnv,
  linesBetween,
  linesOf,
  seedHistory,
  startFeed,
} from '../support/workload';
import { floorMinute, MINUTE, spawnWorker, waitFor } from '../worker/support';

const SYMBOLS = ['FOA', 'FOB', 'FOC'];
const HISTORY_INTERVAL_MS = 1_000;
const WORKER_ENV = failoverWorkerEnv(HISTORY_INTERVAL_MS);

let cluster: ReplicatedCluster | undefined;
beforeAll(async () => {
  if (!missingPostgres15()) cluster = await startReplicatedCluster();
}, 120_000);
afterAll(() => cluster?.destroy());

describe('failover with two workers and a feed running', () => {
  test(
    'crash the primary, promote the standby: the workers resume on it, nothing lost or wrong',
    { timeout: 180_000 },
    async (context) => {
      requirePostgres15(context);
      const { primary, standby } = cluster!;
      await primary.sql('CREATE DATABASE pipeline');
      await migrateDatabase(primary.url('pipeline'));
      const url = cluster!.hostList('pipeline');
      const feedPool: pg.Pool = createHostListPool(url, { max: 2, connectionTimeoutMillis: 1_000 }, {});
      feedPool.on('error', () => {});

      // Three hours of history, then a feed that adds the next minute of each symbol every 100 ms.
      const now = floorMinute(Date.now());
      const start = now - 180 * MINUTE;
      await seedHistory(feedPool, SYMBOLS, start, now - 120 * MINUTE, 11);
      const feed = startFeed(feedPool, SYMBOLS, now - 120 * MINUTE, now - 2 * MINUTE, 100);

      const workers = [spawnWorker(url, WORKER_ENV), spawnWorker(url, WORKER_ENV)];
      try {
        await waitFor(
          'both workers to pass',
          () => workers.every((w) => linesOf(w).some((l) => l.msg === 'pass')),
          30_000,
        );
        const historyHolders = (node: typeof primary) =>
          node.sql<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
            WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'frontier-history-%'`,
            [],
            'pipeline',
          );
        await waitFor(
          'a history writer on the primary',
          async () => (await historyHolders(primary))[0]!.n === 1,
          20_000,
        );
        await new Promise((resolve) => setTimeout(resolve, 2_000));

        const crashedAt = Date.now();
        primary.stop('immediate');
        await new Promise((resolve) => setTimeout(resolve, 1_000));
        standby.promote();
        const promotedAt = Date.now();

        const resumed = await waitFor(
          'a run committed on the new primary',
          async () => {
            const [row] = await standby.sql<{ first: Date | null }>(
              `SELECT min(started_at_utc) AS first FROM data_agg_runs WHERE ok AND started_at_utc >= to_timestamp($1 / 1000.0)`,
              [promotedAt],
              'pipeline',
            );
            return row?.first ?? undefined;
          },
          30_000,
        );
        const elected = await waitFor(
          'the history writer on the new primary',
          async () => ((await historyHolders(standby))[0]!.n === 1 ? Date.now() : 0),
          10_000,
          100,
        );
        await waitFor(
          'both workers to say the outage ended',
          () => workers.every((w) => linesOf(w).some((l) => l.msg.startsWith('database reachable again'))),
          30_000,
        );

        // The feed catches up to now - 2 min; then every pair catches up with it.
        await feed.done;
        await waitFor(
          'every pair caught up',
          async () => {
            const rows = await standby.sql<{ behind: number }>(
              `SELECT count(*)::int AS behind FROM v_aggregation_frontier_health WHERE bars_behind > 0 OR cursor_status <> 'OK'`,
              [],
              'pipeline',
            );
            return rows[0]!.behind === 0;
          },
          60_000,
          250,
        );

        const sigtermAt = Date.now();
        for (const worker of workers) worker.child.kill('SIGTERM');
        const exits = await Promise.all(workers.map((w) => w.exited));
        expect(exits.map((e) => e.code)).toEqual([0, 0]);

        const [failed] = await standby.sql<{ n: number }>(
          'SELECT count(*)::int AS n FROM data_agg_runs WHERE NOT ok',
          [],
          'pipeline',
        );
        expect(failed!.n, 'no failed run recorded for the outage').toBe(0);
        const [pairs, barsChecked] = await expectClusterRecomputed(url, start - 24 * 60 * MINUTE);
        expect(pairs).toBe(SYMBOLS.length * 6);
        expect(barsChecked).toBeGreaterThan(100);

        const outageLines = workers.map((w) => linesBetween(w, crashedAt, sigtermAt));
        for (const lines of outageLines) {
          const msgs = lines.map((l) => l.msg);
          expect(msgs.filter((m) => m.startsWith('database unavailable'))).toHaveLength(1);
          expect(msgs.filter((m) => m.startsWith('database reachable again'))).toHaveLength(1);
          expect(msgs.filter((m) => m === 'pair failed' || m === 'could not record a failed run')).toEqual([]);
          expect(lines.length, msgs.join('\n')).toBeLessThanOrEqual(6);
        }
        const firstResumeMs = resumed!.getTime() - crashedAt;
        const electedMs = elected - promotedAt;
        console.log(
          JSON.stringify({
            failover: {
              crash_to_first_run_on_new_primary_ms: firstResumeMs,
              promote_to_history_writer_elected_ms: electedMs,
              worker_log_lines_after_crash: outageLines.map((l) => l.length),
              worker_lines: outageLines.map((lines) => lines.map((l) => l.msg)),
              feed_errors: feed.errors(),
              pairs,
              bars_checked: barsChecked,
            },
          }),
        );
        expect(electedMs).toBeLessThanOrEqual(2 * HISTORY_INTERVAL_MS + 1_000);
      } finally {
        feed.stop();
        for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
        await feedPool.end().catch(() => {});
      }
    },
  );
});
