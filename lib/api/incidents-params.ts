import { z } from 'zod';
import { TEAM_SYNTAX } from '../health/list-contract';
import { STATS_WINDOWS, type StatsWindow } from '../shared/history-types';
import type { IncidentStatusFilter } from '../queries/history';
import { badRequest, quoted } from './errors';
import { intParam, oneOf, parseParams, rejectUnknownAndRepeated } from './params';
import { parsePairKey, type PairKey } from './pair-params';

/** Query parameters of GET /api/incidents and GET /api/pairs/[symbol]/[timeframe]/timeline. */
export const MAX_INCIDENTS_LIMIT = 200;
export const DEFAULT_INCIDENTS_LIMIT = 50;
export const MAX_INCIDENTS_OFFSET = 100_000;
/** The history is kept HISTORY_RETENTION_DAYS (90 by default); one request reads at most this. */
export const MAX_TIMELINE_DAYS = 92;
export const DEFAULT_TIMELINE_HOURS = 24;
export const MAX_TIMELINE_INTERVALS = 5_000;

export interface IncidentsQuery {
  status: IncidentStatusFilter;
  limit: number;
  offset: number;
  /** only the incidents of this team; null or absent: every incident */
  team?: string | null;
}

const teamParam = z.string().regex(TEAM_SYNTAX, {
  error: (issue) =>
    `team must be a team name of lower-case letters, digits, - and _, got ${quoted(String(issue.input))}`,
});

const incidentsSchema = z.object({
  status: oneOf('status', ['open', 'resolved', 'all']).optional(),
  limit: intParam('limit', 1, MAX_INCIDENTS_LIMIT).optional(),
  offset: intParam('offset', 0, MAX_INCIDENTS_OFFSET).optional(),
  team: teamParam.optional(),
});

export function parseIncidentsQuery(params: URLSearchParams): IncidentsQuery {
  rejectUnknownAndRepeated(params, ['status', 'limit', 'offset', 'team']);
  const parsed = parseParams(incidentsSchema, {
    status: params.get('status') ?? undefined,
    limit: params.get('limit') ?? undefined,
    offset: params.get('offset') ?? undefined,
    team: params.get('team') ?? undefined,
  });
  return {
    status: parsed.status ?? 'all',
    limit: parsed.limit ?? DEFAULT_INCIDENTS_LIMIT,
    offset: parsed.offset ?? 0,
    team: parsed.team ?? null,
  };
}

// An explicit offset or Z: a time without one would mean the server's time zone.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

function isoParam(name: string) {
  return z.string().transform((value, context) => {
    const ms = ISO_TIME.test(value) ? Date.parse(value) : Number.NaN;
    if (Number.isNaN(ms)) {
      context.addIssue({
        code: 'custom',
        message: `${name} must be an ISO-8601 time with Z or an offset, such as 2026-11-28T06:00:00Z, got ${quoted(value)}`,
      });
      return z.NEVER;
    }
    return new Date(ms);
  });
}

const timelineSchema = z.object({ from: isoParam('from').optional(), to: isoParam('to').optional() });

export interface TimelineQuery extends PairKey {
  from: Date;
  to: Date;
}

export function parseTimelineQuery(
  pathParams: { symbol: string; timeframe: string },
  params: URLSearchParams,
  now = new Date(),
): TimelineQuery {
  const key = parsePairKey(pathParams);
  rejectUnknownAndRepeated(params, ['from', 'to']);
  const parsed = parseParams(timelineSchema, {
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
  });
  const to = parsed.to ?? now;
  const from = parsed.from ?? new Date(to.getTime() - DEFAULT_TIMELINE_HOURS * 3_600_000);
  if (from >= to) throw badRequest(`from must be before to, got from=${from.toISOString()} to=${to.toISOString()}`);
  if (to.getTime() - from.getTime() > MAX_TIMELINE_DAYS * 86_400_000)
    throw badRequest(`from..to must span at most ${MAX_TIMELINE_DAYS} days`);
  return { ...key, from, to };
}

const WINDOW_HOURS: Record<StatsWindow, number> = { '24h': 24, '7d': 24 * 7, '30d': 24 * 30 };

export interface StatsQuery {
  window: StatsWindow;
  hours: number;
  /** only the pairs whose symbol this team owns; null: every pair */
  team: string | null;
}

const statsSchema = z.object({ window: oneOf('window', STATS_WINDOWS).optional(), team: teamParam.optional() });

/** GET /api/incidents/stats?window=24h|7d|30d (default 24h)&team=NAME (default every team). */
export function parseStatsQuery(params: URLSearchParams): StatsQuery {
  rejectUnknownAndRepeated(params, ['window', 'team']);
  const parsed = parseParams(statsSchema, {
    window: params.get('window') ?? undefined,
    team: params.get('team') ?? undefined,
  });
  const window = parsed.window ?? '24h';
  return { window, hours: WINDOW_HOURS[window], team: parsed.team ?? null };
}
