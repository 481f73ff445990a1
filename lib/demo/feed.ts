import type pg from 'pg';
import { log } from '../server/log';
import { floorMinute, insertDemoBars, lastBars, MINUTE_MS, walkBars, type DemoBar } from './bars';
import { demoMarkets, fillFrom } from './calendar';
import { DEMO_SYMBOLS, isLive, type DemoSymbol } from './symbols';
import { correctLateMinute, LATE_EVERY_MINUTES } from './late';

/**
 * Appends the bars of every finished minute since each live symbol's last bar. Filling the
 * whole gap (not just "the last minute") means a missed tick, a suspended laptop or a
 * restart leaves no hole in the source.
 */
export async function appendLiveBars(
  pool: pg.Pool,
  now: Date = new Date(),
  symbols: readonly DemoSymbol[] = DEMO_SYMBOLS,
  random: () => number = Math.random,
): Promise<number> {
  const live = symbols.filter(isLive);
  const last = await lastBars(
    pool,
    live.map((s) => s.symbol),
  );
  const end = floorMinute(now);
  const bars: DemoBar[] = [];
  const markets = await demoMarkets(
    pool,
    live.map((s) => s.symbol),
    end,
  ); // a closed market trades nothing
  for (const spec of live) {
    const previous = last.get(spec.symbol);
    const from = previous && fillFrom(previous.ts, markets.get(spec.symbol));
    if (previous && from) bars.push(...walkBars(spec, previous.close, from, end, random));
  }
  return insertDemoBars(pool, bars);
}

export interface DemoFeed {
  stop: () => Promise<void>;
}

// A second past the minute: the bar of the minute that just ended is then complete.
const TICK_OFFSET_MS = 1_000;

/** A new bar every minute for each live symbol, until stop(). Logs an outage once, not each minute. */
export function startDemoFeed(pool: pg.Pool): DemoFeed {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let failing = false;

  const tick = async (): Promise<void> => {
    try {
      const inserted = await appendLiveBars(pool);
      if (new Date().getUTCMinutes() % LATE_EVERY_MINUTES === 0) await correctLateMinute(pool); // for the audit to repair
      if (failing) log.info('demo feed: database reachable again', { bars: inserted });
      failing = false;
      log.debug('demo feed: bars appended', { bars: inserted });
    } catch (error) {
      if (!failing) log.warn('demo feed: cannot append bars; retrying every minute', { error: String(error) });
      failing = true;
    }
  };
  const schedule = (): void => {
    if (stopped) return;
    const now = Date.now();
    const delay = floorMinute(new Date(now)).getTime() + MINUTE_MS + TICK_OFFSET_MS - now;
    timer = setTimeout(() => {
      running = tick().finally(schedule);
    }, delay);
  };
  schedule();

  return {
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
