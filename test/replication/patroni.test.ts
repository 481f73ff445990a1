// The product against a real Patroni cluster (deploy/patroni/, rendered with free ports): etcd, two
// PostgreSQL 15 nodes under Patroni, HAProxy routing its port by Patroni's /primary check. The
// database is set up as the README says (a role, a database it owns, `db:migrate` through the host
// list); one worker runs on the host list, one through HAProxy, and a feed inserts bars. Then
// `patronictl switchover --force`, and then the new leader's Patroni and PostgreSQL are killed with
// SIGKILL, the workers running through both; the killed node is started again and rejoins as a
// standby. Afterwards: every bar equals a recomputation, no failed run recorded, bounded log
// lines, the history writer on the last primary, SIGTERM exits 0.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { GET as summaryGET } from '../../app/api/health/summary/route';
import { GET as healthzGET } from '../../app/api/healthz/route';
import { closePool } from '../../lib/server/db';
import type { HealthSummaryResponse, ReplicationStatus } from '../../lib/shared/types';
import { call, pointApiAt } from '../api/support';
import { createHostListPool } from '../../lib/server/connect';
import { migrateDatabase } from '../../lib/server/migrate';
import {
  missingPatroni,
  requirePatroni,
  startPatroniCluster,
  type PatroniCluster,
  type PatroniNode,
} from '../support/patroni';
import {
  expectClusterRecomputed,
  failoverWorkerEnv,
  linesBetween,
  linesOf,
  outageEnded,
  seedHistory,
  startFeed,
} from '../support/workload';
import { floorMinute, MINUTE, spawnWorker, waitFor } from '../worker/support';

const SYMBOLS = ['PTA', 'PTB', 'PTC'];
const HISTORY_INTERVAL_MS = 1_000;
const WORKER_ENV = failoverWorkerEnv(HISTORY_INTERVAL_MS);

let cluster: PatroniCluster | undefined;
beforeAll(async () => {
  if (!missingPatroni()) cluster = await startPatroniCluster();
}, 180_000);
afterAll(async () => {
  await closePool();
  cluster?.destroy();
});

interface EventFigures {
  event: string;
  from: string;
  to: string;
  new_leader_after_ms: number;
  first_run_on_new_leader_after_ms: number;
  history_writer_on_new_leader_after_ms: number;
  worker_outages: number[];
  /** outage_ms of each worker's 'database reachable again' line: how long it could not write */
  worker_outage_ms: Array<number | null>;
  worker_log_lines: number[];
  worker_lines: string[][];
  startedAt: number;
  endedAt: number;
}

