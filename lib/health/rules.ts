import { formatMinutes, formatSpan } from '../shared/duration';
import { formatUtc } from '../shared/time-format';
import { bootstrapSql, driftRepairSql, enableSql, failureHint, resetPairSql } from './remediation';
import { isStalled, SEED_STALL_MINUTES } from './stall-rule';

import { closedFinding, sourceSilence } from './market-session';
import { thresholdsFor, type PolicyThresholds } from './policy';
import { STATE_LABELS } from './state-labels';
import { DEFAULT_RUN_INTERVAL_MINUTES, trendFromState } from './trend';
import {
  HEALTH_STATES,
  type FrontierRow,
  type HealthState,
  type HealthThresholds,
  type PairHealth,
} from '../shared/types';

/**
 * The health rules: one pure module (no I/O) used by the API, the pages, the wall and the
 * metrics. Each state, its rule, threshold, sentence and action: docs/HEALTH.md.
 */

export const DEFAULT_THRESHOLDS: HealthThresholds = {
  stallMinutes: SEED_STALL_MINUTES,
  lagBars: 3,
  sourceStaleMinutes: 15,
  minBarsPerRun: 0.01,
};

/** The thresholds from the validated configuration (lib/server/env.ts), passed in to stay pure. */
export function thresholdsFromConfig(config: {
  HEALTH_STALL_MINUTES: number;
  HEALTH_LAG_BARS: number;
  HEALTH_SOURCE_STALE_MINUTES: number;
  HEALTH_MIN_BARS_PER_RUN: number;
}): HealthThresholds {
  return {
    stallMinutes: config.HEALTH_STALL_MINUTES,
    lagBars: config.HEALTH_LAG_BARS,
    sourceStaleMinutes: config.HEALTH_SOURCE_STALE_MINUTES,
    minBarsPerRun: config.HEALTH_MIN_BARS_PER_RUN,
  };
}

export function severityOf(state: HealthState): number {
  return HEALTH_STATES.indexOf(state);
}

const bars = (count: number) => `${count} bar${count === 1 ? '' : 's'}`;

