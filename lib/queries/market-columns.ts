import type { MarketSession } from '../health/market-session';

/**
 * A symbol's market session (v_symbol_market_session, sql/009) joined into the frontier
 * queries as one text column, `market_json`: NULL for a symbol with no calendar. Built once
 * per symbol inside the subquery (OFFSET 0 keeps the planner from moving it up), and parsed
 * once per symbol below, not once per pair: with every symbol of a 30,000-pair book on a
 * calendar, 5,000 small JSON texts instead of eleven more columns on 30,000 rows. The explicit
 * COLLATE "C" lets the join work on an adopted database whose symbol columns have another one.
 */
const stamp = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

export const MARKET_JOIN = `LEFT JOIN (
    SELECT canonical_symbol, json_build_object(
             'calendar', calendar, 'timeZone', time_zone, 'isOpen', is_open,
             'openedAt', ${stamp('opened_at_utc')}, 'closesAt', ${stamp('closes_at_utc')},
             'nextOpensAt', ${stamp('next_opens_at_utc')}, 'lastClosedAt', ${stamp('last_closed_at_utc')},
             'minutesSinceOpen', minutes_since_open, 'minutesUntilClose', minutes_until_close,
             'minutesUntilOpen', minutes_until_open, 'minutesSinceClose', minutes_since_close)::text AS market_json
      FROM v_symbol_market_session OFFSET 0) m ON m.canonical_symbol = v.canonical_symbol COLLATE "C"`;

export const MARKET_SELECT = 'm.market_json';

export interface MarketDbColumns {
  market_json: string | null;
}

/**
 * Parses each distinct text once: the rows of one symbol share it. Call one per query result
 * (the cache lives as long as the returned function).
 */
export function marketParser(): (row: MarketDbColumns) => MarketSession | null {
  const seen = new Map<string, MarketSession>();
  return (row) => {
    if (row.market_json === null) return null;
    let market = seen.get(row.market_json);
    if (!market) {
      market = JSON.parse(row.market_json) as MarketSession;
      seen.set(row.market_json, market);
    }
    return market;
  };
}
