import { isStalled } from './stall-rule';
import type { FrontierRow, PairHealth, RunRecord, Trend } from '../shared/types';

/**
 * Is a pair catching up, and when will it be done? Pure functions; the method is explained in
 * docs/HEALTH.md ("Trend and ETA"). Two estimators:
 *  - trendFromState: for the list of 30,000 pairs, from the state row alone (no run history);
 *  - trendFromHistory: for one pair, from bars_behind in its recent runs' result JSON.
 */

export interface TrendEstimate {
  trend: Trend;
  /** minutes until bars_behind reaches 0; null when unknown or not catching up */
  etaMinutes: number | null;
}

export interface TrendContext {
  /** how often the worker polls a pair (WORKER_INTERVAL_MS in minutes) */
  runIntervalMinutes: number;
  /** no success for this long means nothing is being cleared (HEALTH_STALL_MINUTES) */
  stallMinutes: number;
}

/** The worker's default poll interval (15 s). */
export const DEFAULT_RUN_INTERVAL_MINUTES = 0.25;
/** Only the newest entries of the recent_bars ring: the rate now, not twenty runs ago. */
export const RECENT_RUNS_FOR_RATE = 5;
/** Within ±10 % of the arrival rate the backlog neither grows nor shrinks noticeably. */
const STEADY_BAND = 0.1;
/** History points used for the slope; older runs describe a situation that has passed. */
export const HISTORY_POINTS_FOR_SLOPE = 20;

const UNKNOWN: TrendEstimate = { trend: 'unknown', etaMinutes: null };

function roundEta(minutes: number): number {
  // Never report 0 for a pair that is still behind: the next run has to happen first.
  return Math.max(0.1, Math.round(minutes * 10) / 10);
}

/** Reasons a pair clears nothing right now, whatever its recent rate said. */
function notClearing(row: FrontierRow, context: TrendContext): TrendEstimate | null {
  if (!row.enabled || row.cursorStatus !== 'OK' || row.barsBehind === null) return UNKNOWN;
  const stalled = isStalled(row.minutesSinceSuccess, context.stallMinutes);
  if (row.consecutiveFailures > 0 || stalled) {
    return { trend: row.barsBehind > 0 ? 'falling_behind' : 'unknown', etaMinutes: null };
  }
  if (row.barsBehind === 0) return { trend: 'steady', etaMinutes: 0 };
  return null;
}

/**
 * Windows cleared per run (mean of the newest recent_bars entries; every run has work while a
 * pair is behind) against windows arriving per run interval (interval / step).
 */
export function trendFromState(row: FrontierRow, context: TrendContext): TrendEstimate {
  const settled = notClearing(row, context);
  if (settled) return settled;
  const behind = row.barsBehind ?? 0;
  const recent = row.recentBars.slice(-RECENT_RUNS_FOR_RATE);
  if (recent.length === 0 || row.stepMinutes <= 0 || context.runIntervalMinutes <= 0) return UNKNOWN;
  const cleared = recent.reduce((sum, bars) => sum + bars, 0) / recent.length;
  const arriving = context.runIntervalMinutes / row.stepMinutes;
  if (cleared > arriving * (1 + STEADY_BAND)) {
    return { trend: 'catching_up', etaMinutes: roundEta((behind / (cleared - arriving)) * context.runIntervalMinutes) };
  }
  if (cleared < arriving * (1 - STEADY_BAND)) return { trend: 'falling_behind', etaMinutes: null };
  return { trend: 'steady', etaMinutes: null };
}

export interface BehindPoint {
  atMs: number;
  barsBehind: number;
}

/** bars_behind of each successful run in the history, oldest first; failed runs carry none. */
export function behindPoints(runs: readonly RunRecord[]): BehindPoint[] {
  const points: BehindPoint[] = [];
  for (const run of runs) {
    const behind = run.ok ? run.result?.['bars_behind'] : undefined;
    const atMs = Date.parse(run.finishedAtUtc);
    if (typeof behind === 'number' && Number.isFinite(behind) && Number.isFinite(atMs)) {
      points.push({ atMs, barsBehind: behind });
    }
  }
  return points;
}

/**
 * Least-squares slope of bars_behind over time (bars per minute) across the newest points.
 * A fitted change of less than one bar over the whole span counts as steady. Returns null
 * when there are fewer than 3 points or they share one instant: the caller falls back to
 * trendFromState.
 */
export function trendFromHistory(points: readonly BehindPoint[], barsBehindNow: number): TrendEstimate | null {
  const recent = points.slice(-HISTORY_POINTS_FOR_SLOPE);
  if (recent.length < 3) return null;
  const first = recent[0]!.atMs;
  const xs = recent.map((point) => (point.atMs - first) / 60_000);
  const span = xs[xs.length - 1]!;
  if (span <= 0) return null;
  if (barsBehindNow === 0) return { trend: 'steady', etaMinutes: 0 };
  const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
  const meanY = recent.reduce((sum, point) => sum + point.barsBehind, 0) / recent.length;
  let covariance = 0;
  let variance = 0;
  recent.forEach((point, index) => {
    const dx = xs[index]! - meanX;
    covariance += dx * (point.barsBehind - meanY);
    variance += dx * dx;
  });
  const slope = covariance / variance;
  if (slope * span <= -1) return { trend: 'catching_up', etaMinutes: roundEta(barsBehindNow / -slope) };
  if (slope * span >= 1) return { trend: 'falling_behind', etaMinutes: null };
  return { trend: 'steady', etaMinutes: null };
}

/**
 * The pair page's trend: the history's slope when there is one, except when the pair clears
 * nothing right now (failing, stalled, not OK) — old successful runs would claim progress —
 * or is caught up.
 */
export function refineTrendWithHistory(
  pair: PairHealth,
  runs: readonly RunRecord[],
  context: TrendContext,
): PairHealth {
  if (notClearing(pair, context)) return pair;
  const estimate = trendFromHistory(behindPoints(runs), pair.barsBehind ?? 0);
  return estimate ? { ...pair, ...estimate } : pair;
}
