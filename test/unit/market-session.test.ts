import { describe, expect, test } from 'vitest';
import { DEFAULT_THRESHOLDS, derivePairHealth, isProblem, severityOf } from '../../lib/health/rules';
import { describeMarket, type MarketSession } from '../../lib/health/market-session';
import type { FrontierRow, HealthState } from '../../lib/shared/types';
import { frontierRow } from '../support/frontier-row';

/** A caught-up 5m pair whose worker ran a minute ago; each case sets the feed and the market. */
function row(change: Partial<FrontierRow> = {}): FrontierRow {
  return frontierRow({ symbol: 'AAPL', lastAttemptUtc: null, recentBars: [1, 1, 1], market: null, ...change });
}

const closed = (change: Partial<MarketSession> = {}): MarketSession => ({
  calendar: 'us-equities',
  timeZone: 'America/New_York',
  isOpen: false,
  openedAt: null,
  closesAt: null,
  nextOpensAt: '2026-03-02T14:30:00.000Z',
  lastClosedAt: '2026-02-27T21:00:00.000Z',
  minutesSinceOpen: null,
  minutesUntilClose: null,
  minutesUntilOpen: 130,
  minutesSinceClose: 129,
  ...change,
});
const open = (change: Partial<MarketSession> = {}): MarketSession =>
  closed({ isOpen: true, nextOpensAt: null, minutesUntilOpen: null, minutesUntilClose: 300, ...change });

const t = DEFAULT_THRESHOLDS; // source stale after 15 min

