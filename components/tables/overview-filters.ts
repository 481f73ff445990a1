import { compareWorstFirst } from '@/lib/health';
import { HEALTH_STATES, type HealthState, type PairHealth } from '@/lib/types';

/**
 * The overview's view state, kept in the URL so that a reload or a shared link shows the same
 * view. Filters use the API's own parameter names (state, timeframe, q, preset), so the URL of a
 * view and the API request behind it read the same.
 */
export const SORT_KEYS = ['severity', 'symbol', 'timeframe', 'bars_behind', 'minutes_since_success', 'gap'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

/** The seed's three queries (production-hardening-summary.md, "Usage"), answered by the API. */
export const PRESETS = [
  { id: 'ahead', label: 'Cursor runaway', sql: "WHERE cursor_status = 'AHEAD'" },
  { id: 'stalled', label: 'Stalled aggregation', sql: 'WHERE minutes_since_success > 60' },
  { id: 'inefficient', label: 'Efficiency', sql: 'WHERE bars_per_run < 0.01' },
  // The audit's (docs/AUDIT.md): finalized bars found wrong, repaired in the last 24 h or not yet.
  { id: 'drift', label: 'Audit drift', sql: 'WHERE audit_unrepaired > 0 OR repaired in 24 h' },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'];

export interface OverviewFilters {
  states: HealthState[];
  timeframes: string[];
  q: string;
  preset: PresetId | null;
  sort: SortKey;
  dir: SortDir;
}

/** Worst first for severity, biggest first for amounts, alphabetical for names. */
export const DEFAULT_DIR: Record<SortKey, SortDir> = {
  severity: 'asc',
  symbol: 'asc',
  timeframe: 'asc',
  bars_behind: 'desc',
  minutes_since_success: 'desc',
  gap: 'desc',
};

function list(params: URLSearchParams, name: string): string[] {
  const values = params.getAll(name).flatMap((value) => value.split(','));
  return [...new Set(values.map((value) => value.trim()).filter(Boolean))];
}

/** Reads the view from the URL; unknown values are dropped rather than breaking the page. */
export function parseFilters(params: URLSearchParams): OverviewFilters {
  const states = list(params, 'state')
    .map((value) => value.toUpperCase())
    .filter((value): value is HealthState => (HEALTH_STATES as readonly string[]).includes(value));
  const sortParam = params.get('sort');
  const sort: SortKey = SORT_KEYS.find((key) => key === sortParam) ?? 'severity';
  const dirParam = params.get('dir');
  const presetParam = params.get('preset');
  return {
    states: HEALTH_STATES.filter((state) => states.includes(state)),
    timeframes: list(params, 'timeframe'),
    q: (params.get('q') ?? '').trim(),
    preset: PRESETS.find((preset) => preset.id === presetParam)?.id ?? null,
    sort,
    dir: dirParam === 'asc' || dirParam === 'desc' ? dirParam : DEFAULT_DIR[sort],
  };
}

/** The URL query of a view; defaults are left out so links stay short. */
export function filtersToSearch(filters: OverviewFilters): string {
  const params = new URLSearchParams();
  if (filters.states.length) params.set('state', filters.states.join(','));
  if (filters.timeframes.length) params.set('timeframe', filters.timeframes.join(','));
  if (filters.q) params.set('q', filters.q);
  if (filters.preset) params.set('preset', filters.preset);
  if (filters.sort !== 'severity') params.set('sort', filters.sort);
  if (filters.dir !== DEFAULT_DIR[filters.sort]) params.set('dir', filters.dir);
  return params.toString();
}

/** What the API filters on; sorting happens in the browser over the whole result. */
export interface ApiFilters {
  states: HealthState[];
  timeframes: string[];
  q: string;
  preset: PresetId | null;
}

export function apiFilters(filters: OverviewFilters): ApiFilters {
  return { states: filters.states, timeframes: filters.timeframes, q: filters.q, preset: filters.preset };
}

export function hasFilters(filters: ApiFilters): boolean {
  return filters.states.length > 0 || filters.timeframes.length > 0 || filters.q !== '' || filters.preset !== null;
}

// Nulls sort last in both directions: "unknown" is never the biggest or the smallest.
function compareNullable(a: number | null, b: number | null, sign: number): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return (a - b) * sign;
}

function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The order of the table. Ties (and "severity") use the API's worst-first order from
 * lib/health.ts, so the default view reads exactly like GET /api/health.
 */
export function comparePairs(sort: SortKey, dir: SortDir): (a: PairHealth, b: PairHealth) => number {
  const sign = dir === 'asc' ? 1 : -1;
  switch (sort) {
    case 'severity':
      return (a, b) => sign * compareWorstFirst(a, b);
    case 'symbol':
      return (a, b) => sign * byName(a.symbol, b.symbol) || compareWorstFirst(a, b);
    case 'timeframe':
      return (a, b) => sign * (a.stepMinutes - b.stepMinutes) || compareWorstFirst(a, b);
    case 'bars_behind':
      return (a, b) => compareNullable(a.barsBehind, b.barsBehind, sign) || compareWorstFirst(a, b);
    case 'minutes_since_success':
      return (a, b) => compareNullable(a.minutesSinceSuccess, b.minutesSinceSuccess, sign) || compareWorstFirst(a, b);
    case 'gap':
      return (a, b) => compareNullable(a.gapMinutes, b.gapMinutes, sign) || compareWorstFirst(a, b);
  }
}

const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 1440, w: 10080 };

/** Minutes of a timeframe name like "15m" or "4h", for ordering names we have not seen rows of. */
export function timeframeMinutes(name: string): number {
  const match = /^(\d+)([mhdw])$/i.exec(name);
  if (!match?.[1] || !match[2]) return Number.MAX_SAFE_INTEGER;
  return Number(match[1]) * (UNIT_MINUTES[match[2].toLowerCase()] ?? 1);
}

/** The timeframes seeded by sql/001; more appear as soon as rows carry them. */
export const KNOWN_TIMEFRAMES = ['5m', '15m', '30m', '1h', '4h', '1d'];