describe('a Patroni cluster: switchover and a killed leader with two workers and a feed running', () => {
  test(
    'the workers run through both: nothing lost or wrong, no failed run, the writer on the new primary',
    { timeout: 420_000 },
    async (context) => {
      requirePatroni(context);
      const c = cluster!;
      let leader = await c.waitForHealthy();
      // As deploy/patroni/README.md does it: a role owning the database, migrated through the host list.
      const password = randomBytes(9).toString('hex');
      await c.sql(leader, `CREATE ROLE frontier LOGIN PASSWORD '${password}'`);
      await c.sql(leader, 'CREATE DATABASE pipeline OWNER frontier');
      const hostList = c.hostList('frontier', password, 'pipeline');
      await migrateDatabase(hostList);
      const feedPool: pg.Pool = createHostListPool(hostList, { max: 2, connectionTimeoutMillis: 1_000 });
      feedPool.on('error', () => {});

      // Five hours of history, then a feed adding the next minute of each symbol every 150 ms
      // (about 45 s of feeding: through both events).
      const now = floorMinute(Date.now());
      const start = now - 300 * MINUTE;
      await seedHistory(feedPool, SYMBOLS, start, now - 240 * MINUTE, 21);
      const feed = startFeed(feedPool, SYMBOLS, now - 240 * MINUTE, now - 2 * MINUTE, 150);

      const workers = [
        spawnWorker(hostList, WORKER_ENV),
        spawnWorker(c.haproxyUrl('frontier', password, 'pipeline'), WORKER_ENV),
      ];
      const historyHolders = async (node: PatroniNode) =>
        (
          await c.sql<{ n: number }>(
            node,
            `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a USING (pid)
              WHERE l.locktype = 'advisory' AND l.granted AND a.application_name LIKE 'frontier-history-%'`,
            [],
            'pipeline',
          )
        )[0]!.n;

      // One event: act, then wait for Patroni's new leader, a committed run on it, the history
      // writer on it, and each worker's outage (if it saw one) to have ended.
      const event = async (name: string, act: (leader: PatroniNode) => void): Promise<EventFigures> => {
        const old = leader;
        const startedAt = Date.now();
        act(old);
        const next = (await waitFor(
          `a new leader after the ${name}`,
          async () => {
            const now = await c.leader();
            return now && now !== old ? now : undefined;
          },
          60_000,
          100,
        ))!;
        const promotedAt = Date.now();
        const firstRun = (await waitFor(
          `a run committed on ${next.name} after the ${name}`,
          async () => {
            const [row] = await c.sql<{ first: Date | null }>(
              next,
              `SELECT min(started_at_utc) AS first FROM data_agg_runs WHERE ok AND started_at_utc >= to_timestamp($1 / 1000.0)`,
              [promotedAt],
              'pipeline',
            );
            return row?.first ?? undefined;
          },
          60_000,
          100,
        ))!;
        const elected = await waitFor(
          `the history writer on ${next.name}`,
          async () => ((await historyHolders(next)) === 1 ? Date.now() : 0),
          30_000,
          100,
        );
        await waitFor(
          `each worker's outage to end after the ${name}`,
          () => workers.every((w) => outageEnded(w, startedAt)),
          60_000,
        );
        leader = next;
        return {
          event: name,
          from: old.name,
          to: next.name,
          new_leader_after_ms: promotedAt - startedAt,
          first_run_on_new_leader_after_ms: firstRun.getTime() - startedAt,
          history_writer_on_new_leader_after_ms: elected - startedAt,
          worker_outages: [],
          worker_outage_ms: [],
          worker_log_lines: [],
          worker_lines: [],
          startedAt,
          endedAt: 0,
        };
      };

      try {
        await waitFor(
          'both workers to pass',
          () => workers.every((w) => linesOf(w).some((l) => l.msg === 'pass')),
          60_000,
        );
        await waitFor('a history writer on the leader', async () => (await historyHolders(leader)) === 1, 30_000);
        await new Promise((resolve) => setTimeout(resolve, 2_000));

        const switchover = await event('switchover', (old) => {
          const candidate = c.nodes.find((node) => node !== old)!;
          c.patronictl(['switchover', '--leader', old.name, '--candidate', candidate.name, '--force']);
        });
        // The old leader rejoins as a standby: the next event has somewhere to fail over to.
        await c.waitForHealthy(90_000);
        await new Promise((resolve) => setTimeout(resolve, 2_000));
        const failover = await event('killed leader', (old) => c.kill(old));
        const events = [switchover, failover];
        // The killed node started again, as the README says: it rewinds and follows the new leader.
        const restartedAt = Date.now();
        c.startNode(c.nodes.find((node) => node.name === failover.from)!);

        await feed.done;
        await waitFor(
          'every pair caught up',
          async () => {
            const rows = await c.sql<{ behind: number }>(
              leader,
              `SELECT count(*)::int AS behind FROM v_aggregation_frontier_health WHERE bars_behind > 0 OR cursor_status <> 'OK'`,
              [],
              'pipeline',
            );
            return rows[0]!.behind === 0;
          },
          90_000,
          250,
        );
        expect(await historyHolders(leader), 'the history writer on the last primary').toBe(1);
        expect(await c.waitForHealthy(120_000), 'the leader after the killed node rejoined').toBe(leader);
        const rejoinedMs = Date.now() - restartedAt;

        const sigtermAt = Date.now();
        for (const worker of workers) worker.child.kill('SIGTERM');
        const exits = await Promise.all(workers.map((w) => w.exited));
        expect(exits.map((e) => e.code)).toEqual([0, 0]);

        const [failed] = await c.sql<{ n: number }>(
          leader,
          'SELECT count(*)::int AS n FROM data_agg_runs WHERE NOT ok',
          [],
          'pipeline',
        );
        expect(failed!.n, 'no failed run recorded for either event').toBe(0);

        const [pairs, barsChecked] = await expectClusterRecomputed(hostList, start - 24 * 60 * MINUTE);
        expect(pairs).toBe(SYMBOLS.length * 6);
        expect(barsChecked).toBeGreaterThan(100);

        // The dashboard as the README runs it: the read-only role, DATABASE_URL on the host list,
        // its reads on HAProxy's replica port, which leads to the rejoined standby.
        await c.sql(leader, readFileSync('db/roles/dashboard-readonly.sql', 'utf8'), [], 'pipeline');
        await c.sql(leader, `ALTER ROLE frontier_dashboard PASSWORD '${password}'`);
        await pointApiAt(c.hostList('frontier_dashboard', password, 'pipeline', 'any'), {
          DATABASE_READ_URL: c.haproxyReplicaUrl('frontier_dashboard', password, 'pipeline'),
          HEALTH_REPLICA_STALE_SECONDS: '60',
        });
        const healthz = await waitFor(
          'the dashboard reading the standby',
          async () => {
            const answer = await call<{ status: string; replication?: ReplicationStatus }>(healthzGET, '/api/healthz');
            return answer.status === 200 && answer.body.replication?.role === 'standby' ? answer.body : undefined;
          },
          30_000,
          250,
        );
        expect(healthz!.replication).toMatchObject({ role: 'standby', replayPaused: false, stale: false });
        const summary = await call<HealthSummaryResponse>(summaryGET, '/api/health/summary');
        expect(summary.status).toBe(200);
        expect(summary.body).toMatchObject({ total: pairs, replication: { role: 'standby', stale: false } });

        // Log lines: per worker and event, from the event to the next one (or SIGTERM).
        events[0]!.endedAt = events[1]!.startedAt;
        events[1]!.endedAt = sigtermAt;
        for (const figures of events) {
          for (const worker of workers) {
            const lines = linesBetween(worker, figures.startedAt, figures.endedAt);
            const msgs = lines.map((l) => l.msg);
            const outages = msgs.filter((m) => m.startsWith('database unavailable')).length;
            expect(outages, `${figures.event}: ${msgs.join(' | ')}`).toBeLessThanOrEqual(1);
            expect(msgs.filter((m) => m.startsWith('database reachable again'))).toHaveLength(outages);
            expect(msgs.filter((m) => /^(pair failed|could not record a failed run|pass failed)/.test(m))).toEqual([]);
            expect(lines.filter((l) => l.level === 'error')).toEqual([]);
            // A handful of lines, not a flood. The history writer's lock may be lost twice in one
            // event (an election can hand the host list a read-only node after a writable one):
            // its own lines are bounded by its losses, the rest by the old budget.
            const writerLosses = msgs.filter((m) => m.startsWith('history writer: database unavailable')).length;
            expect(writerLosses, msgs.join('\n')).toBeLessThanOrEqual(2);
            const others = msgs.filter((m) => !m.startsWith('history writer:'));
            expect(others.length, msgs.join('\n')).toBeLessThanOrEqual(6);
            figures.worker_outages.push(outages);
            const up = lines.find((l) => l.msg.startsWith('database reachable again'));
            figures.worker_outage_ms.push(typeof up?.outage_ms === 'number' ? up.outage_ms : null);
            figures.worker_log_lines.push(lines.length);
            figures.worker_lines.push(msgs);
          }
        }
        // No primary at all for several seconds: each worker went through one outage.
        expect(failover.worker_outages).toEqual([1, 1]);

        console.log(
          JSON.stringify({
            patroni: {
              events: events.map(({ startedAt: _s, endedAt: _e, ...figures }) => figures),
              killed_node_rejoined_as_standby_after_ms: rejoinedMs,
              feed_errors: feed.errors(),
              pairs,
              bars_checked: barsChecked,
            },
          }),
        );
        // Once the workers write on the new leader, the history writer is elected there within two
        // intervals (measured from Patroni's promotion instead, a loaded machine's slow reconnects
        // through HAProxy and the backoff would count too).
        for (const figures of events)
          expect(
            figures.history_writer_on_new_leader_after_ms - figures.first_run_on_new_leader_after_ms,
            figures.event,
          ).toBeLessThanOrEqual(2 * HISTORY_INTERVAL_MS + 1_000);
      } finally {
        feed.stop();
        for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
        await feedPool.end().catch(() => {});
      }
    },
  );
});
