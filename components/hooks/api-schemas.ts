import { z } from 'zod';
import {
  HEALTH_STATES,
  type ApiErrorBody,
  type HealthListResponse,
  type HealthSummaryResponse,
  type HealthThresholds,
  type PairDetailResponse,
  type PairHealth,
  type RunRecord,
  type RunsPage,
} from '@/lib/types';

/*
 * The browser's side of the data boundary: every answer of the API is checked against the
 * shared types (lib/types.ts) before a component sees it. The `z.ZodType<T>` annotations make
 * the compiler prove that each schema and its type agree.
 */

const isoTime = z.string();
const nullableIso = isoTime.nullable();
const nullableNumber = z.number().nullable();

const thresholdsSchema: z.ZodType<HealthThresholds> = z.object({
  stallMinutes: z.number(),
  lagBars: z.number(),
  sourceStaleMinutes: z.number(),
  minBarsPerRun: z.number(),
});

export const pairHealthSchema: z.ZodType<PairHealth> = z.object({
  symbol: z.string(),
  timeframe: z.string(),
  stepMinutes: z.number(),
  enabled: z.boolean(),
  cursorUtc: nullableIso,
  sourceMaxTsUtc: nullableIso,
  cursorStatus: z.enum(['OK', 'AHEAD', 'NULL']),
  gapMinutes: nullableNumber,
  barsBehind: nullableNumber,
  sourceAgeMinutes: nullableNumber,
  lastAttemptUtc: nullableIso,
  lastSuccessUtc: nullableIso,
  minutesSinceSuccess: nullableNumber,
  lastError: z.string().nullable(),
  lastErrorUtc: nullableIso,
  consecutiveFailures: z.number(),
  totalRuns: z.number(),
  totalBarsWritten: z.number(),
  barsPerRun: nullableNumber,
  recentBars: z.array(z.number()),
  state: z.enum(HEALTH_STATES),
  severity: z.number(),
  reason: z.string(),
  reasons: z.array(z.string()),
  action: z.string(),
  trend: z.enum(['catching_up', 'steady', 'falling_behind', 'unknown']),
  etaMinutes: nullableNumber,
});

export const healthListSchema: z.ZodType<HealthListResponse> = z.object({
  generatedAt: isoTime,
  thresholds: thresholdsSchema,
  total: z.number(),
  rows: z.array(pairHealthSchema),
});

export const healthSummarySchema: z.ZodType<HealthSummaryResponse> = z.object({
  generatedAt: isoTime,
  thresholds: thresholdsSchema,
  total: z.number(),
  byState: z.record(z.enum(HEALTH_STATES), z.number()),
  problems: z.array(pairHealthSchema),
});

export const runRecordSchema: z.ZodType<RunRecord> = z.object({
  runId: z.number(),
  startedAtUtc: isoTime,
  finishedAtUtc: isoTime,
  ok: z.boolean(),
  result: z.record(z.string(), z.unknown()).nullable(),
  error: z.string().nullable(),
});

export const runsPageSchema: z.ZodType<RunsPage> = z.object({
  runs: z.array(runRecordSchema),
  nextCursor: z.string().nullable(),
});

export const pairDetailSchema: z.ZodType<PairDetailResponse> = z.object({
  generatedAt: isoTime,
  pair: pairHealthSchema,
  history: z.array(runRecordSchema),
  remediationSql: z.string().nullable(),
});

export const apiErrorSchema: z.ZodType<ApiErrorBody> = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
