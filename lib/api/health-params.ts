import { z } from 'zod';
import { HEALTH_STATES, type HealthState } from '../types';
import { quoted } from './errors';
import { intParam, listValues, oneOf, parseParams, rejectUnknownAndRepeated } from './params';

/** The query parameters of GET /api/health; docs/HEALTH.md lists them with examples. */
export const SORT_KEYS = ['severity', 'symbol', 'timeframe', 'bars_behind', 'minutes_since_success', 'gap'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
/** The seed's three queries (production-hardening-summary.md "Usage"), and the audit's drift. */
export const PRESETS = ['ahead', 'stalled', 'inefficient', 'drift'] as const;
export type Preset = (typeof PRESETS)[number];
export const MAX_LIMIT = 50_000;
export const MAX_OFFSET = 10_000_000;
export const MAX_QUERY_LENGTH = 64;

const LIST_PARAMS = ['state', 'timeframe', 'q', 'sort', 'dir', 'preset', 'limit', 'offset'] as const;
/** Syntax only; whether the timeframe exists is checked against agg_timeframes later. */
const TIMEFRAME_SYNTAX = /^[0-9A-Za-z]{1,16}$/;

export interface HealthListQuery {
  states: HealthState[];
  timeframes: string[];
  /** symbol substring, lower-cased */
  q: string | null;
  sort: SortKey;
  dir: 'asc' | 'desc';
  preset: Preset | null;
  limit: number | null;
  offset: number;
}

const schema = z.object({
  state: z.array(oneOf('state', HEALTH_STATES)),
  timeframe: z.array(
    z.string().regex(TIMEFRAME_SYNTAX, { error: (issue) => `timeframe must be a timeframe such as 5m or 1h, got ${quoted(String(issue.input))}` }),
  ),
  q: z
    .string()
    .trim()
    .max(MAX_QUERY_LENGTH, { error: `q must be at most ${MAX_QUERY_LENGTH} characters` })
    .optional(),
  sort: oneOf('sort', SORT_KEYS).optional(),
  dir: oneOf('dir', ['asc', 'desc']).optional(),
  preset: oneOf('preset', PRESETS).optional(),
  limit: intParam('limit', 1, MAX_LIMIT).optional(),
  offset: intParam('offset', 0, MAX_OFFSET).optional(),
});

/** Numbers read biggest-first by default; names and severity read top-down. */
const DEFAULT_DIR: Record<SortKey, 'asc' | 'desc'> = {
  severity: 'asc',
  symbol: 'asc',
  timeframe: 'asc',
  bars_behind: 'desc',
  minutes_since_success: 'desc',
  gap: 'desc',
};

export function parseHealthListQuery(params: URLSearchParams): HealthListQuery {
  rejectUnknownAndRepeated(params, LIST_PARAMS, ['state', 'timeframe']);
  const raw = {
    // States are matched case-insensitively: ?state=failing is what people type.
    state: listValues(params, 'state').map((value) => value.toUpperCase()),
    timeframe: listValues(params, 'timeframe'),
    q: params.get('q') ?? undefined,
    sort: params.get('sort') ?? undefined,
    dir: params.get('dir') ?? undefined,
    preset: params.get('preset') ?? undefined,
    limit: params.get('limit') ?? undefined,
    offset: params.get('offset') ?? undefined,
  };
  const parsed = parseParams(schema, raw);
  const sort = parsed.sort ?? 'severity';
  return {
    states: [...new Set(parsed.state)],
    timeframes: [...new Set(parsed.timeframe)],
    // An emptied search box means "no filter", not an error.
    q: parsed.q ? parsed.q.toLowerCase() : null,
    sort,
    dir: parsed.dir ?? DEFAULT_DIR[sort],
    preset: parsed.preset ?? null,
    limit: parsed.limit ?? null,
    offset: parsed.offset ?? 0,
  };
}
