import '@/lib/shared/zod-config';
import { z } from 'zod';
import type { Ack } from '@/lib/shared/acks';
import {
  STATS_WINDOWS,
  type IncidentRecord,
  type IncidentStatsResponse,
  type IncidentsResponse,
  type StateInterval,
  type TimelineResponse,
} from '@/lib/shared/history-types';

export const ackSchema: z.ZodType<Ack> = z.object({
  by: z.string(),
  note: z.string(),
  at: z.string(),
  until: z.string().nullable(),
});

/** The browser's check of /api/incidents and the timeline (lib/shared/history-types.ts). */

const incidentSchema: z.ZodType<IncidentRecord> = z.object({
  id: z.number(),
  scope: z.enum(['symbol', 'global']),
  state: z.string(),
  symbol: z.string().nullable(),
  cause: z.string(),
  error: z.string().nullable(),
  status: z.enum(['open', 'resolved']),
  start: z.string(),
  end: z.string().nullable(),
  durationMinutes: z.number(),
  symbols: z.number(),
  pairs: z.number(),
  openSymbols: z.number(),
  openPairs: z.number(),
  sample: z.array(z.object({ symbol: z.string(), timeframe: z.string(), open: z.boolean() })),
  // Absent from a server older than the acknowledgements: read as "not acked".
  ack: ackSchema.nullable().default(null),
  // Absent from a server older than owners: no team.
  team: z.string().nullable().default(null),
});

export const incidentsSchema: z.ZodType<IncidentsResponse> = z.object({
  generatedAt: z.string(),
  total: z.number(),
  open: z.number(),
  incidents: z.array(incidentSchema),
});

const intervalSchema: z.ZodType<StateInterval> = z.object({
  state: z.string(),
  since: z.string(),
  until: z.string().nullable(),
  reason: z.string().nullable(),
  flapping: z.boolean(),
});

export const timelineSchema: z.ZodType<TimelineResponse> = z.object({
  generatedAt: z.string(),
  symbol: z.string(),
  timeframe: z.string(),
  from: z.string(),
  to: z.string(),
  intervals: z.array(intervalSchema),
  truncated: z.boolean(),
});

const problemStats = { episodes: z.number(), problemMinutes: z.number(), mttrMinutes: z.number().nullable() };

export const incidentStatsSchema: z.ZodType<IncidentStatsResponse> = z.object({
  generatedAt: z.string(),
  window: z.enum(STATS_WINDOWS),
  team: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  byTimeframe: z.array(z.object({ ...problemStats, timeframe: z.string(), pairs: z.number(), problemPct: z.number() })),
  topSymbols: z.array(z.object({ ...problemStats, symbol: z.string() })),
});
