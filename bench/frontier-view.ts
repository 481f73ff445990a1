// Frontier view at scale: the full read of v_aggregation_frontier_health against the original
// formulation (the same view with F found by GROUP BY canonical_symbol over all of bars_1m),
// side by side in one run, medians of alternating reads.
import { median, round, timed, type BenchDatabase } from './support';

export interface FrontierBenchSize {
  symbols: number;
  minutesPerSymbol: number;
}
export interface FrontierBenchResult extends FrontierBenchSize {
  pairs: number;
  sourceRows: number;
  viewMs: number;
  seedMs: number;
  ratio: number;
  viewServerMs: number;
  seedServerMs: number;
}

const TIMEFRAMES = ['5m', '15m', '30m', '1h', '4h', '1d'];

async function seed(db: BenchDatabase, size: FrontierBenchSize): Promise<void> {
  const { pool } = db;
  await pool.query('TRUNCATE bars_1m, bars_agg, data_agg_state, data_agg_runs');
  // Symbols in batches so no single statement holds gigabytes of sort memory.
  for (let first = 0; first < size.symbols; first += 250) {
    await pool.query(
      `
      INSERT INTO bars_1m (canonical_symbol, ts_utc, open, high, low, close, volume)
      SELECT 'SYM' || lpad(s::text, 5, '0'), date_trunc('minute', now()) - (m + (s % 7)) * interval '1 minute',
             100 + s % 50, 100.5 + s % 50, 99.5 + s % 50, 100.1 + s % 50, m % 100
        FROM generate_series($1::int, $2::int) s, generate_series(0, $3::int - 1) m`,
      [first, Math.min(size.symbols, first + 250) - 1, size.minutesPerSymbol],
    );
  }
  await pool.query(
    `
    INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc, last_attempt_utc, last_success_utc,
                                total_runs, total_bars_written, recent_bars, recent_bars_sum, consecutive_failures, last_error)
    SELECT 'SYM' || lpad(s::text, 5, '0'), t.timeframe,
           CASE WHEN s % 97 = 0 THEN NULL
                ELSE agg_window_start(t.step, now() - (s % 180) * interval '1 minute' - 2 * t.step) END,
           now() - (s % 90) * interval '1 minute', now() - (s % 90) * interval '1 minute',
           1000 + s, 5000 + s, '{1,2,0,3,1}', 7, CASE WHEN s % 53 = 0 THEN 3 ELSE 0 END,
           CASE WHEN s % 53 = 0 THEN 'corrupt source data' END
      FROM generate_series(0, $1::int - 1) s CROSS JOIN agg_timeframes t`,
    [size.symbols],
  );
  await pool.query('VACUUM ANALYZE');
}

export async function benchFrontierView(
  db: BenchDatabase,
  size: FrontierBenchSize,
  repetitions: number,
): Promise<FrontierBenchResult> {
  await seed(db, size);
  const { pool } = db;
  const [{ definition }] = (
    await pool.query<{ definition: string }>(
      `SELECT pg_get_viewdef('v_aggregation_frontier_health'::regclass) AS definition`,
    )
  ).rows as [{ definition: string }];
  // The original formulation: identical columns, F from one GROUP BY over every source row.
  const seedDefinition = definition.replace(
    /LEFT JOIN LATERAL \([\s\S]*?\) f ON \(?true\)?/,
    'LEFT JOIN (SELECT canonical_symbol, max(ts_utc) AS max_ts FROM bars_1m GROUP BY canonical_symbol) f ON f.canonical_symbol = s.canonical_symbol',
  );
  if (seedDefinition === definition)
    throw new Error('could not derive the original formulation from the view definition');
  await pool.query(`CREATE OR REPLACE VIEW bench_seed_frontier_health AS ${seedDefinition}`);

  const view: number[] = [];
  const seedRead: number[] = [];
  const viewServer: number[] = [];
  const seedServer: number[] = [];
  const serverMs = async (sql: string) => {
    const plan = await pool.query<{ 'QUERY PLAN': Array<{ 'Execution Time': number }> }>(
      `EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${sql}`,
    );
    return plan.rows[0]!['QUERY PLAN'][0]!['Execution Time'];
  };
  let rows = 0;
  for (let i = 0; i < repetitions + 1; i++) {
    const v = await timed(async () => {
      rows = (await pool.query('SELECT * FROM v_aggregation_frontier_health')).rowCount ?? 0;
    });
    const s = await timed(() => pool.query('SELECT * FROM bench_seed_frontier_health'));
    if (i === 0) continue; // warm-up
    view.push(v);
    seedRead.push(s);
    viewServer.push(await serverMs('SELECT * FROM v_aggregation_frontier_health'));
    seedServer.push(await serverMs('SELECT * FROM bench_seed_frontier_health'));
  }
  if (rows !== size.symbols * TIMEFRAMES.length) throw new Error(`view returned ${rows} rows`);
  const [{ n }] = (await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM bars_1m')).rows as [{ n: number }];
  return {
    ...size,
    pairs: rows,
    sourceRows: n,
    viewMs: round(median(view)),
    seedMs: round(median(seedRead)),
    ratio: round(median(seedRead) / median(view), 1),
    viewServerMs: round(median(viewServer)),
    seedServerMs: round(median(seedServer)),
  };
}
