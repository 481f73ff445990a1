import { compareWorstFirst } from './rules';
import { isStalled, SEED_STALL_MINUTES } from './stall-rule';
import { HEALTH_STATES, type HealthState, type PairHealth } from '../shared/types';

/**
 * The contract of the health list, written once for the server (GET /api/health,
 * lib/api/health-params.ts and health-list.ts) and the browser (the overview's URL, its
 * requests and its in-browser sort): filters, presets, sort keys, default directions, the
 * comparator and the query string. Pure: no Node or browser imports.
 */

/**
 * The list's ETag, written and read in this one place: the snapshot's version (what the rows
 * say, without the clock: lib/health/clock.ts) and a digest of the query, so that pages of one
 * list can be told to come from one snapshot.
 */
export function listEtag(snapshotVersion: string, queryDigest: string): string {
  return `"${snapshotVersion}.${queryDigest}"`;
}

/** The snapshot version an ETag of listEtag names (weak or strong), or null. */
export function etagSnapshotVersion(etag: string | null): string | null {
  const match = etag?.match(/^(?:W\/)?"([^".]+)\.[^"]*"$/);
  return match?.[1] ?? null;
}

export const SORT_KEYS = ['severity', 'symbol', 'timeframe', 'bars_behind', 'minutes_since_success', 'gap'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = 'asc' | 'desc';

/** Worst first for severity, biggest first for amounts, alphabetical for names. */
export const DEFAULT_DIR: Record<SortKey, SortDir> = {
  severity: 'asc',
  symbol: 'asc',
  timeframe: 'asc',
  bars_behind: 'desc',
  minutes_since_success: 'desc',
  gap: 'desc',
};

/**
 * The three monitoring queries documented with the view (docs/HEALTH.md), verbatim: their literal
 * 60 and 0.01, not the configured thresholds. The stall preset and the STALLED state share
 * lib/health/stall-rule.ts, so at the default threshold they select exactly the same pairs.
 */
export const PRESETS = [
  {
    id: 'ahead',
    /** the state card the query is closest to; the query matches pairs of other states too */
    state: 'AHEAD',
    label: 'Cursor runaway',
    sql: "WHERE cursor_status = 'AHEAD'",
    matches: (pair: PairHealth) => pair.cursorStatus === 'AHEAD',
  },
  {
    id: 'stalled',
    state: 'STALLED',
    label: 'Stalled aggregation',
    sql: `WHERE minutes_since_success > ${SEED_STALL_MINUTES}`,
    matches: (pair: PairHealth) => isStalled(pair.minutesSinceSuccess, SEED_STALL_MINUTES),
  },
  {
    id: 'inefficient',
    state: 'INEFFICIENT',
    label: 'Efficiency',
    sql: 'WHERE bars_per_run < 0.01',
    matches: (pair: PairHealth) => pair.barsPerRun !== null && pair.barsPerRun < 0.01,
  },
  {
    // Not a seed query: pairs whose finalized bars an audit found wrong, repaired or not (docs/AUDIT.md).
    id: 'drift',
    state: 'DRIFT',
    label: 'Audit drift',
    sql: 'audit: unrepaired drift, or repaired in the last 24 h',
    matches: (pair: PairHealth) => pair.auditUnrepaired > 0 || pair.auditRepaired24h > 0,
  },
] as const;
export type PresetId = (typeof PRESETS)[number]['id'];
export const PRESET_IDS = PRESETS.map((preset) => preset.id) as [PresetId, ...PresetId[]];

export interface HealthListFilters {
  states: HealthState[];
  timeframes: string[];
  /** symbol substring; matched case-insensitively; '' = no search */
  q: string;
  preset: PresetId | null;
  /** the team that owns the pair's symbol (docs/HEALTH.md, "Owners"); absent or null = any */
  team?: string | null;
}

/** A team's name as owner_set accepts it (sql/definitions/owners.sql). */
export const TEAM_SYNTAX = /^[a-z0-9][a-z0-9_-]{0,62}$/;

export const NO_FILTERS: HealthListFilters = { states: [], timeframes: [], q: '', preset: null };

export function hasFilters(filters: HealthListFilters): boolean {
  return (
    filters.states.length > 0 ||
    filters.timeframes.length > 0 ||
    filters.q !== '' ||
    filters.preset !== null ||
    Boolean(filters.team)
  );
}

/** The filter as one predicate, built once per list (sets, lower-cased search). */
export function pairMatcher(filters: HealthListFilters): (pair: PairHealth) => boolean {
  const states = new Set<HealthState>(filters.states);
  const timeframes = new Set(filters.timeframes);
  const q = filters.q.toLowerCase();
  const preset = PRESETS.find((candidate) => candidate.id === filters.preset) ?? null;
  const team = filters.team ?? null;
  return (pair) =>
    (team === null || pair.team === team) &&
    (states.size === 0 || states.has(pair.state)) &&
    (timeframes.size === 0 || timeframes.has(pair.timeframe)) &&
    (q === '' || pair.symbol.toLowerCase().includes(q)) &&
    (preset === null || preset.matches(pair));
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

const NUMERIC: Partial<Record<SortKey, (pair: PairHealth) => number | null>> = {
  bars_behind: (pair) => pair.barsBehind,
  minutes_since_success: (pair) => pair.minutesSinceSuccess,
  gap: (pair) => pair.gapMinutes,
};

/** The order of a list. Ties (and "severity") use the worst-first order of lib/health/rules.ts. */
export function comparePairs(sort: SortKey, dir: SortDir): (a: PairHealth, b: PairHealth) => number {
  const sign = dir === 'asc' ? 1 : -1;
  if (sort === 'severity') return (a, b) => sign * compareWorstFirst(a, b);
  if (sort === 'symbol') return (a, b) => sign * byName(a.symbol, b.symbol) || compareWorstFirst(a, b);
  if (sort === 'timeframe') return (a, b) => sign * (a.stepMinutes - b.stepMinutes) || compareWorstFirst(a, b);
  const value = NUMERIC[sort]!;
  return (a, b) => compareNullable(value(a), value(b), sign) || compareWorstFirst(a, b);
}

function listParam(params: URLSearchParams, name: string): string[] {
  const values = params.getAll(name).flatMap((value) => value.split(','));
  return [...new Set(values.map((value) => value.trim()).filter(Boolean))];
}

/** States as people type them (?state=failing), upper-cased. */
export function stateParam(params: URLSearchParams): string[] {
  return listParam(params, 'state').map((value) => value.toUpperCase());
}

/**
 * A list view read leniently from a URL (the overview's address bar): unknown values are
 * dropped rather than breaking the page. The API reads the same names strictly
 * (lib/api/health-params.ts) and answers 400 instead.
 */
export function readListView(params: URLSearchParams): HealthListFilters & { sort: SortKey; dir: SortDir } {
  const states = stateParam(params);
  const sortParam = params.get('sort');
  const sort: SortKey = SORT_KEYS.find((key) => key === sortParam) ?? 'severity';
  const dirParam = params.get('dir');
  const presetParam = params.get('preset');
  const teamParam = (params.get('team') ?? '').trim();
  return {
    states: HEALTH_STATES.filter((state) => states.includes(state)),
    timeframes: listParam(params, 'timeframe'),
    q: (params.get('q') ?? '').trim(),
    preset: PRESET_IDS.find((id) => id === presetParam) ?? null,
    team: TEAM_SYNTAX.test(teamParam) ? teamParam : null,
    sort,
    dir: dirParam === 'asc' || dirParam === 'desc' ? dirParam : DEFAULT_DIR[sort],
  };
}

/** The query string of a list view or request; defaults are left out so links stay short. */
export function listSearch(
  view: Partial<HealthListFilters> & { sort?: SortKey; dir?: SortDir; limit?: number; offset?: number },
): string {
  const params = new URLSearchParams();
  if (view.states?.length) params.set('state', view.states.join(','));
  if (view.timeframes?.length) params.set('timeframe', view.timeframes.join(','));
  if (view.q) params.set('q', view.q);
  if (view.preset) params.set('preset', view.preset);
  if (view.team) params.set('team', view.team);
  const sort = view.sort ?? 'severity';
  if (sort !== 'severity') params.set('sort', sort);
  if (view.dir && view.dir !== DEFAULT_DIR[sort]) params.set('dir', view.dir);
  if (view.limit !== undefined) params.set('limit', String(view.limit));
  if (view.offset !== undefined) params.set('offset', String(view.offset));
  return params.toString();
}
