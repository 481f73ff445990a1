import { compareWorstFirst, derivePairHealth } from './rules';
import type { MarketSession } from './market-session';
import type { FrontierRow, HealthListResponse, PairHealth } from '../shared/types';

/**
 * What in a pair's row moves with the clock alone. The view measures ages with the database's
 * now() — the source's age, the minutes since the last success (or since registration), and
 * the market session's four distances to its open and close — each as `now() - <a timestamp in
 * the row>` (or the reverse) in tenths of a minute. Everything else in a row changes only when
 * the database does.
 *
 * So a list of rows answered at one time can be brought to a later time without asking the
 * database: the ages move by the time between, and the health rules (lib/health/rules.ts) run again
 * on them. The API fingerprints everything else (`clockFreeRow`, lib/api/snapshot.ts) and
 * answers 304 while the fingerprint holds; the browser then calls `healthListAsOf` on the rows
 * it holds. One module, so the fields the fingerprint leaves out are the fields moved here.
 */

/** The header with which the API says when the snapshot behind an answer (200 or 304) was made. */
export const GENERATED_AT_HEADER = 'frontier-generated-at';

const tenths = (minutes: number) => Math.round(minutes * 10) / 10;
const later = (minutes: number | null, elapsed: number) => (minutes === null ? null : tenths(minutes + elapsed));
/** A distance to an open or close that has passed stays 0 until the database says what came. */
const sooner = (minutes: number | null, elapsed: number) =>
  minutes === null ? null : Math.max(0, tenths(minutes - elapsed));

function marketAsOf(market: MarketSession, elapsed: number): MarketSession {
  return {
    ...market,
    minutesSinceOpen: later(market.minutesSinceOpen, elapsed),
    minutesUntilClose: sooner(market.minutesUntilClose, elapsed),
    minutesUntilOpen: sooner(market.minutesUntilOpen, elapsed),
    minutesSinceClose: later(market.minutesSinceClose, elapsed),
  };
}

/**
 * The row `elapsedMinutes` later, nothing else having changed. `markets` shares one moved
 * session among the rows of a symbol, as the API's answer shares it.
 */
export function rowAsOf<T extends FrontierRow>(
  row: T,
  elapsedMinutes: number,
  markets = new Map<MarketSession, MarketSession>(),
): T {
  let market = row.market;
  if (market) {
    const moved = markets.get(market) ?? marketAsOf(market, elapsedMinutes);
    markets.set(market, moved);
    market = moved;
  }
  return {
    ...row,
    sourceAgeMinutes: later(row.sourceAgeMinutes, elapsedMinutes),
    minutesSinceSuccess: later(row.minutesSinceSuccess, elapsedMinutes),
    ...(row.market === undefined ? {} : { market }),
  };
}

/**
 * Every field of a row: moved by the clock alone (`rowAsOf` moves it), the market session (its
 * bounds are facts, its distances move), or a fact that changes only with the database. Tied
 * to the types: a field added to FrontierRow or MarketSession and not named here fails the
 * type check, so the fingerprint cannot silently miss it.
 */
const ROW_FIELDS = {
  symbol: 'fact',
  timeframe: 'fact',
  stepMinutes: 'fact',
  enabled: 'fact',
  cursorUtc: 'fact',
  sourceMaxTsUtc: 'fact',
  cursorStatus: 'fact',
  gapMinutes: 'fact',
  barsBehind: 'fact',
  sourceAgeMinutes: 'clock',
  lastAttemptUtc: 'fact',
  lastSuccessUtc: 'fact',
  registeredAtUtc: 'fact',
  minutesSinceSuccess: 'clock',
  lastError: 'fact',
  lastErrorUtc: 'fact',
  lastErrorSqlstate: 'fact',
  lastErrorHint: 'fact',
  consecutiveFailures: 'fact',
  totalRuns: 'fact',
  totalBarsWritten: 'fact',
  barsPerRun: 'fact',
  recentBars: 'fact',
  auditUnrepaired: 'fact',
  auditUnrepairedFromUtc: 'fact',
  auditUnrepairedToUtc: 'fact',
  auditRepaired24h: 'fact',
  auditLastUtc: 'fact',
  market: 'session',
  // the policy's name and thresholds: in the fingerprint, so a changed policy changes the ETag
  policy: 'fact',
  // the maintenance window the pair is in: it starts and ends by a change of the row
  maintenance: 'fact',
  // the owning team: in the fingerprint, so setting an owner changes the ETag
  team: 'fact',
} as const satisfies Record<keyof FrontierRow, 'fact' | 'clock' | 'session'>;
const SESSION_FIELDS = {
  calendar: 'fact',
  timeZone: 'fact',
  isOpen: 'fact',
  openedAt: 'fact',
  closesAt: 'fact',
  nextOpensAt: 'fact',
  lastClosedAt: 'fact',
  minutesSinceOpen: 'clock',
  minutesUntilClose: 'clock',
  minutesUntilOpen: 'clock',
  minutesSinceClose: 'clock',
} as const satisfies Record<keyof MarketSession, 'fact' | 'clock'>;

const factsOf = <T extends object>(fields: Record<keyof T, string>) =>
  (Object.keys(fields) as Array<keyof T>).filter((key) => fields[key] === 'fact');
const ROW_FACTS = factsOf<FrontierRow>(ROW_FIELDS);
const SESSION_FACTS = factsOf<MarketSession>(SESSION_FIELDS);

/**
 * A row's facts as text: equal for two answers exactly when `rowAsOf` turns the older into
 * the newer. The clock's fields are left out, the timestamps they count from (sourceMaxTsUtc,
 * lastSuccessUtc, registeredAtUtc, the session's bounds) are in; so is nothing of the verdict a
 * PairHealth adds (the rules derive it from these, the clock, the settings and the history,
 * which the version covers separately). An array of values, not an object: half the time.
 */
export function clockFreeRow(row: FrontierRow): string {
  const values: unknown[] = ROW_FACTS.map((key) => row[key]);
  const market = row.market;
  if (market) for (const key of SESSION_FACTS) values.push(market[key]);
  return JSON.stringify(values);
}

/**
 * A list answered at `list.generatedAt`, brought to `generatedAt` (a later snapshot of the API
 * with the same fingerprint): ages moved, every pair's health derived again by the same rules
 * the server uses, in the server's worst-first order. A pair whose state changed by the clock
 * alone has not been seen in it by the state history yet, so its state_since is unknown (null)
 * until the history records it (then the fingerprint changes and a full answer follows).
 */
export function healthListAsOf(list: HealthListResponse, generatedAt: string): HealthListResponse {
  const elapsed = (Date.parse(generatedAt) - Date.parse(list.generatedAt)) / 60_000;
  if (!(elapsed > 0)) return list;
  const markets = new Map<MarketSession, MarketSession>();
  const rows = list.rows.map((pair): PairHealth => {
    const health = derivePairHealth(rowAsOf(pair, elapsed, markets), list.thresholds, list.runIntervalMinutes);
    if (pair.state_since !== undefined) health.state_since = health.state === pair.state ? pair.state_since : null;
    return health;
  });
  rows.sort(compareWorstFirst);
  // Only a current answer is brought forward (a lagging standby's version changes every poll):
  // its data is as of the new time too.
  const replication =
    list.replication && list.replication.lagSeconds === 0
      ? { ...list.replication, dataAsOf: generatedAt }
      : list.replication;
  return { ...list, generatedAt, rows, replication };
}
