import type pg from 'pg';
import { MINUTE_MS } from './bars';
import type { DemoSymbol } from './symbols';

/**
 * The demo exchange: a market calendar that is closed when the demo first starts, whatever
 * the hour, so that the dashboard shows CLOSED ("market closed, opens in 2 h 59 min"). Every
 * day it trades 19 hours and is closed for 5: from two hours before the first seed to three
 * hours after. Created once; a restart keeps it, like an operator's calendar.
 */
export const DEMO_CALENDAR = 'demo-exchange';
const CLOSED_BEFORE_MINUTES = 120;
const CLOSED_AFTER_MINUTES = 180;

export async function seedDemoCalendar(pool: pg.Pool, now: Date, symbols: readonly DemoSymbol[]): Promise<void> {
  const members = symbols.filter((s) => s.demoExchange).map((s) => s.symbol);
  if (members.length === 0) return;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const created = await client.query(
      `INSERT INTO market_calendars (calendar, time_zone, description) VALUES ($1, 'UTC', $2) ON CONFLICT DO NOTHING`,
      [DEMO_CALENDAR, 'demo: trades 19 h a day, closed around the time the demo was first started'],
    );
    if (created.rowCount === 1) {
      // One session a day, opening at the end of the closed window and closing at its start
      // the next day (an overnight session when the window is not around midnight).
      await client.query(
        `INSERT INTO market_calendar_sessions (calendar, open_dow, open_time, close_dow, close_time)
         SELECT $1, d, (o AT TIME ZONE 'UTC')::time,
                (d + CASE WHEN (c AT TIME ZONE 'UTC')::time <= (o AT TIME ZONE 'UTC')::time THEN 1 ELSE 0 END) % 7,
                (c AT TIME ZONE 'UTC')::time
           FROM generate_series(0, 6) d,
                (SELECT $2::timestamptz + make_interval(mins => $3) AS o, $2::timestamptz - make_interval(mins => $4) AS c) w`,
        [DEMO_CALENDAR, now, CLOSED_AFTER_MINUTES, CLOSED_BEFORE_MINUTES],
      );
    }
    await client.query(
      `INSERT INTO market_calendar_assignments (match, pattern, calendar) SELECT 'exact', s, $1 FROM unnest($2::text[]) s ON CONFLICT DO NOTHING`,
      [DEMO_CALENDAR, members],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw new Error('creating the demo calendar failed', { cause: error });
  } finally {
    client.release();
  }
}

export interface DemoMarket {
  isOpen: boolean;
  openedAt: Date | null;
  lastClosedAt: Date | null;
}

/** What the calendars say at `now` for the symbols that have one (the feed trades only then). */
export async function demoMarkets(
  pool: pg.Pool,
  symbols: readonly string[],
  now: Date,
): Promise<Map<string, DemoMarket>> {
  const result = await pool.query<{
    symbol: string;
    is_open: boolean;
    opened_at_utc: Date | null;
    last_closed_at_utc: Date | null;
  }>(
    `SELECT s AS symbol, m.is_open, m.opened_at_utc, m.last_closed_at_utc
       FROM unnest($1::text[]) s, market_session_at(s, $2) m WHERE m.calendar IS NOT NULL`,
    [symbols, now],
  );
  return new Map(
    result.rows.map((r) => [
      r.symbol,
      { isOpen: r.is_open, openedAt: r.opened_at_utc, lastClosedAt: r.last_closed_at_utc },
    ]),
  );
}

/** The first minute to fill after `previous`: never inside a closed market; null while closed. */
export function fillFrom(previous: Date, market: DemoMarket | undefined): Date | null {
  const next = new Date(previous.getTime() + MINUTE_MS);
  if (!market) return next;
  if (!market.isOpen) return null;
  return market.openedAt && market.openedAt > next ? market.openedAt : next;
}

/** Where a back-fill ends: at the last close when the market is closed now. */
export function backfillEnd(end: Date, market: DemoMarket | undefined): Date {
  return market && !market.isOpen && market.lastClosedAt && market.lastClosedAt < end ? market.lastClosedAt : end;
}