function firstLine(text: string, max = 160): string {
  const line = text.split('\n', 1)[0] ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

interface Finding {
  state: HealthState;
  reason: string;
  action: string;
}

/** How far the cursor's window reaches past the last source minute (AHEAD means > 0). */
function aheadMinutes(row: FrontierRow): number {
  const windowEnd = Date.parse(row.cursorUtc ?? '') + row.stepMinutes * 60_000;
  return Math.round((windowEnd - (Date.parse(row.sourceMaxTsUtc ?? '') + 60_000)) / 60_000);
}

function driftFinding(row: FrontierRow): Finding {
  const windows = `${row.auditUnrepaired} finalized window${row.auditUnrepaired === 1 ? '' : 's'}`;
  return {
    state: 'DRIFT',
    reason: `${windows} differ${row.auditUnrepaired === 1 ? 's' : ''} from bars_1m (audit, not repaired) from ${formatUtc(row.auditUnrepairedFromUtc)} to ${formatUtc(row.auditUnrepairedToUtc)}`,
    action: `repair them: ${driftRepairSql(row)}`,
  };
}

/** ", policy illiquid": which policy a threshold came from, after every threshold a sentence quotes. */
const policyOf = (t: PolicyThresholds, key: keyof HealthThresholds) => `, policy ${t.from[key]}`;

/** Every problem of an enabled pair, most severe first, judged by its policy's thresholds. */
export function findProblems(row: FrontierRow, defaults: HealthThresholds): Finding[] {
  const t = thresholdsFor(row, defaults);
  const found: Finding[] = [];
  const failing = row.consecutiveFailures > 0;
  // Idle runs (nothing complete to aggregate) still set last_success_utc, so a quiet market
  // never stalls; only a worker that does not run, or runs that fail, do.
  const stalled = isStalled(row.minutesSinceSuccess, t.stallMinutes);
  const behind = row.barsBehind ?? 0;

  if (row.cursorStatus === 'AHEAD') {
    found.push({
      state: 'AHEAD',
      reason: row.sourceMaxTsUtc
        ? `cursor is ahead of the source frontier by ${formatSpan(aheadMinutes(row))}: cursor ${formatUtc(row.cursorUtc)}, frontier ${formatUtc(row.sourceMaxTsUtc)}`
        : `cursor ${formatUtc(row.cursorUtc)} is set but ${row.symbol} has no source bars`,
      action: `run the reset dry run: ${resetPairSql(row.symbol, row.timeframe, true)} then with false`,
    });
  }
  if (row.cursorStatus === 'NULL') {
    const bootstrap = bootstrapSql(row.symbol, row.timeframe);
    found.push({
      state: 'NULL',
      reason: row.sourceMaxTsUtc
        ? 'cursor is NULL: never bootstrapped'
        : `cursor is NULL: never bootstrapped, and ${row.symbol} has no source bars yet`,
      action: row.sourceMaxTsUtc
        ? `bootstrap it: ${bootstrap}`
        : `wait for source bars, then bootstrap it: ${bootstrap}`,
    });
  }
  if (failing) {
    const runs = `${row.consecutiveFailures} consecutive failed run${row.consecutiveFailures === 1 ? '' : 's'}`;
    found.push({
      state: 'FAILING',
      reason: row.lastError ? `${runs}: ${firstLine(row.lastError)}` : runs,
      action: `look at the last error: ${failureHint(row)}`,
    });
  }
  if (stalled) {
    found.push({
      state: 'STALLED',
      reason: row.lastSuccessUtc
        ? `no success for ${formatMinutes(row.minutesSinceSuccess ?? 0)}, threshold ${t.stallMinutes} min${policyOf(t, 'stallMinutes')}`
        : `no success since registration ${formatMinutes(row.minutesSinceSuccess ?? 0)} ago, threshold ${t.stallMinutes} min${policyOf(t, 'stallMinutes')}`,
      action: "check that a worker is running and not blocked on this pair's row lock",
    });
  }
  if (row.auditUnrepaired > 0) found.push(driftFinding(row));
  // Market sessions (lib/health/market-session.ts): silence counts only while the market is open.
  const silence = sourceSilence(row, t);
  if (silence?.stale) {
    const aggregator =
      failing || stalled ? '' : behind > t.lagBars ? '; the aggregator is succeeding' : '; the aggregator is fine';
    found.push({
      state: 'SOURCE_STALE',
      reason: `source feed silent for ${formatMinutes(silence.minutes)}${silence.note}, threshold ${t.sourceStaleMinutes} min${policyOf(t, 'sourceStaleMinutes')}${aggregator}`,
      action: `check the market-data feed for ${row.symbol}; a weekend or trading halt looks like this too`,
    });
  }
  if (row.cursorStatus === 'OK' && behind > t.lagBars) {
    found.push({
      state: 'LAGGING',
      reason: `${bars(behind)} behind, threshold ${bars(t.lagBars)}${policyOf(t, 'lagBars')}`,
      action: 'let it catch up; if it falls behind, raise WORKER_MAX_WINDOWS or WORKER_CONCURRENCY',
    });
  }
  if (row.cursorStatus === 'OK' && behind > 0 && row.barsPerRun !== null && row.barsPerRun < t.minBarsPerRun) {
    found.push({
      state: 'INEFFICIENT',
      reason: `${row.barsPerRun} bars per run over recent runs while ${bars(behind)} behind, threshold ${t.minBarsPerRun} bars per run${policyOf(t, 'minBarsPerRun')}`,
      action: "look at the recent runs' stop_reason and errors: runs move the cursor but write almost nothing",
    });
  }
  const closed = silence?.stale ? null : closedFinding(row);
  if (closed) found.push({ state: 'CLOSED', ...closed });
  return found;
}

/**
 * Inside a maintenance window (sql/018) a pair that would be a problem is MAINTENANCE: quiet like
 * CLOSED. Its sentence says what it would be (the primary finding's sentence), and the other
 * findings stay listed after it.
 */
function underMaintenance(row: FrontierRow, found: Finding[]): Finding[] {
  const window = row.maintenance;
  const primary = found[0];
  if (!window || !primary || !isProblem(primary.state)) return found;
  return [
    {
      state: 'MAINTENANCE',
      reason: `maintenance until ${formatUtc(window.endsAt)} (${window.reason}, by ${window.createdBy}); would be ${STATE_LABELS[primary.state]}: ${primary.reason}`,
      action: `nothing to do until the window ends; to end it early: npm run ops -- maintenance end ${window.id}`,
    },
    ...found.slice(1),
  ];
}

function healthy(row: FrontierRow, t: PolicyThresholds): Finding {
  const behind = row.barsBehind ?? 0;
  return {
    state: 'OK',
    reason:
      behind === 0
        ? 'caught up'
        : `${bars(behind)} behind, within threshold ${bars(t.lagBars)}${policyOf(t, 'lagBars')}`,
    action: 'nothing to do',
  };
}

/** A pair's most severe state, a sentence per problem, an action, and its trend. */
export function derivePairHealth(
  row: FrontierRow,
  thresholds: HealthThresholds = DEFAULT_THRESHOLDS,
  runIntervalMinutes: number = DEFAULT_RUN_INTERVAL_MINUTES,
): PairHealth {
  // A disabled pair is not processed, so it would always look stalled; that is no problem.
  const found: Finding[] = row.enabled
    ? underMaintenance(row, findProblems(row, thresholds))
    : [
        {
          state: 'DISABLED',
          reason: 'disabled: the worker skips this pair',
          action: `nothing to do unless it should run: ${enableSql(row.symbol, row.timeframe)}`,
        },
      ];
  const own = thresholdsFor(row, thresholds);
  const primary = found[0] ?? healthy(row, own);
  const trend = trendFromState(row, { runIntervalMinutes, stallMinutes: own.stallMinutes });
  const verdict = {
    state: primary.state,
    severity: severityOf(primary.state),
    reason: primary.reason,
    reasons: found.length > 0 ? found.map((finding) => finding.reason) : [primary.reason],
    action: primary.action,
    trend: trend.trend,
    etaMinutes: trend.etaMinutes,
  };
  // Identity, verdict, then the row's facts. Built in this order (and the verdict written again
  // over a row that already had one) because `{ ...row, state, … }` turns 40-field objects into
  // slow dictionaries in V8: 3× the time for 30,000 rows (`npm run bench -- --only=snapshot`, the rules).
  const facts: Omit<FrontierRow, 'symbol' | 'timeframe'> = row; // (the same two values again)
  const health: PairHealth = {
    symbol: row.symbol,
    timeframe: row.timeframe,
    state: verdict.state,
    severity: verdict.severity,
    reason: verdict.reason,
    reasons: verdict.reasons,
    action: verdict.action,
    trend: verdict.trend,
    etaMinutes: verdict.etaMinutes,
    ...facts,
  };
  return Object.assign(health, verdict);
}

/** How bad a pair is within its state, for worst-first ordering (bigger is worse). */
function badness(pair: PairHealth): number {
  switch (pair.state) {
    case 'AHEAD':
      return -(pair.gapMinutes ?? 0);
    case 'FAILING':
      return pair.consecutiveFailures;
    case 'STALLED':
      return pair.minutesSinceSuccess ?? 0;
    case 'SOURCE_STALE':
      return pair.sourceAgeMinutes ?? 0;
    case 'DRIFT':
      return pair.auditUnrepaired;
    case 'NULL':
      return pair.minutesSinceSuccess ?? 0;
    default:
      return pair.barsBehind ?? 0;
  }
}

/** Worst first: severity, then how bad within the state, then symbol and timeframe step. */
export function compareWorstFirst(a: PairHealth, b: PairHealth): number {
  return (
    a.severity - b.severity ||
    badness(b) - badness(a) ||
    (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0) ||
    a.stepMinutes - b.stepMinutes ||
    (a.timeframe < b.timeframe ? -1 : a.timeframe > b.timeframe ? 1 : 0)
  );
}

/**
 * States that need nobody's attention: never a problem, never alerted, never an incident. The
 * metrics, the list's problems and the SQL's history_is_problem (checked against this list in
 * test/sql/problem-states.test.ts) all use it.
 */
export const QUIET_STATES: readonly HealthState[] = ['OK', 'DISABLED', 'CLOSED', 'MAINTENANCE'];
export const PROBLEM_STATES: readonly HealthState[] = HEALTH_STATES.filter((state) => !QUIET_STATES.includes(state));

export function isProblem(state: HealthState): boolean {
  return !QUIET_STATES.includes(state);
}
