import '@/lib/shared/zod-config';
import { z } from 'zod';
import {
  HEALTH_STATES,
  type ApiErrorBody,
  type HealthListResponse,
  type HealthSummaryResponse,
  type HealthThresholds,
  type HeatmapSymbol,
  type MeResponse,
  type OverviewResponse,
  type PairDetailResponse,
  type PairHealth,
  type PairListRow,
  type ReplicationStatus,
  type WorkerHeartbeat,
  type WorkersResponse,
  type RunRecord,
  type RunsPage,
} from '@/lib/shared/types';
import { ackSchema } from './history-schemas';

/*
 * The browser's side of the data boundary: every answer of the API is checked against the
 * shared types (lib/shared/types.ts) before a component sees it. The `z.ZodType<T>` annotations make
 * the compiler prove that each schema and its type agree.
 */

const isoTime = z.string();

const thresholdsSchema: z.ZodType<HealthThresholds> = z.object({
  stallMinutes: z.number(),
  lagBars: z.number(),
  sourceStaleMinutes: z.number(),
  minBarsPerRun: z.number(),
});

const STATES: ReadonlySet<unknown> = new Set(HEALTH_STATES);
const TRENDS: ReadonlySet<unknown> = new Set(['catching_up', 'steady', 'falling_behind', 'unknown']);
const CURSOR_STATUSES: ReadonlySet<unknown> = new Set(['OK', 'AHEAD', 'NULL']);

type FieldCheck = (value: unknown) => boolean;
const string: FieldCheck = (value) => typeof value === 'string';
const number: FieldCheck = (value) => typeof value === 'number';
const isAck: FieldCheck = (value) => ackSchema.safeParse(value).success;
const nullable =
  (check: FieldCheck): FieldCheck =>
  (value) =>
    value === null || check(value);
const oneOf =
  (values: ReadonlySet<unknown>): FieldCheck =>
  (value) =>
    values.has(value);

/**
 * One check per field of PairHealth. `satisfies Record<keyof PairHealth, …>` ties the list to
 * the type: a field added to PairHealth (lib/shared/types.ts) and not checked here fails the type
 * check, and so does a check of a field that no longer exists.
 */
const PAIR_HEALTH_FIELDS = {
  symbol: string,
  timeframe: string,
  stepMinutes: number,
  enabled: (value) => typeof value === 'boolean',
  cursorUtc: nullable(string),
  sourceMaxTsUtc: nullable(string),
  cursorStatus: oneOf(CURSOR_STATUSES),
  gapMinutes: nullable(number),
  barsBehind: nullable(number),
  sourceAgeMinutes: nullable(number),
  lastAttemptUtc: nullable(string),
  lastSuccessUtc: nullable(string),
  registeredAtUtc: string,
  minutesSinceSuccess: nullable(number),
  lastError: nullable(string),
  lastErrorUtc: nullable(string),
  lastErrorSqlstate: nullable(string),
  lastErrorHint: nullable(string),
  consecutiveFailures: number,
  totalRuns: number,
  totalBarsWritten: number,
  barsPerRun: nullable(number),
  recentBars: Array.isArray,
  state: oneOf(STATES),
  severity: number,
  reason: string,
  reasons: Array.isArray,
  action: string,
  trend: oneOf(TRENDS),
  etaMinutes: nullable(number),
  auditUnrepaired: number,
  auditUnrepairedFromUtc: nullable(string),
  auditUnrepairedToUtc: nullable(string),
  auditRepaired24h: number,
  auditLastUtc: nullable(string),
  // When the pair entered its state (null or absent before the history has it).
  state_since: (value) => value === undefined || nullable(string)(value),
  // Absent, or true when OK on stale replica data (lib/health/replication.ts).
  unconfirmed: (value) => value === undefined || value === true,
  // Absent (no calendar) or null, or the symbol's session (lib/health/market-session.ts).
  market: (value) =>
    value === undefined ||
    value === null ||
    (typeof value === 'object' &&
      typeof (value as Record<string, unknown>).calendar === 'string' &&
      typeof (value as Record<string, unknown>).isOpen === 'boolean'),
  // Absent or null (the default policy), or the pair's health policy (lib/health/policy.ts).
  policy: (value) =>
    value === undefined ||
    value === null ||
    (typeof value === 'object' && typeof (value as Record<string, unknown>).name === 'string'),
  // Absent or null (none), or the maintenance window the pair is in (docs/MAINTENANCE.md).
  maintenance: (value) =>
    value === undefined ||
    value === null ||
    (typeof value === 'object' && typeof (value as Record<string, unknown>).endsAt === 'string'),
  // Absent or null (no owner), or the team that owns the symbol (docs/HEALTH.md, "Owners").
  team: (value) => value === undefined || nullable(string)(value),
  ack: (value) => value === undefined || isAck(value),
} satisfies Record<keyof PairHealth, FieldCheck>;
const PAIR_HEALTH_CHECKS = Object.entries(PAIR_HEALTH_FIELDS);

/**
 * Checks a PairHealth field by field. Plain checks rather than a zod object: the list holds up
 * to 30,000 rows every poll, and this is ten times cheaper than a schema walk (about 170 ms of
 * main thread per poll saved at 30,000 rows).
 */
export function isPairHealth(value: unknown): value is PairHealth {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  for (const [key, check] of PAIR_HEALTH_CHECKS) if (!check(row[key])) return false;
  return true;
}

