import { compareWorstFirst, isProblem } from '../health';
import { HEALTH_STATES, type HealthListResponse, type HealthState, type HealthSummaryResponse, type PairHealth } from '../types';
import { badRequest, quoted } from './errors';
import type { HealthListQuery, Preset, SortKey } from './health-params';
import { getHealthSnapshot, getTimeframes, type HealthSnapshot } from './snapshot';

/** The seed's queries, verbatim (their literal 60 and 0.01, not the configured thresholds). */
const PRESET_FILTERS: Record<Preset, (pair: PairHealth) => boolean> = {
  ahead: (pair) => pair.cursorStatus === 'AHEAD',
  stalled: (pair) => pair.minutesSinceSuccess !== null && pair.minutesSinceSuccess > 60,
  inefficient: (pair) => pair.barsPerRun !== null && pair.barsPerRun < 0.01,
  // Not a seed query: pairs whose finalized bars an audit found wrong, repaired or not (docs/AUDIT.md).
  drift: (pair) => pair.auditUnrepaired > 0 || pair.auditRepaired24h > 0,
};

const NUMERIC: Partial<Record<SortKey, (pair: PairHealth) => number | null>> = {
  bars_behind: (pair) => pair.barsBehind,
  minutes_since_success: (pair) => pair.minutesSinceSuccess,
  gap: (pair) => pair.gapMinutes,
};

function comparator(sort: SortKey, dir: 'asc' | 'desc'): (a: PairHealth, b: PairHealth) => number {
  const sign = dir === 'asc' ? 1 : -1;
  if (sort === 'severity') return (a, b) => sign * compareWorstFirst(a, b);
  if (sort === 'symbol') return (a, b) => sign * (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0) || compareWorstFirst(a, b);
  if (sort === 'timeframe') return (a, b) => sign * (a.stepMinutes - b.stepMinutes) || compareWorstFirst(a, b);
  const value = NUMERIC[sort]!;
  return (a, b) => {
    const x = value(a);
    const y = value(b);
    // Pairs without the number (NULL cursor, no source) go last in either direction.
    if (x === null || y === null) return (x === null ? 1 : 0) - (y === null ? 1 : 0) || compareWorstFirst(a, b);
    return sign * (x - y) || compareWorstFirst(a, b);
  };
}

export async function listHealth(query: HealthListQuery): Promise<HealthListResponse> {
  await checkTimeframes(query);
  return selectRows(await getHealthSnapshot(), query);
}

// Serialized answers per snapshot: the full list of 30,000 pairs is ~20 MB of JSON, and every
// open overview asks for the same one. Keyed weakly, so a replaced snapshot takes them along.
// Bounded in characters: queries are chosen by callers, and full lists are large.
const MAX_CACHED_CHARS = 64_000_000;
const bodies = new WeakMap<HealthSnapshot, { byQuery: Map<string, string>; chars: number }>();

/** listHealth as JSON text, serialized once per snapshot and distinct query. */
export async function listHealthJson(query: HealthListQuery): Promise<string> {
  await checkTimeframes(query);
  const snapshot = await getHealthSnapshot();
  let cached = bodies.get(snapshot);
  if (!cached) bodies.set(snapshot, (cached = { byQuery: new Map(), chars: 0 }));
  const key = JSON.stringify(query);
  let body = cached.byQuery.get(key);
  if (body === undefined) {
    body = JSON.stringify(selectRows(snapshot, query));
    if (cached.chars + body.length <= MAX_CACHED_CHARS) {
      cached.byQuery.set(key, body);
      cached.chars += body.length;
    }
  }
  return body;
}

async function checkTimeframes(query: HealthListQuery): Promise<void> {
  if (query.timeframes.length > 0) {
    const known = (await getTimeframes()).map((timeframe) => timeframe.timeframe);
    const unknown = query.timeframes.find((timeframe) => !known.includes(timeframe));
    if (unknown !== undefined) throw badRequest(`timeframe must be one of ${known.join(', ')}, got ${quoted(unknown)}`);
  }
}

function selectRows(snapshot: HealthSnapshot, query: HealthListQuery): HealthListResponse {
  const states = new Set<HealthState>(query.states);
  const timeframes = new Set(query.timeframes);
  const preset = query.preset ? PRESET_FILTERS[query.preset] : null;
  const matching = snapshot.rows.filter(
    (pair) =>
      (states.size === 0 || states.has(pair.state)) &&
      (timeframes.size === 0 || timeframes.has(pair.timeframe)) &&
      (query.q === null || pair.symbol.toLowerCase().includes(query.q)) &&
      (preset === null || preset(pair)),
  );
  // The snapshot is already worst first: the default order needs no sort.
  if (!(query.sort === 'severity' && query.dir === 'asc')) matching.sort(comparator(query.sort, query.dir));
  const end = query.limit === null ? undefined : query.offset + query.limit;
  return {
    generatedAt: snapshot.generatedAt,
    thresholds: snapshot.thresholds,
    total: matching.length,
    rows: matching.slice(query.offset, end),
  };
}

export const MAX_PROBLEMS = 50;

const summaries = new WeakMap<HealthSnapshot, string>();

/** healthSummary as JSON text, built once per snapshot: every wall display polls it. */
export async function healthSummaryJson(): Promise<string> {
  const snapshot = await getHealthSnapshot();
  let body = summaries.get(snapshot);
  if (body === undefined) summaries.set(snapshot, (body = JSON.stringify(summarize(snapshot))));
  return body;
}

function summarize(snapshot: HealthSnapshot): HealthSummaryResponse {
  const byState = Object.fromEntries(HEALTH_STATES.map((state) => [state, 0])) as Record<HealthState, number>;
  for (const pair of snapshot.rows) byState[pair.state] += 1;
  return {
    generatedAt: snapshot.generatedAt,
    thresholds: snapshot.thresholds,
    total: snapshot.rows.length,
    byState,
    problems: snapshot.rows.filter((pair) => isProblem(pair.state)).slice(0, MAX_PROBLEMS),
  };
}
