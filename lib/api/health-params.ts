import { z } from 'zod';
import {
  DEFAULT_DIR,
  PRESET_IDS,
  SORT_KEYS,
  TEAM_SYNTAX,
  type HealthListFilters,
  type SortDir,
  type SortKey,
} from '../health/list-contract';
import type { OverviewView, OverviewWindows } from '../health/overview';
import { HEALTH_STATES } from '../shared/types';
import { timeframeSchema } from '../shared/pair-key';
import { quoted } from './errors';
import { intParam, listValues, oneOf, parseParams, rejectUnknownAndRepeated } from './params';

/** The query parameters of GET /api/health (docs/HEALTH.md); their names and values are lib/health/list-contract.ts's. */
export const MAX_LIMIT = 50_000;
export const MAX_OFFSET = 10_000_000;
export const MAX_QUERY_LENGTH = 64;

const LIST_PARAMS = ['state', 'timeframe', 'q', 'sort', 'dir', 'preset', 'team', 'limit', 'offset'] as const;

export interface HealthListQuery extends HealthListFilters {
  sort: SortKey;
  dir: SortDir;
  limit: number | null;
  offset: number;
}

const schema = z.object({
  state: z.array(oneOf('state', HEALTH_STATES)),
  // Syntax only; whether the timeframe exists is checked against agg_timeframes later.
  timeframe: z.array(timeframeSchema),
  q: z
    .string()
    .trim()
    .max(MAX_QUERY_LENGTH, { error: `q must be at most ${MAX_QUERY_LENGTH} characters` })
    .optional(),
  sort: oneOf('sort', SORT_KEYS).optional(),
  dir: oneOf('dir', ['asc', 'desc']).optional(),
  preset: oneOf('preset', PRESET_IDS).optional(),
  team: z
    .string()
    .regex(TEAM_SYNTAX, {
      error: (issue) =>
        `team must be a team name of lower-case letters, digits, - and _, got ${quoted(String(issue.input))}`,
    })
    .optional(),
  limit: intParam('limit', 1, MAX_LIMIT).optional(),
  offset: intParam('offset', 0, MAX_OFFSET).optional(),
});

export function parseHealthListQuery(params: URLSearchParams): HealthListQuery {
  rejectUnknownAndRepeated(params, LIST_PARAMS, ['state', 'timeframe']);
  const raw = {
    // States are matched case-insensitively: ?state=failing is what people type. Strict: an
    // empty entry (?state=OK,) is refused, where the overview's URL reader drops it.
    state: listValues(params, 'state').map((value) => value.toUpperCase()),
    timeframe: listValues(params, 'timeframe'),
    q: params.get('q') ?? undefined,
    sort: params.get('sort') ?? undefined,
    dir: params.get('dir') ?? undefined,
    preset: params.get('preset') ?? undefined,
    team: params.get('team') ?? undefined,
    limit: params.get('limit') ?? undefined,
    offset: params.get('offset') ?? undefined,
  };
  const parsed = parseParams(schema, raw);
  const sort = parsed.sort ?? 'severity';
  return {
    states: [...new Set(parsed.state)],
    timeframes: [...new Set(parsed.timeframe)],
    // An emptied search box means "no filter", not an error.
    q: parsed.q ?? '',
    sort,
    dir: parsed.dir ?? DEFAULT_DIR[sort],
    preset: parsed.preset ?? null,
    team: parsed.team ?? null,
    limit: parsed.limit ?? null,
    offset: parsed.offset ?? 0,
  };
}

/** The table's and the heatmap's windows of GET /api/health/overview: the overview asks for what is in sight. */
export const MAX_OVERVIEW_ROWS = 500;
export const MAX_OVERVIEW_SYMBOLS = 2_000;

const OVERVIEW_PARAMS = [
  'state',
  'timeframe',
  'q',
  'sort',
  'dir',
  'preset',
  'team',
  'offset',
  'limit',
  'hoffset',
  'hlimit',
] as const;

export type OverviewQuery = OverviewView & OverviewWindows;

const windowSchema = z.object({
  offset: intParam('offset', 0, MAX_OFFSET).optional(),
  limit: intParam('limit', 1, MAX_OVERVIEW_ROWS).optional(),
  hoffset: intParam('hoffset', 0, MAX_OFFSET).optional(),
  hlimit: intParam('hlimit', 1, MAX_OVERVIEW_SYMBOLS).optional(),
});

export function parseOverviewQuery(params: URLSearchParams): OverviewQuery {
  rejectUnknownAndRepeated(params, OVERVIEW_PARAMS, ['state', 'timeframe']);
  const windows = parseParams(windowSchema, {
    offset: params.get('offset') ?? undefined,
    limit: params.get('limit') ?? undefined,
    hoffset: params.get('hoffset') ?? undefined,
    hlimit: params.get('hlimit') ?? undefined,
  });
  const list = new URLSearchParams(params);
  for (const name of ['offset', 'limit', 'hoffset', 'hlimit']) list.delete(name);
  const { limit: _limit, offset: _offset, ...filters } = parseHealthListQuery(list);
  return {
    ...filters,
    offset: windows.offset ?? 0,
    limit: windows.limit ?? 100,
    hoffset: windows.hoffset ?? 0,
    hlimit: windows.hlimit ?? 300,
  };
}

/** GET /api/health/summary: `team` alone (the team's wall, docs/HEALTH.md "Owners"). */
export function parseSummaryQuery(params: URLSearchParams): { team: string | null } {
  rejectUnknownAndRepeated(params, ['team']);
  const parsed = parseParams(z.object({ team: schema.shape.team }), { team: params.get('team') ?? undefined });
  return { team: parsed.team ?? null };
}
