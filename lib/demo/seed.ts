import type pg from 'pg';
import { floorMinute, insertDemoBars, lastBars, MINUTE_MS, walkBars, type DemoBar } from './bars';
import { backfillEnd, demoMarkets, fillFrom, seedDemoCalendar } from './calendar';
import {
  AHEAD_BY_DAYS,
  ALL_TIMEFRAMES,
  CORRUPT_BAR_MINUTES_AGO,
  DEMO_SYMBOLS,
  historyMinutes,
  isLive,
  STALE_SOURCE_STOPPED_MINUTES,
  type DemoSymbol,
} from './symbols';

export interface SeedOptions {
  /** the wall clock to seed up to (tests move it); default: now */
  now?: Date;
  random?: () => number;
  /** grace of the initial catch-up, as the worker's WORKER_GRACE_MINUTES */
  graceMinutes?: number;
  symbols?: readonly DemoSymbol[];
}

export interface SeedResult {
  /** symbols given their history now (empty on a restart) */
  backfilled: string[];
  barsInserted: number;
  pairsRegistered: number;
  /** pairs caught up right away, as if the pipeline had been running all along */
  pairsCaughtUp: number;
}

/**
 * Idempotent: the first call back-fills history and registers the pairs with their parts to
 * play; a later call (a restart) only fills the gap since each live symbol's last bar.
 * Pairs that already exist are never touched again, so an operator's fix (a bootstrap, a
 * reset) survives restarts.
 */
export async function seedDemo(pool: pg.Pool, options: SeedOptions = {}): Promise<SeedResult> {
  const symbols = options.symbols ?? DEMO_SYMBOLS;
  const random = options.random ?? Math.random;
  const end = floorMinute(options.now ?? new Date());
  const last = await lastBars(
    pool,
    symbols.map((s) => s.symbol),
  );
  await seedDemoCalendar(pool, end, symbols);
  const markets = await demoMarkets(
    pool,
    symbols.map((s) => s.symbol),
    end,
  ); // no bars while a market is closed

  const backfilled: string[] = [];
  const bars: DemoBar[] = [];
  for (const spec of symbols) {
    const previous = last.get(spec.symbol);
    if (!previous) {
      backfilled.push(spec.symbol);
      bars.push(...backfill(spec, backfillEnd(end, markets.get(spec.symbol)), random));
    } else if (isLive(spec)) {
      const from = fillFrom(previous.ts, markets.get(spec.symbol));
      if (from) bars.push(...walkBars(spec, previous.close, from, end, random));
    }
  }
  const barsInserted = await insertDemoBars(pool, bars);
  const created = await registerPairs(pool, symbols);
  let pairsCaughtUp = 0;
  for (const pair of created) {
    if (pair.catchUp === 'now') {
      await pool.query('SELECT run_catchup($1, $2, 1000000, $3)', [
        pair.symbol,
        pair.timeframe,
        options.graceMinutes ?? 1,
      ]);
    } else if (pair.catchUp === 'until_glitch') {
      // The pipeline ran fine until the vendor's glitch: caught up to the window before the
      // corrupt bar, so the next run of every pair whose window holding it is complete fails.
      const glitch = new Date(end.getTime() - CORRUPT_BAR_MINUTES_AGO * MINUTE_MS);
      await pool.query(
        `SELECT catchup_aggregation_range(canonical_symbol, timeframe, last_agg_bar_ts_utc, 1000000, $3, 0, true)
           FROM data_agg_state WHERE canonical_symbol = $1 AND timeframe = $2 FOR UPDATE`,
        [pair.symbol, pair.timeframe, glitch],
      );
    } else continue;
    pairsCaughtUp += 1;
  }
  return { backfilled, barsInserted, pairsRegistered: created.length, pairsCaughtUp };
}

function backfill(spec: DemoSymbol, end: Date, random: () => number): DemoBar[] {
  const from = new Date(end.getTime() - historyMinutes(spec) * MINUTE_MS);
  const to = spec.role === 'stale_source' ? new Date(end.getTime() - STALE_SOURCE_STOPPED_MINUTES * MINUTE_MS) : end;
  const bars = walkBars(spec, spec.startPrice, from, to, random);
  if (spec.role === 'corrupt_bar') {
    // A vendor glitch: high and low swapped (and apart), the kind of bar the aggregation refuses.
    const at = end.getTime() - CORRUPT_BAR_MINUTES_AGO * MINUTE_MS;
    const bar = bars.find((b) => b.ts.getTime() === at);
    if (bar) {
      const high = bar.low * 0.999;
      bar.low = bar.high * 1.001;
      bar.high = Math.round(high * 1000) / 1000;
    }
  }
  return bars;
}

interface CreatedPair {
  symbol: string;
  timeframe: string;
  catchUp: 'now' | 'until_glitch' | 'no';
}

/** One transaction: a pair and the part it plays are created together or not at all. */
async function registerPairs(pool: pg.Pool, symbols: readonly DemoSymbol[]): Promise<CreatedPair[]> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const created: CreatedPair[] = [];
    for (const spec of symbols) {
      const inserted = await client.query<{ timeframe: string }>(
        `INSERT INTO data_agg_state (canonical_symbol, timeframe)
         SELECT $1, tf FROM unnest($2::text[]) AS tf
         ON CONFLICT (canonical_symbol, timeframe) DO NOTHING
         RETURNING timeframe`,
        [spec.symbol, [...ALL_TIMEFRAMES]],
      );
      for (const { timeframe } of inserted.rows) {
        if (timeframe === spec.nullCursor) {
          created.push({ symbol: spec.symbol, timeframe, catchUp: 'no' });
          continue; // registered, never bootstrapped: the worker fails it loudly every pass
        }
        await client.query('SELECT bootstrap_aggregation_cursor($1, $2)', [spec.symbol, timeframe]);
        if (timeframe === spec.aheadCursor) {
          // The old aggregator's bug: a cursor run past the source frontier.
          await client.query(
            `UPDATE data_agg_state s
                SET last_agg_bar_ts_utc = agg_window_start(t.step,
                      (SELECT max(ts_utc) FROM bars_1m WHERE canonical_symbol = $1) + make_interval(days => $3))
               FROM agg_timeframes t
              WHERE t.timeframe = s.timeframe AND s.canonical_symbol = $1 AND s.timeframe = $2`,
            [spec.symbol, timeframe, AHEAD_BY_DAYS],
          );
        }
        if (timeframe === spec.disabled) {
          await client.query(
            'UPDATE data_agg_state SET enabled = false WHERE canonical_symbol = $1 AND timeframe = $2',
            [spec.symbol, timeframe],
          );
        }
        const special = timeframe === spec.aheadCursor || timeframe === spec.disabled;
        const catchUp =
          special || spec.role === 'far_behind' ? 'no' : spec.role === 'corrupt_bar' ? 'until_glitch' : 'now';
        created.push({ symbol: spec.symbol, timeframe, catchUp });
      }
    }
    await client.query('COMMIT');
    return created;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw new Error('registering the demo pairs failed', { cause: error });
  } finally {
    client.release();
  }
}