describe('market sessions: CLOSED vs SOURCE_STALE (threshold 15 min)', () => {
  test.each<[string, Partial<FrontierRow>, HealthState, string[]]>([
    [
      'no calendar: silent 20 min is stale, as before',
      { sourceAgeMinutes: 20 },
      'SOURCE_STALE',
      ['source feed silent for 20 min, threshold 15 min, policy default; the aggregator is fine'],
    ],
    [
      'closed, silent since the close: CLOSED, opens in 2 h 10 min',
      { sourceAgeMinutes: 130, market: closed() },
      'CLOSED',
      ['market closed, opens in 2 h 10 min (calendar us-equities)'],
    ],
    [
      'FX weekend: silent two days, closed',
      { sourceAgeMinutes: 2900, market: closed({ calendar: 'fx', minutesSinceClose: 2899, minutesUntilOpen: 1420 }) },
      'CLOSED',
      ['market closed, opens in 23 h 40 min (calendar fx)'],
    ],
    [
      'closed, bars after the close (extended hours)',
      { sourceAgeMinutes: 1, market: closed({ minutesSinceClose: 30 }) },
      'CLOSED',
      ['market closed, opens in 2 h 10 min (calendar us-equities); the feed still delivers'],
    ],
    [
      'closed, no session within 5 weeks',
      { sourceAgeMinutes: 500, market: closed({ minutesUntilOpen: null, nextOpensAt: null, minutesSinceClose: 499 }) },
      'CLOSED',
      ['market closed, no session in the next 5 weeks (calendar us-equities)'],
    ],
    [
      'closed, but the feed died an hour before the close: still SOURCE_STALE',
      { sourceAgeMinutes: 200, market: closed({ minutesSinceClose: 140 }) },
      'SOURCE_STALE',
      [
        'source feed silent for 3 h 20 min; it went quiet 60 min before the market closed, threshold 15 min, policy default; the aggregator is fine',
      ],
    ],
    [
      'closed, silent 14 min before the close: CLOSED',
      { sourceAgeMinutes: 154, market: closed({ minutesSinceClose: 140 }) },
      'CLOSED',
      ['market closed, opens in 2 h 10 min (calendar us-equities)'],
    ],
    [
      'opened 10 min ago, no bar yet: not stale yet',
      { sourceAgeMinutes: 1050, market: open({ minutesSinceOpen: 10, minutesSinceClose: 1040 }) },
      'OK',
      ['caught up'],
    ],
    [
      'opened 15 min ago, still silent: SOURCE_STALE from the open',
      { sourceAgeMinutes: 1055, market: open({ minutesSinceOpen: 15, minutesSinceClose: 1045 }) },
      'SOURCE_STALE',
      [
        'source feed silent for 15 min since the market opened (last bar 17 h 35 min ago), threshold 15 min, policy default; the aggregator is fine',
      ],
    ],
    [
      'opened 5 min ago, but already silent at the last close: stale at once',
      { sourceAgeMinutes: 1100, market: open({ minutesSinceOpen: 5, minutesSinceClose: 1040 }) },
      'SOURCE_STALE',
      ['source feed silent for 18 h 20 min, threshold 15 min, policy default; the aggregator is fine'],
    ],
    [
      'open for hours, silent 20 min: stale as without a calendar',
      { sourceAgeMinutes: 20, market: open({ minutesSinceOpen: 200 }) },
      'SOURCE_STALE',
      ['source feed silent for 20 min, threshold 15 min, policy default; the aggregator is fine'],
    ],
    [
      '24/7 calendar (no start in sight): silent 20 min is stale',
      {
        sourceAgeMinutes: 20,
        market: open({ minutesSinceOpen: null, minutesSinceClose: null, minutesUntilClose: null }),
      },
      'SOURCE_STALE',
      ['source feed silent for 20 min, threshold 15 min, policy default; the aggregator is fine'],
    ],
    ['open and fresh', { sourceAgeMinutes: 2, market: open({ minutesSinceOpen: 100 }) }, 'OK', ['caught up']],
  ])('%s', (_name, change, state, reasons) => {
    const health = derivePairHealth(row(change), t);
    expect(health.state).toBe(state);
    expect(health.reasons).toEqual(reasons);
  });

  // A broken cursor, a failing or stalled aggregator, or work waiting are problems whatever the hour.
  test.each<[string, Partial<FrontierRow>, HealthState]>([
    ['FAILING', { consecutiveFailures: 2, lastError: 'boom' }, 'FAILING'],
    ['STALLED (idle runs still succeed when closed)', { minutesSinceSuccess: 90 }, 'STALLED'],
    ['AHEAD', { cursorStatus: 'AHEAD', cursorUtc: '2026-03-02T13:00:00.000Z' }, 'AHEAD'],
    ['NULL', { cursorStatus: 'NULL', cursorUtc: null }, 'NULL'],
    ['LAGGING (bars that exist wait to be aggregated)', { barsBehind: 10 }, 'LAGGING'],
  ])('closed market, %s stays a problem and says the market is closed', (_name, change, state) => {
    const health = derivePairHealth(row({ sourceAgeMinutes: 130, market: closed(), ...change }), t);
    expect(health.state).toBe(state);
    expect(health.reasons.at(-1)).toBe('market closed, opens in 2 h 10 min (calendar us-equities)');
  });

  test('a disabled pair stays DISABLED when its market is closed', () => {
    expect(derivePairHealth(row({ enabled: false, market: closed() }), t).state).toBe('DISABLED');
  });

  test('CLOSED is no problem, ranks just above OK, and says what to check', () => {
    expect(isProblem('CLOSED')).toBe(false);
    expect(severityOf('CLOSED')).toBe(severityOf('OK') - 1);
    expect(severityOf('CLOSED')).toBeGreaterThan(severityOf('INEFFICIENT'));
    expect(derivePairHealth(row({ sourceAgeMinutes: 130, market: closed() }), t).action).toBe(
      'nothing to do: the market is closed (calendar us-equities, America/New_York); check with: npm run ops -- calendar check AAPL',
    );
  });
});

describe('describeMarket', () => {
  test.each<[MarketSession | null, string]>([
    [null, 'always open (no calendar)'],
    [open({ minutesUntilClose: 185.5 }), 'market open, closes in 3 h 5 min'],
    [open({ minutesUntilClose: null }), 'market open'],
    [closed({ minutesUntilOpen: 59.9 }), 'market closed, opens in 59 min'],
    [closed({ minutesUntilOpen: 3 * 1440 + 61 }), 'market closed, opens in 3 d 1 h'],
  ])('%j → %s', (market, text) => {
    expect(describeMarket(market)).toBe(text);
  });
});
