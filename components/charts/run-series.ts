import type { RunRecord } from '@/lib/shared/types';

/**
 * One point per run for the pair charts, read from the run's result JSON (the keys of
 * catchup_aggregation_range: cursor_utc, max_source_ts, bars_written, bars_behind, duration_ms…).
 * A failed run only carries the cursor it failed at; its other values are null, not 0, so a
 * line does not dive to zero at every failure.
 */
const MIN_SPAN_MS = 2 * 60_000;

export interface RunPoint {
  runId: number;
  /** when the run finished, ms since epoch: the x axis of every chart */
  atMs: number;
  ok: boolean;
  cursorMs: number | null;
  sourceMs: number | null;
  barsBehind: number | null;
  barsWritten: number | null;
  windows: number | null;
  durationMs: number | null;
  stopReason: string | null;
}

export interface RunSeries {
  points: RunPoint[];
  /** distinct finish times of failed runs, for the markers on the time axis */
  failures: number[];
  failedRuns: number;
  domain: [number, number];
}

function numberAt(result: Record<string, unknown> | null, key: string): number | null {
  const value = result?.[key];
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function timeAt(result: Record<string, unknown> | null, key: string): number | null {
  const value = result?.[key];
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : null;
}

function textAt(result: Record<string, unknown> | null, key: string): string | null {
  const value = result?.[key];
  return typeof value === 'string' ? value : null;
}

/** A run of audit_aggregation_range (docs/AUDIT.md): listed with the runs, kept off the catch-up charts. */
export function isAuditRun(run: RunRecord): boolean {
  return run.result?.kind === 'audit';
}

/** The audit's counts, for the runs list. */
export function auditSummary(run: RunRecord): string {
  const n = (key: string) => numberAt(run.result, key) ?? 0;
  return `audit: ${n('missing')} missing, ${n('drifted')} drifted, ${n('orphaned')} orphaned, ${n('repaired')} repaired`;
}

export function toRunPoint(run: RunRecord): RunPoint | null {
  const atMs = Date.parse(run.finishedAtUtc);
  if (!Number.isFinite(atMs)) return null;
  const started = Date.parse(run.startedAtUtc);
  const { result } = run;
  return {
    runId: run.runId,
    atMs,
    ok: run.ok,
    cursorMs: timeAt(result, 'cursor_utc'),
    sourceMs: run.ok ? timeAt(result, 'max_source_ts') : null,
    barsBehind: run.ok ? numberAt(result, 'bars_behind') : null,
    barsWritten: run.ok ? numberAt(result, 'bars_written') : null,
    windows: run.ok ? numberAt(result, 'windows_processed') : null,
    durationMs: numberAt(result, 'duration_ms') ?? (Number.isFinite(started) ? atMs - started : null),
    stopReason: textAt(result, 'stop_reason'),
  };
}

/** History (oldest first, from GET /api/pairs/…) to chart series; one pass. */
export function buildRunSeries(history: readonly RunRecord[]): RunSeries {
  const points: RunPoint[] = [];
  const failures: number[] = [];
  for (const run of history) {
    const point = isAuditRun(run) ? null : toRunPoint(run);
    if (!point) continue;
    points.push(point);
    if (!point.ok) failures.push(point.atMs);
  }
  points.sort((a, b) => a.atMs - b.atMs);
  // Failures recorded in the same millisecond draw one marker (and React needs unique keys).
  const uniqueFailures = [...new Set(failures)].sort((a, b) => a - b);
  const first = points[0]?.atMs ?? 0;
  const last = points[points.length - 1]?.atMs ?? 0;
  // Runs a few milliseconds apart (one batch of failures) would stretch over the whole width
  // with no tick between them: show at least two minutes around them.
  const middle = (first + last) / 2;
  const domain: [number, number] =
    last - first < MIN_SPAN_MS ? [middle - MIN_SPAN_MS / 2, middle + MIN_SPAN_MS / 2] : [first, last];
  return { points, failures: uniqueFailures, failedRuns: failures.length, domain };
}

const DAY_MS = 86_400_000;

/** Ticks as UTC clock time within a day, with the date when the domain crosses a UTC midnight. */
export function timeTickFormatter(domain: [number, number]): (ms: number) => string {
  const span = domain[1] - domain[0];
  const crossesMidnight = Math.floor(domain[0] / DAY_MS) !== Math.floor(domain[1] / DAY_MS);
  return (ms: number) => {
    const iso = new Date(ms).toISOString();
    if (crossesMidnight) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
    if (span < 10 * 60_000) return iso.slice(11, 19);
    return iso.slice(11, 16);
  };
}

const MINUTE = 60_000;
const NICE_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080, 43200];

function niceStep(span: number, target: number): number {
  return (NICE_MINUTES.find((minutes) => span / (minutes * MINUTE) <= target) ?? 43200) * MINUTE;
}

/** Ticks on whole minutes, quarter hours, hours… — at most `target` of them across the domain. */
export function timeTicks([from, to]: [number, number], target = 8): number[] {
  const step = niceStep(to - from, target);
  const ticks: number[] = [];
  for (let tick = Math.ceil(from / step) * step; tick <= to; tick += step) ticks.push(tick);
  return ticks;
}

/** A time domain around the values, widened to whole tick steps so the ends carry labels. */
export function timeValueDomain(values: readonly (number | null)[], target = 5): [number, number] {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const value of values) {
    if (value === null) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  if (!Number.isFinite(min)) return [0, 1];
  if (min === max) return [min - MINUTE, max + MINUTE];
  const step = niceStep(max - min, target);
  return [Math.floor(min / step) * step, Math.ceil(max / step) * step];
}
