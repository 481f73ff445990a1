// A failover under load, on real servers: a PostgreSQL 15 primary and its hot standby, two
// worker processes and a feed on the host list. The primary is crashed (pg_ctl stop -m immediate)
// and the standby promoted. Afterwards: every bar equals a recomputation, no failed run was
// recorded for the outage, each worker logged the outage once and its end once, the history
// writer is elected on the new primary, and SIGTERM still exits 0.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type pg from 'pg';
import { insertDemoBars } from '../../lib/demo/bars';
import { createHostListPool } from '../../lib/server/connect';
import { migrateDatabase } from '../../lib/server/migrate';
import { barsEqualRecompute } from '../support/audit';
import { minutesBetween, randomWalkBars } from '../support/bars';
import {
  missingPostgres15,
  requirePostgres15,
  startReplicatedCluster,
  type ReplicatedCluster,
} from '../support/postgres15';
import { floorMinute, MINUTE, spawnWorker, waitFor, type ChildWorker } from '../worker/support';

const SYMBOLS = ['FOA', 'FOB', 'FOC'];
const HISTORY_INTERVAL_MS = 1_000;
const WORKER_ENV = {
  WORKER_INTERVAL_MS: '300',
  WORKER_CONCURRENCY: '2',
  WORKER_BACKOFF_MAX_MS: '1000',
  WORKER_AUDIT_PAIRS_PER_PASS: '0',
  PG_CONNECT_TIMEOUT_MS: '1000',
  HISTORY_INTERVAL_MS: String(HISTORY_INTERVAL_MS),
  HISTORY_SETTLE_SECONDS: '0',
  RETRY_BACKOFF_BASE_SECONDS: '0.001',
  RETRY_BACKOFF_CAP_SECONDS: '0.001',
};

let cluster: ReplicatedCluster | undefined;
beforeAll(async () => {
  if (!missingPostgres15()) cluster = await startReplicatedCluster();
}, 120_000);
afterAll(() => cluster?.destroy());

interface LogLine {
  t: string;
  level: string;
  msg: string;
  [key: string]: unknown;
}
const linesOf = (worker: ChildWorker): LogLine[] =>
  worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);

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
      const seeded = SYMBOLS.flatMap((symbol, i) =>
        randomWalkBars(symbol, minutesBetween(new Date(start), new Date(now - 120 * MINUTE)), 11 + i),
      );
      await insertDemoBars(feedPool, seeded);
      await feedPool.query(
        `SELECT bootstrap_aggregation_cursor(s, t.timeframe) FROM unnest($1::text[]) s CROSS JOIN agg_timeframes t`,
        [SYMBOLS],
      );
      let fed = now - 120 * MINUTE;
      let feeding = true;
      let feedErrors = 0;
      const feed = (async () => {
        while (feeding && fed < now - 2 * MINUTE) {
          const minute = new Date(fed);
          const bars = SYMBOLS.flatMap((symbol, i) => randomWalkBars(symbol, [minute], 100 + i + fed / MINUTE));
          try {
            await insertDemoBars(feedPool, bars);
            fed += MINUTE;
          } catch {
            feedErrors += 1; // the outage: the same minute again, through the host list
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();

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
        await feed;
        feeding = false;
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
        let barsChecked = 0;
        const pairs = await standby.sql<{ symbol: string; timeframe: string; until: Date }>(
          `SELECT s.canonical_symbol AS symbol, s.timeframe, s.last_agg_bar_ts_utc + t.step AS until
           FROM data_agg_state s JOIN agg_timeframes t USING (timeframe)`,
          [],
          'pipeline',
        );
        const client = createHostListPool(url, { max: 1 });
        try {
          for (const pair of pairs) {
            expect(
              await barsEqualRecompute(
                client,
                pair.symbol,
                pair.timeframe,
                new Date(start - 24 * 60 * MINUTE).toISOString(),
                pair.until.toISOString(),
              ),
              `${pair.symbol}/${pair.timeframe}`,
            ).toEqual([]);
          }
          const [count] = (await client.query<{ n: number }>('SELECT count(*)::int AS n FROM bars_agg')).rows;
          barsChecked = count!.n;
        } finally {
          await client.end();
        }
        expect(pairs).toHaveLength(SYMBOLS.length * 6);
        expect(barsChecked).toBeGreaterThan(100);

        const outageLines = workers.map((w) =>
          linesOf(w).filter(
            (l) => Date.parse(l.t) >= crashedAt && Date.parse(l.t) < sigtermAt && l.msg !== 'pass' && l.msg !== 'audit',
          ),
        );
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
              feed_errors: feedErrors,
              pairs: pairs.length,
              bars_checked: barsChecked,
            },
          }),
        );
        expect(electedMs).toBeLessThanOrEqual(2 * HISTORY_INTERVAL_MS + 1_000);
      } finally {
        feeding = false;
        for (const worker of workers) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
        await feedPool.end().catch(() => {});
      }
    },
  );
});
