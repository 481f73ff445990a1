import { comparePairs, pairMatcher, type HealthListFilters, type SortDir, type SortKey } from './list-contract';
import {
  HEALTH_STATES,
  type HealthState,
  type HealthThresholds,
  type HeatmapSymbol,
  type OverviewResponse,
  type PairHealth,
  type PairListRow,
} from '../shared/types';

/**
 * The overview's answer (GET /api/health/overview) made from rows: the counts, the table's
 * window of the filtered, sorted pairs with the fields it shows, and the heatmap's window of the
 * filtered symbols. Pure: the API caches each piece per snapshot (lib/api/overview.ts), and the
 * browser tests serve scripted rows through the same function.
 */

export interface OverviewView extends HealthListFilters {
  sort: SortKey;
  dir: SortDir;
}

export interface OverviewWindows {
  offset: number;
  limit: number;
  hoffset: number;
  hlimit: number;
}

export type OverviewCounts = Pick<OverviewResponse, 'total' | 'byState' | 'unconfirmed' | 'timeframes' | 'teams'>;

export interface HeatmapGrid {
  timeframes: string[];
  symbols: Array<{ symbol: string; worst: number; byTimeframe: Map<string, PairHealth> }>;
}

/** Pairs per state, every state present (0 when none). */
export function countByState(rows: readonly PairHealth[]): Record<HealthState, number> {
  const byState = Object.fromEntries(HEALTH_STATES.map((state) => [state, 0])) as Record<HealthState, number>;
  for (const pair of rows) byState[pair.state] += 1;
  return byState;
}

export function overviewCounts(rows: readonly PairHealth[]): OverviewCounts {
  const byState = countByState(rows);
  const steps = new Map<string, number>();
  const teams = new Set<string>();
  let unconfirmed = 0;
  for (const pair of rows) {
    if (pair.unconfirmed) unconfirmed += 1;
    steps.set(pair.timeframe, pair.stepMinutes);
    if (pair.team) teams.add(pair.team);
  }
  const timeframes = [...steps.entries()]
    .sort((a, b) => a[1] - b[1])
    .map(([timeframe, stepMinutes]) => ({ timeframe, stepMinutes }));
  return { total: rows.length, byState, unconfirmed, timeframes, teams: [...teams].sort() };
}

/** The pairs matching the filters, in the rows' order (the snapshot's is worst first). */
export function matchingPairs(rows: readonly PairHealth[], filters: HealthListFilters): PairHealth[] {
  return rows.filter(pairMatcher(filters));
}

/** The view's order; worst-first rows need no sort for the default order. */
export function orderedPairs(matching: PairHealth[], view: OverviewView): PairHealth[] {
  return view.sort === 'severity' && view.dir === 'asc'
    ? matching
    : [...matching].sort(comparePairs(view.sort, view.dir));
}

/** Symbols worst first (their worst pair's severity, then by name), timeframes by length. */
export function heatmapGrid(rows: readonly PairHealth[]): HeatmapGrid {
  const steps = new Map<string, number>();
  const bySymbol = new Map<string, HeatmapGrid['symbols'][number]>();
  for (const row of rows) {
    steps.set(row.timeframe, row.stepMinutes);
    let entry = bySymbol.get(row.symbol);
    if (!entry) bySymbol.set(row.symbol, (entry = { symbol: row.symbol, worst: row.severity, byTimeframe: new Map() }));
    entry.byTimeframe.set(row.timeframe, row);
    if (row.severity < entry.worst) entry.worst = row.severity;
  }
  const timeframes = [...steps.entries()].sort((a, b) => a[1] - b[1]).map(([timeframe]) => timeframe);
  const symbols = [...bySymbol.values()].sort(
    (a, b) => a.worst - b.worst || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0),
  );
  return { timeframes, symbols };
}

/**
 * The table's fields. Minutes since success as the table shows them (whole minutes): an answer
 * changes when a shown number does, not every time the clock ticks.
 */
export function listRow(pair: PairHealth): PairListRow {
  return {
    symbol: pair.symbol,
    timeframe: pair.timeframe,
    state: pair.state,
    reason: pair.reason,
    reasons: pair.reasons,
    action: pair.action,
    state_since: pair.state_since ?? null,
    barsBehind: pair.barsBehind,
    trend: pair.trend,
    etaMinutes: pair.etaMinutes,
    lastSuccessUtc: pair.lastSuccessUtc,
    minutesSinceSuccess: pair.minutesSinceSuccess === null ? null : Math.round(pair.minutesSinceSuccess),
    gapMinutes: pair.gapMinutes,
    consecutiveFailures: pair.consecutiveFailures,
    team: pair.team ?? null,
    ...(pair.unconfirmed ? { unconfirmed: true as const } : {}),
  };
}

/** The answer from its pieces (each made once per snapshot by the API); `matchedByState` counts `ordered`. */
export function overviewAnswerOf(
  thresholds: HealthThresholds,
  counts: OverviewCounts,
  ordered: readonly PairHealth[],
  matchedByState: Record<HealthState, number>,
  grid: HeatmapGrid,
  windows: OverviewWindows,
): OverviewResponse {
  const lines: HeatmapSymbol[] = grid.symbols.slice(windows.hoffset, windows.hoffset + windows.hlimit).map((entry) => ({
    symbol: entry.symbol,
    cells: grid.timeframes.map((timeframe) => {
      const pair = entry.byTimeframe.get(timeframe);
      return pair ? [pair.state, pair.reason] : null;
    }),
  }));
  return {
    thresholds,
    ...counts,
    matched: ordered.length,
    matchedByState,
    offset: windows.offset,
    rows: ordered.slice(windows.offset, windows.offset + windows.limit).map(listRow),
    heatmap: { timeframes: grid.timeframes, symbols: grid.symbols.length, offset: windows.hoffset, lines },
  };
}

/** The whole answer from worst-first rows, nothing cached. */
export function overviewOfRows(
  rows: readonly PairHealth[],
  thresholds: HealthThresholds,
  query: OverviewView & OverviewWindows,
): OverviewResponse {
  const matching = matchingPairs(rows, query);
  return overviewAnswerOf(
    thresholds,
    overviewCounts(rows),
    orderedPairs(matching, query),
    countByState(matching),
    heatmapGrid(matching),
    query,
  );
}
