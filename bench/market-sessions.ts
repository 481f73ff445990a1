// Market sessions in the health snapshot: the dashboard's one statement for every pair
// (lib/queries/frontier.ts) with v_symbol_market_session joined, against the same
// statement without it, in one run: with no calendar at all (every user before sql/009) and
// with every symbol on a calendar (half by exact name, half by LIKE pattern).
import { FRONTIER_SELECT } from '../lib/queries/frontier';
import { median, round, timed, type BenchDatabase } from './support';

export interface SessionBenchRow {
  setup: string;
  pairs: number;
  withMs: number;
  withoutMs: number;
  addedMs: number;
  viewMs: number;
  /** the same statements read by node-postgres (transfer and parsing included) */
  withReadMs: number;
  withoutReadMs: number;
}

const WITHOUT = FRONTIER_SELECT.replace(/, m\.market_json/, '').replace(/\n {2}LEFT JOIN \([\s\S]*$/, '');

async function serverMs(db: BenchDatabase, sql: string): Promise<number> {
  const plan = await db.pool.query<{ 'QUERY PLAN': Array<{ 'Execution Time': number }> }>(
    `EXPLAIN (ANALYZE, TIMING OFF, FORMAT JSON) ${sql}`,
  );
  return plan.rows[0]!['QUERY PLAN'][0]!['Execution Time'];
}

async function compare(db: BenchDatabase, setup: string, repetitions: number): Promise<SessionBenchRow> {
  const withJoin: number[] = [];
  const without: number[] = [];
  const view: number[] = [];
  const withRead: number[] = [];
  const withoutRead: number[] = [];
  for (let i = 0; i < repetitions + 1; i++) {
    const a = await serverMs(db, FRONTIER_SELECT);
    const b = await serverMs(db, WITHOUT);
    const c = await serverMs(db, 'SELECT * FROM v_symbol_market_session');
    const d = await timed(() => db.pool.query(FRONTIER_SELECT));
    const e = await timed(() => db.pool.query(WITHOUT));
    if (i === 0) continue; // warm-up
    withJoin.push(a);
    without.push(b);
    view.push(c);
    withRead.push(d);
    withoutRead.push(e);
  }
  const pairs = (await db.pool.query(FRONTIER_SELECT)).rowCount ?? 0;
  const w = median(withJoin);
  const o = median(without);
  return {
    setup,
    pairs,
    withMs: round(w),
    withoutMs: round(o),
    addedMs: round(w - o),
    viewMs: round(median(view)),
    withReadMs: round(median(withRead)),
    withoutReadMs: round(median(withoutRead)),
  };
}

export async function benchMarketSessions(
  db: BenchDatabase,
  symbols: number,
  repetitions: number,
): Promise<SessionBenchRow[]> {
  if (WITHOUT === FRONTIER_SELECT || WITHOUT.includes('market'))
    throw new Error('could not derive the snapshot statement without sessions');
  const { pool } = db;
  await pool.query('TRUNCATE bars_1m, bars_agg, data_agg_state, data_agg_runs');
  await pool.query('DELETE FROM market_calendar_assignments; DELETE FROM market_calendars');
  await pool.query(
    `
    INSERT INTO bars_1m (canonical_symbol, ts_utc, open, high, low, close, volume)
    SELECT 'SYM' || lpad(s::text, 5, '0'), date_trunc('minute', now()) - m * interval '1 minute', 100, 101, 99, 100, 1
      FROM generate_series(0, $1::int - 1) s, generate_series(1, 30) m`,
    [symbols],
  );
  await pool.query(
    `
    INSERT INTO data_agg_state (canonical_symbol, timeframe, last_agg_bar_ts_utc, last_success_utc, recent_bars, recent_bars_sum)
    SELECT 'SYM' || lpad(s::text, 5, '0'), t.timeframe, agg_window_start(t.step, now() - 2 * t.step), now(), '{1}', 1
      FROM generate_series(0, $1::int - 1) s CROSS JOIN agg_timeframes t`,
    [symbols],
  );
  await pool.query('VACUUM ANALYZE');
  const rows = [await compare(db, 'no calendar', repetitions)];

  await pool.query(`
    INSERT INTO market_calendars (calendar, time_zone) VALUES ('nyse', 'America/New_York'), ('fx', 'America/New_York'), ('cme', 'America/Chicago'), ('crypto', 'UTC');
    INSERT INTO market_calendar_sessions SELECT 'nyse', d, '09:30', d, '16:00' FROM generate_series(1, 5) d;
    INSERT INTO market_calendar_sessions VALUES ('fx', 0, '17:00', 5, '17:00'), ('crypto', 0, '00:00', 0, '00:00');
    INSERT INTO market_calendar_sessions SELECT 'cme', d, '17:00', d + 1, '16:00' FROM generate_series(0, 4) d;
    INSERT INTO market_calendar_closures SELECT 'nyse', d::date FROM generate_series(current_date - 30, current_date + 365, interval '7 days') d;`);
  // Half the symbols by exact name; the other half by ten LIKE patterns (SYM0%, SYM1%, … overlap on purpose).
  await pool.query(
    `
    INSERT INTO market_calendar_assignments (match, pattern, calendar)
    SELECT 'exact', 'SYM' || lpad(s::text, 5, '0'), (ARRAY['nyse', 'fx', 'cme', 'crypto'])[1 + s % 4]
      FROM generate_series(0, $1::int - 1, 2) s`,
    [symbols],
  );
  await pool.query(`
    INSERT INTO market_calendar_assignments (match, pattern, calendar)
    SELECT 'like', 'SYM' || d || '%', (ARRAY['nyse', 'fx', 'cme', 'crypto'])[1 + d % 4] FROM generate_series(0, 9) d`);
  await pool.query('ANALYZE market_calendar_assignments');
  rows.push(
    await compare(db, `every symbol on a calendar (${Math.ceil(symbols / 2)} exact, 10 patterns)`, repetitions),
  );
  return rows;
}
