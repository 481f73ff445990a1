import type { MarketSession } from '../market-session';

/**
 * The market-session columns of v_symbol_market_session (sql/010), joined into the frontier
 * queries as `m`: NULL for a symbol with no calendar. Formatted once per symbol inside the
 * subquery (OFFSET 0 keeps the planner from moving it up), not once per pair: with every
 * symbol on a calendar that is 5,000 rows formatted instead of 30,000.
 */
const stamp = (column: string, as: string) =>
  `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ${as}`;

export const MARKET_JOIN = `LEFT JOIN (
    SELECT canonical_symbol, calendar AS market_calendar, time_zone AS market_time_zone, is_open AS market_is_open,
           ${stamp('opened_at_utc', 'market_opened_at')}, ${stamp('closes_at_utc', 'market_closes_at')},
           ${stamp('next_opens_at_utc', 'market_next_opens_at')}, ${stamp('last_closed_at_utc', 'market_last_closed_at')},
           minutes_since_open AS market_minutes_since_open, minutes_until_close AS market_minutes_until_close,
           minutes_until_open AS market_minutes_until_open, minutes_since_close AS market_minutes_since_close
      FROM v_symbol_market_session OFFSET 0) m ON m.canonical_symbol = v.canonical_symbol`;

export const MARKET_SELECT = [
  'market_calendar', 'market_time_zone', 'market_is_open', 'market_opened_at', 'market_closes_at', 'market_next_opens_at',
  'market_last_closed_at', 'market_minutes_since_open', 'market_minutes_until_close', 'market_minutes_until_open',
  'market_minutes_since_close',
].map((column) => `m.${column}`).join(', ');

export interface MarketDbColumns {
  market_calendar: string | null;
  market_time_zone: string | null;
  market_is_open: boolean | null;
  market_opened_at: string | null;
  market_closes_at: string | null;
  market_next_opens_at: string | null;
  market_last_closed_at: string | null;
  market_minutes_since_open: number | null;
  market_minutes_until_close: number | null;
  market_minutes_until_open: number | null;
  market_minutes_since_close: number | null;
}

export function toMarketSession(row: MarketDbColumns): MarketSession | null {
  if (row.market_calendar === null) return null;
  return {
    calendar: row.market_calendar,
    timeZone: row.market_time_zone ?? 'UTC',
    isOpen: row.market_is_open ?? true,
    openedAt: row.market_opened_at,
    closesAt: row.market_closes_at,
    nextOpensAt: row.market_next_opens_at,
    lastClosedAt: row.market_last_closed_at,
    minutesSinceOpen: row.market_minutes_since_open,
    minutesUntilClose: row.market_minutes_until_close,
    minutesUntilOpen: row.market_minutes_until_open,
    minutesSinceClose: row.market_minutes_since_close,
  };
}
