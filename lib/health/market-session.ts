import type { FrontierRow, HealthThresholds } from '../shared/types';
import { formatMinutes } from '../shared/duration';

/**
 * A symbol's market session as v_symbol_market_session reports it now (sql/009). The SQL
 * decides open or closed, so every process agrees; this module only turns that into the
 * health rules' silence and sentences. Pure: minutes are measured by the database's now().
 */
export interface MarketSession {
  calendar: string;
  timeZone: string;
  isOpen: boolean;
  /** start of the session that is open now; null when closed or open for more than 7 days */
  openedAt: string | null;
  /** end of the session that is open now; null when closed or not within 4 weeks */
  closesAt: string | null;
  /** next start when closed; null when open or none within 5 weeks */
  nextOpensAt: string | null;
  /** the latest end before now (within 15 days) */
  lastClosedAt: string | null;
  minutesSinceOpen: number | null;
  minutesUntilClose: number | null;
  minutesUntilOpen: number | null;
  minutesSinceClose: number | null;
}

/** "market closed, opens in 2 h 10 min" / "market open, closes in 3 h 5 min" / "always open". */
export function describeMarket(market: MarketSession | null | undefined): string {
  if (!market) return 'always open (no calendar)';
  if (market.isOpen) {
    return market.minutesUntilClose === null
      ? 'market open'
      : `market open, closes in ${formatMinutes(market.minutesUntilClose)}`;
  }
  return market.minutesUntilOpen === null
    ? 'market closed, no session in the next 5 weeks'
    : `market closed, opens in ${formatMinutes(market.minutesUntilOpen)}`;
}

export interface SourceSilence {
  /** the feed counts as stale (SOURCE_STALE) */
  stale: boolean;
  /** minutes of silence that count: trading time only when the feed was fine at the last close */
  minutes: number;
  /** what the sentence adds about the session, starting with "; " or empty */
  note: string;
}

/**
 * How long the feed has been silent while its market was open. With no calendar: the source
 * age. Closed: stale only if the feed had already been silent for the threshold when the
 * market closed (a feed that died during the session stays a problem over the weekend).
 * Open: silence counts from the session's open, unless the feed was already stale at the
 * last close (then there is no grace after the open).
 */
export function sourceSilence(row: FrontierRow, t: HealthThresholds): SourceSilence | null {
  const age = row.sourceAgeMinutes;
  if (age === null) return null;
  const market = row.market;
  if (!market) return { stale: age >= t.sourceStaleMinutes, minutes: age, note: '' };
  const silentAtClose = market.minutesSinceClose !== null ? age - market.minutesSinceClose : null;
  const staleAtClose = silentAtClose !== null && silentAtClose >= t.sourceStaleMinutes;
  if (!market.isOpen) {
    return {
      stale: staleAtClose,
      minutes: age,
      note: staleAtClose ? `; it went quiet ${formatMinutes(silentAtClose ?? 0)} before the market closed` : '',
    };
  }
  if (staleAtClose || market.minutesSinceOpen === null || market.minutesSinceOpen >= age) {
    return { stale: age >= t.sourceStaleMinutes, minutes: age, note: '' };
  }
  return {
    stale: market.minutesSinceOpen >= t.sourceStaleMinutes,
    minutes: market.minutesSinceOpen,
    note: ` since the market opened (last bar ${formatMinutes(age)} ago)`,
  };
}

/** The CLOSED finding's sentence and action, for a pair whose market is closed now. */
export function closedFinding(row: FrontierRow): { reason: string; action: string } | null {
  const market = row.market;
  if (!market || market.isOpen) return null;
  // Bars after the close (extended hours) are no problem either; say so rather than hide it.
  const delivering =
    row.sourceAgeMinutes !== null &&
    market.minutesSinceClose !== null &&
    row.sourceAgeMinutes < market.minutesSinceClose;
  return {
    reason: `${describeMarket(market)} (calendar ${market.calendar})${delivering ? '; the feed still delivers' : ''}`,
    action: `nothing to do: the market is closed (calendar ${market.calendar}, ${market.timeZone}); check with: npm run ops -- calendar check ${row.symbol}`,
  };
}
