// API under many viewers: 1, 50 and 200 concurrent clients polling /api/health (on 127.0.0.1,
// bounded in time) against the built app; latency and the database transactions actually issued.
import autocannon from 'autocannon';
import { round, startDashboard, type BenchDatabase } from './support';
import { seedPairs } from './worker-pass';

export interface LoadRow {
  path: string;
  clients: number;
  requests: number;
  p50: number;
  p99: number;
  errors: number;
  dbTransactions: number;
}

async function transactions(db: BenchDatabase): Promise<number> {
  await new Promise((resolve) => setTimeout(resolve, 1_200)); // backends flush their counters about once a second
  const result = await db.pool.query<{ n: string }>(
    'SELECT xact_commit + xact_rollback AS n FROM pg_stat_database WHERE datname = current_database()',
  );
  return Number(result.rows[0]!.n);
}

export async function benchApiLoad(db: BenchDatabase, symbols: number, seconds: number): Promise<LoadRow[]> {
  await seedPairs(db.pool, symbols, 30, true);
  // Autovacuum's own transactions would be counted as the dashboard's: off for this benchmark.
  for (const table of ['bars_1m', 'bars_agg', 'data_agg_state', 'data_agg_runs', 'agg_timeframes']) {
    await db.pool.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
  }
  const { base, stop } = await startDashboard(db.url);
  const rows: LoadRow[] = [];
  try {
    for (const path of ['/api/health?limit=100', '/api/health/summary']) {
      await fetch(base + path); // warm-up: compile, plan, first snapshot
      for (const clients of [1, 50, 200]) {
        const before = await transactions(db);
        const result = await autocannon({ url: base + path, connections: clients, duration: seconds });
        const after = await transactions(db);
        rows.push({
          path,
          clients,
          requests: result.requests.total,
          p50: result.latency.p50,
          p99: result.latency.p99,
          errors: result.errors + result.non2xx,
          dbTransactions: after - before - 1, // minus our own reading
        });
      }
    }
  } finally {
    stop();
  }
  return rows.map((r) => ({ ...r, p50: round(r.p50), p99: round(r.p99) }));
}
