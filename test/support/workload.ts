import type pg from 'pg';
import { expect } from 'vitest';
import { insertDemoBars } from '../../lib/demo/bars';
import { createHostListPool } from '../../lib/server/connect';
import { barsEqualRecompute } from './audit';
import { minutesBetween, randomWalkBars } from './bars';
import type { ChildWorker } from '../worker/support';

/**
 * What the failover tests run against a cluster (test/replication/failover.test.ts, patroni.test.ts): seeded history,
 * a feed adding one minute at a time, the workers' JSON log lines, and the recomputation of every
 * pair afterwards.
 */

const MINUTE = 60_000;

/**
 * A worker tuned for a failover test: short passes, a one-second connect timeout, the history
 * writer every `historyIntervalMs`, failed pairs retried at once, no audit.
 */
export function failoverWorkerEnv(historyIntervalMs: number): Record<string, string> {
  return {
    WORKER_INTERVAL_MS: '300',
    WORKER_CONCURRENCY: '2',
    WORKER_BACKOFF_MAX_MS: '1000',
    WORKER_AUDIT_PAIRS_PER_PASS: '0',
    PG_CONNECT_TIMEOUT_MS: '1000',
    HISTORY_INTERVAL_MS: String(historyIntervalMs),
    HISTORY_SETTLE_SECONDS: '0',
    RETRY_BACKOFF_BASE_SECONDS: '0.001',
    RETRY_BACKOFF_CAP_SECONDS: '0.001',
  };
}

export interface WorkerLogLine {
  t: string;
  level: string;
  msg: string;
  [key: string]: unknown;
}

export const linesOf = (worker: ChildWorker): WorkerLogLine[] =>
  worker
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as WorkerLogLine);

/**
 * A worker's lines in [from, to) but its routine 'pass' and 'audit', in time order: warnings come
 * on stderr, the rest on stdout, and the two interleave as they arrive.
 */
export const linesBetween = (worker: ChildWorker, from: number, to: number): WorkerLogLine[] =>
  linesOf(worker)
    .filter((l) => Date.parse(l.t) >= from && Date.parse(l.t) < to && l.msg !== 'pass' && l.msg !== 'audit')
    .sort((a, b) => Date.parse(a.t) - Date.parse(b.t));

/** True when every outage the worker logged since `from` has ended (or it logged none). */
export const outageEnded = (worker: ChildWorker, from: number): boolean => {
  const msgs = linesBetween(worker, from, Infinity).map((l) => l.msg);
  const down = msgs.filter((m) => m.startsWith('database unavailable')).length;
  return down === msgs.filter((m) => m.startsWith('database reachable again')).length;
};

/** History from `start` to `feedFrom`, bootstrapped cursors for every timeframe. */
export async function seedHistory(
  pool: pg.Pool,
  symbols: string[],
  start: number,
  feedFrom: number,
  seed: number,
): Promise<void> {
  const bars = symbols.flatMap((symbol, i) =>
    randomWalkBars(symbol, minutesBetween(new Date(start), new Date(feedFrom)), seed + i),
  );
  await insertDemoBars(pool, bars);
  await pool.query(
    `SELECT bootstrap_aggregation_cursor(s, t.timeframe) FROM unnest($1::text[]) s CROSS JOIN agg_timeframes t`,
    [symbols],
  );
}

export interface Feed {
  /** Resolves when the feed reached `until` or was stopped. */
  done: Promise<void>;
  stop: () => void;
  /** Inserts that failed (no primary for a moment) and were tried again. */
  errors: () => number;
}

/** The next minute of each symbol every `everyMs`, from `from` to `until`; a failed minute is retried. */
export function startFeed(pool: pg.Pool, symbols: string[], from: number, until: number, everyMs: number): Feed {
  let fed = from;
  let feeding = true;
  let errors = 0;
  const done = (async () => {
    while (feeding && fed < until) {
      const minute = new Date(fed);
      const bars = symbols.flatMap((symbol, i) => randomWalkBars(symbol, [minute], 200 + i + fed / MINUTE));
      try {
        await insertDemoBars(pool, bars);
        fed += MINUTE;
      } catch {
        errors += 1; // the same minute again, through the host list
      }
      await new Promise((resolve) => setTimeout(resolve, everyMs));
    }
  })();
  return {
    done,
    stop: () => {
      feeding = false;
    },
    errors: () => errors,
  };
}

/** Every pair's bars from `from` to its cursor equal a recomputation; returns the bars checked. */
export async function expectEveryBarRecomputed(pool: pg.Pool, from: number): Promise<number> {
  const pairs = await pool.query<{ symbol: string; timeframe: string; until: Date }>(
    `SELECT s.canonical_symbol AS symbol, s.timeframe, s.last_agg_bar_ts_utc + t.step AS until
       FROM data_agg_state s JOIN agg_timeframes t USING (timeframe)`,
  );
  for (const pair of pairs.rows) {
    expect(
      await barsEqualRecompute(
        pool,
        pair.symbol,
        pair.timeframe,
        new Date(from).toISOString(),
        pair.until.toISOString(),
      ),
      `${pair.symbol}/${pair.timeframe}`,
    ).toEqual([]);
  }
  return (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bars_agg')).rows[0]!.n;
}

/**
 * After a failover, through the host list `url`: every pair's bars from `from` equal a
 * recomputation. Returns [pairs registered, bars checked].
 */
export async function expectClusterRecomputed(url: string, from: number): Promise<[number, number]> {
  const pool = createHostListPool(url, { max: 1 });
  pool.on('error', () => {}); // a connection cut by the cluster surfaces on the query instead
  try {
    const [count] = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM data_agg_state')).rows;
    return [count!.n, await expectEveryBarRecomputed(pool, from)];
  } finally {
    await pool.end();
  }
}