export const pairHealthSchema = z.custom<PairHealth>(isPairHealth, { error: 'not a PairHealth row' });

export const replicationSchema: z.ZodType<ReplicationStatus> = z.object({
  role: z.enum(['primary', 'standby']),
  lagSeconds: z.number().nullable(),
  replayPaused: z.boolean(),
  stale: z.boolean(),
  dataAsOf: isoTime.nullable(),
});

/** GET /api/healthz when the database answers (a 503 is an error to fetchJson). */
export const healthzSchema = z.object({
  status: z.literal('ok'),
  database: z.literal('up'),
  replication: replicationSchema,
});

export const healthListSchema: z.ZodType<HealthListResponse> = z.object({
  generatedAt: isoTime,
  thresholds: thresholdsSchema,
  runIntervalMinutes: z.number(),
  total: z.number(),
  rows: z.array(pairHealthSchema),
  replication: replicationSchema,
});

export const healthSummarySchema: z.ZodType<HealthSummaryResponse> = z.object({
  generatedAt: isoTime,
  thresholds: thresholdsSchema,
  total: z.number(),
  byState: z.record(z.enum(HEALTH_STATES), z.number()),
  problems: z.array(pairHealthSchema),
  ungrouped: z.array(pairHealthSchema),
  ungroupedCount: z.number(),
  unconfirmed: z.number(),
  replication: replicationSchema,
});

/** One check per field the overview's table shows (PairListRow), tied to the type as PAIR_HEALTH_FIELDS is. */
const PAIR_LIST_ROW_FIELDS = {
  symbol: string,
  timeframe: string,
  state: oneOf(STATES),
  reason: string,
  reasons: Array.isArray,
  action: string,
  state_since: (value) => value === undefined || nullable(string)(value),
  barsBehind: nullable(number),
  trend: oneOf(TRENDS),
  etaMinutes: nullable(number),
  lastSuccessUtc: nullable(string),
  minutesSinceSuccess: nullable(number),
  gapMinutes: nullable(number),
  consecutiveFailures: number,
  unconfirmed: (value) => value === undefined || value === true,
  team: (value) => value === undefined || nullable(string)(value),
  ack: (value) => value === undefined || isAck(value),
} satisfies Record<keyof PairListRow, FieldCheck>;
const PAIR_LIST_ROW_CHECKS = Object.entries(PAIR_LIST_ROW_FIELDS);

function isPairListRow(value: unknown): value is PairListRow {
  if (typeof value !== 'object' || value === null) return false;
  const row = value as Record<string, unknown>;
  for (const [key, check] of PAIR_LIST_ROW_CHECKS) if (!check(row[key])) return false;
  return true;
}

function isHeatmapSymbol(value: unknown): value is HeatmapSymbol {
  if (typeof value !== 'object' || value === null) return false;
  const line = value as Record<string, unknown>;
  return (
    typeof line.symbol === 'string' &&
    Array.isArray(line.cells) &&
    line.cells.every(
      (cell: unknown) => cell === null || (Array.isArray(cell) && STATES.has(cell[0]) && typeof cell[1] === 'string'),
    )
  );
}

export const overviewSchema: z.ZodType<OverviewResponse> = z.object({
  thresholds: thresholdsSchema,
  total: z.number(),
  byState: z.record(z.enum(HEALTH_STATES), z.number()),
  unconfirmed: z.number(),
  timeframes: z.array(z.object({ timeframe: z.string(), stepMinutes: z.number() })),
  // Absent from a server older than owners: no team to choose.
  teams: z.array(z.string()).default([]),
  matched: z.number(),
  matchedByState: z.record(z.enum(HEALTH_STATES), z.number()),
  offset: z.number(),
  rows: z.array(z.custom<PairListRow>(isPairListRow, { error: 'not a table row' })),
  heatmap: z.object({
    timeframes: z.array(z.string()),
    symbols: z.number(),
    offset: z.number(),
    lines: z.array(z.custom<HeatmapSymbol>(isHeatmapSymbol, { error: 'not a heatmap line' })),
  }),
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
  sourceFrontier: z.array(z.object({ atUtc: isoTime, sourceMaxTsUtc: isoTime.nullable() })),
  remediationSql: z.string().nullable(),
  nextRetryUtc: z.string().nullable().optional(),
  ack: ackSchema.nullable().optional(),
});

export const apiErrorSchema: z.ZodType<ApiErrorBody> = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

const workerHeartbeatSchema: z.ZodType<WorkerHeartbeat> = z.object({
  workerId: z.string(),
  host: z.string(),
  pid: z.number(),
  version: z.string(),
  startedAtUtc: z.string(),
  beatUtc: z.string(),
  ageSeconds: z.number(),
  alive: z.boolean(),
});

export const workersSchema: z.ZodType<WorkersResponse> = z.object({
  workers: z.array(workerHeartbeatSchema),
  staleAfterSeconds: z.number(),
  running: z.boolean(),
  lastBeatUtc: z.string().nullable(),
  noWorkerSince: z.string().nullable(),
});

export const meSchema: z.ZodType<MeResponse> = z.object({
  actor: z.string(),
  role: z.enum(['viewer', 'operator', 'admin']),
  source: z.enum(['none', 'basic', 'oidc', 'proxy', 'token', 'kiosk']),
  mode: z.enum(['none', 'basic', 'oidc', 'proxy']),
});
