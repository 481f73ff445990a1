// Adoption of a large legacy database: how long `db:migrate` keeps INSERTs into bars_1m waiting.
// A legacy database (monthly-partitioned bars_1m, bars_agg without source_count or key,
// data_agg_state with the three legacy columns) is built in a database of its own; one
// connection inserts minute bars into bars_1m in a loop, first alone (the baseline) and then
// while migrateDatabase() adopts the database. A third connection samples whether the inserter
// is waiting on a lock. Reported: insert latency during adoption vs the baseline, the stall
// (time beyond the baseline's median, summed and at most) and the sampled lock wait.
import pg from 'pg';
import { migrateDatabase } from '../lib/server/migrate';
import { median, percentile, round, type BenchDatabase } from './support';

export interface AdoptionBenchResult {
  sourceRows: number;
  aggRows: number;
  loadSeconds: number;
  adoptionMs: number;
  applied: string[];
  baseline: { inserts: number; medianMs: number; p99Ms: number; maxMs: number };
  during: { inserts: number; medianMs: number; p99Ms: number; maxMs: number };
  totalStallMs: number;
  maxStallMs: number;
  /** Inserts that took over 100 ms during adoption. */
  slowInserts: number;
  lockWaitMs: number;
  /** How many times the inserter was sampled (the lock wait's resolution is one sample). */
  samples: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function buildLegacy(url: string, symbols: number, minutes: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bars_1m (canonical_symbol varchar(32) NOT NULL, ts_utc timestamptz NOT NULL,
        open numeric NOT NULL, high numeric NOT NULL, low numeric NOT NULL, close numeric NOT NULL, volume bigint NOT NULL,
        PRIMARY KEY (canonical_symbol, ts_utc)) PARTITION BY RANGE (ts_utc)`);
    // Monthly partitions over the data and two months after it (the live inserts go there).
    const months = Math.ceil(minutes / (28 * 1440)) + 2;
    for (let m = 0; m < months; m++) {
      const from = new Date(Date.UTC(2026, m, 1)).toISOString();
      const to = new Date(Date.UTC(2026, m + 1, 1)).toISOString();
      await client.query(`CREATE TABLE bars_1m_p${m} PARTITION OF bars_1m FOR VALUES FROM ('${from}') TO ('${to}')`);
    }
    await client.query(`CREATE TABLE bars_agg (canonical_symbol varchar(32), timeframe varchar(8), ts_utc timestamptz,
        open numeric, high numeric, low numeric, close numeric, volume bigint)`);
    await client.query(`CREATE TABLE data_agg_state (canonical_symbol varchar(32), timeframe varchar(8), last_agg_bar_ts_utc timestamptz,
        PRIMARY KEY (canonical_symbol, timeframe))`);
    // One symbol at a time keeps each statement's memory and WAL bounded.
    for (let s = 0; s < symbols; s++) {
      await client.query(
        `
        INSERT INTO bars_1m SELECT $1, timestamptz '2026-01-01' + g * interval '1 minute', p, p + 0.0005, p - 0.0005, p + 0.0001, (g % 97) + 1
          FROM (SELECT g, round((1.1 + 0.01 * sin(g / 300.0))::numeric, 5) AS p FROM generate_series(0, $2 - 1) g) x`,
        [`S${s}`, minutes],
      );
      await client.query(
        `
        INSERT INTO bars_agg SELECT $1, '5m', timestamptz '2026-01-01' + g * interval '5 minutes', 1.1, 1.2, 1.0, 1.1, 500
          FROM generate_series(0, $2 / 5 - 1) g`,
        [`S${s}`, minutes],
      );
      await client.query(
        `INSERT INTO data_agg_state VALUES ($1, '5m', timestamptz '2026-01-01' + ($2 / 5 - 1) * interval '5 minutes'),
        ($1, '1h', NULL), ($1, '1d', timestamptz '2026-01-01' + $2 * interval '1 minute')`,
        [`S${s}`, minutes],
      );
    }
    await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}

/** Inserts one new minute bar at a time until `stop()` is true; returns each insert's latency. */
async function insertLoop(
  client: pg.Client,
  start: number,
  stop: () => boolean,
): Promise<{ latencies: number[]; next: number }> {
  const latencies: number[] = [];
  let minute = start;
  while (!stop()) {
    const t0 = performance.now();
    await client.query(`INSERT INTO bars_1m VALUES ('LIVE', $1, 1.1, 1.2, 1.0, 1.1, 10)`, [
      new Date(Date.UTC(2026, 0, 1) + minute * 60_000),
    ]);
    latencies.push(performance.now() - t0);
    minute += 1;
  }
  return { latencies, next: minute };
}

const stats = (l: number[]) => ({
  inserts: l.length,
  medianMs: round(median(l), 3),
  p99Ms: round(percentile(l, 99), 3),
  maxMs: round(Math.max(...l), 3),
});

export async function benchAdoption(db: BenchDatabase, symbols: number, minutes: number): Promise<AdoptionBenchResult> {
  const name = `frontier_bench_adopt_${process.pid}`;
  await db.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await db.pool.query(`CREATE DATABASE ${name} TEMPLATE template0`);
  const url = new URL(db.url);
  url.pathname = `/${name}`;
  const loadStarted = performance.now();
  try {
    await buildLegacy(url.toString(), symbols, minutes);
    const loadSeconds = round((performance.now() - loadStarted) / 1000, 1);
    const inserter = new pg.Client({ connectionString: url.toString() });
    const sampler = new pg.Client({ connectionString: url.toString() });
    await inserter.connect();
    await sampler.connect();
    try {
      const pid = (await inserter.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      const liveStart = minutes + 10;
      const baselineUntil = performance.now() + 3_000;
      const baseline = await insertLoop(inserter, liveStart, () => performance.now() > baselineUntil);

      let done = false;
      let lockSamples = 0;
      let samples = 0;
      const SAMPLE_MS = 10;
      const sampling = (async () => {
        while (!done) {
          const { rows } = await sampler.query(
            `SELECT 1 FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'`,
            [pid],
          );
          samples += 1;
          if (rows.length) lockSamples += 1;
          await sleep(SAMPLE_MS);
        }
      })();
      const during = insertLoop(inserter, baseline.next, () => done);
      const t0 = performance.now();
      const result = await migrateDatabase(url.toString()).finally(() => {
        done = true;
      });
      const adoptionMs = round(performance.now() - t0, 0);
      const { latencies } = await during;
      await sampling;
      const typical = median(baseline.latencies);
      const stalls = latencies.map((l) => Math.max(0, l - typical));
      return {
        sourceRows: symbols * minutes,
        aggRows: symbols * Math.floor(minutes / 5),
        loadSeconds,
        adoptionMs,
        applied: result.applied,
        baseline: stats(baseline.latencies),
        during: stats(latencies),
        totalStallMs: round(
          stalls.reduce((a, b) => a + b, 0),
          1,
        ),
        maxStallMs: round(Math.max(...stalls), 1),
        slowInserts: latencies.filter((l) => l > 100).length,
        lockWaitMs: lockSamples * SAMPLE_MS,
        samples,
      };
    } finally {
      await inserter.end();
      await sampler.end();
    }
  } finally {
    await db.pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }
}
