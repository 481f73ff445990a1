import { describeIncidentError, stateLabel } from '../health/state-labels';
import type { IncidentRecord, IncidentsResponse, TimelineResponse } from '../shared/history-types';
import { fetchIncidents, type IncidentDbRow, fetchPairTimeline, withoutHistoryIfMissing } from '../queries/history';
import { fetchIncidentAcks } from '../queries/acks';
import type { Ack } from '../shared/acks';
import { SingleFlightCache } from './cache';
import { notFound } from './errors';
import { MAX_TIMELINE_INTERVALS, type IncidentsQuery, type TimelineQuery } from './incidents-params';
import { SNAPSHOT_TTL_MS } from './snapshot';

// Every wall display polls the open incidents: one query per TTL whatever their number.
const incidentsCache = new SingleFlightCache<IncidentsResponse>(SNAPSHOT_TTL_MS, 50);
const timelineCache = new SingleFlightCache<TimelineResponse | null>(SNAPSHOT_TTL_MS, 500);

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;

/** One line per incident, read across a room: who, how wide, what. */
export function incidentCause(
  row: Pick<
    IncidentDbRow,
    'scope' | 'state' | 'symbol' | 'detail' | 'symbols' | 'pairs' | 'open_symbols' | 'open_pairs' | 'resolved_at'
  >,
): string {
  const open = row.resolved_at === null;
  const symbols = open ? row.open_symbols : row.symbols;
  const pairs = open ? row.open_pairs : row.pairs;
  const label = stateLabel(row.state);
  const what = row.detail
    ? `${label}: ${describeIncidentError(row.detail, row.scope === 'global' ? null : row.symbol)}`
    : label;
  if (row.scope === 'global') return `${plural(symbols, 'symbol')} · ${plural(pairs, 'pair')} · ${what}`;
  return `${row.symbol ?? '?'} · ${plural(pairs, 'timeframe')} · ${what}`;
}

function toRecord(row: IncidentDbRow, ack: Ack | null): IncidentRecord {
  return {
    id: row.incident_id,
    scope: row.scope,
    state: row.state,
    symbol: row.symbol,
    cause: incidentCause(row),
    error: row.detail === '' ? null : row.detail,
    status: row.resolved_at === null ? 'open' : 'resolved',
    start: row.opened_at,
    end: row.resolved_at,
    durationMinutes: row.duration_minutes,
    symbols: row.symbols,
    pairs: row.pairs,
    openSymbols: row.open_symbols,
    openPairs: row.open_pairs,
    sample: row.sample,
    team: row.team,
    ack,
  };
}

async function loadIncidents(query: IncidentsQuery): Promise<IncidentsResponse> {
  const generatedAt = new Date().toISOString();
  const { rows, total, open } = await fetchIncidents(query.status, query.limit, query.offset, query.team ?? null);
  const openIds = rows.filter((row) => row.resolved_at === null).map((row) => row.incident_id);
  const acks = await withoutHistoryIfMissing('incident acks', () => fetchIncidentAcks(openIds), new Map<number, Ack>());
  return { generatedAt, total, open, incidents: rows.map((row) => toRecord(row, acks.get(row.incident_id) ?? null)) };
}

export function listIncidents(query: IncidentsQuery): Promise<IncidentsResponse> {
  return incidentsCache.get(JSON.stringify(query), () => loadIncidents(query));
}

async function loadTimeline(query: TimelineQuery): Promise<TimelineResponse | null> {
  const intervals = await fetchPairTimeline(
    query.symbol,
    query.timeframe,
    query.from,
    query.to,
    MAX_TIMELINE_INTERVALS + 1,
  );
  if (!intervals) return null;
  const truncated = intervals.length > MAX_TIMELINE_INTERVALS;
  return {
    generatedAt: new Date().toISOString(),
    symbol: query.symbol,
    timeframe: query.timeframe,
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    intervals: truncated ? intervals.slice(1) : intervals,
    truncated,
  };
}

export async function pairTimeline(query: TimelineQuery): Promise<TimelineResponse> {
  // Rounded to the second: a page polling "the last 24 h" shares one answer per TTL.
  const key = JSON.stringify([
    query.symbol,
    query.timeframe,
    Math.floor(query.from.getTime() / 1000),
    Math.floor(query.to.getTime() / 1000),
  ]);
  const timeline = await timelineCache.get(key, () => loadTimeline(query));
  if (!timeline) throw notFound(`no pair ${query.symbol}/${query.timeframe} in data_agg_state or the state history`);
  return timeline;
}

export function resetIncidentCaches(): void {
  incidentsCache.clear();
  timelineCache.clear();
}
