import { z } from 'zod';
import type { Identity } from '../auth/identity';
import { query } from '../server/db';
import { writeQuery } from '../server/write-db';
import { iso } from '../queries/frontier';
import { symbolProblem, TIMEFRAME_SYNTAX } from '../shared/pair-key';
import { badRequest, notFound } from './errors';
import { resetPairCaches } from './pair';
import { snapshotCache } from './snapshot';

/**
 * Maintenance windows over the API (docs/MAINTENANCE.md): POST /api/maintenance (operator),
 * GET /api/maintenance, POST /api/maintenance/{id}/end (operator). The writes call the SECURITY
 * DEFINER functions of sql/definitions/maintenance_windows.sql on the write connection, which
 * append the audit row in the same transaction.
 */

export interface MaintenanceWindow {
  id: number;
  match: 'exact' | 'like';
  pattern: string;
  timeframe: string | null;
  startsAt: string;
  endsAt: string;
  reason: string;
  createdBy: string;
  createdAt: string;
  endedAt: string | null;
  endedBy: string | null;
  status: 'upcoming' | 'active' | 'ended';
}

/** A window may be planned at most this far: longer "maintenance" is a disabled pair. */
export const MAX_MAINTENANCE_HOURS = 24 * 31;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;
const isoTime = (name: string) =>
  z
    .string()
    .refine((value) => ISO_TIME.test(value) && !Number.isNaN(Date.parse(value)), {
      message: `${name} must be an ISO-8601 time with Z or an offset, such as 2026-12-06T22:00:00Z`,
    })
    .transform((value) => new Date(value).toISOString());

const addSchema = z
  .object({
    symbol: z
      .string()
      .refine((value) => symbolProblem(value) === null, { message: 'symbol is not a symbol' })
      .optional(),
    pattern: z
      .string()
      .regex(/^[A-Za-z0-9._:/%-]{1,64}$/, {
        message: 'pattern must be a LIKE pattern of letters, digits, . _ : / - and %',
      })
      .refine((value) => /[%_]/.test(value), { message: 'pattern has no % or _: send it as symbol' })
      .optional(),
    timeframe: z.string().regex(TIMEFRAME_SYNTAX, { message: 'timeframe must be a timeframe such as 5m' }).nullish(),
    hours: z.number().positive().max(MAX_MAINTENANCE_HOURS).optional(),
    startsAt: isoTime('startsAt').optional(),
    endsAt: isoTime('endsAt').optional(),
    reason: z.string().trim().min(1, { message: 'reason must say why' }).max(500),
    source: z.enum(['ui', 'api']).optional(),
  })
  .strict()
  .refine((body) => (body.symbol === undefined) !== (body.pattern === undefined), {
    message: 'give exactly one of symbol and pattern',
  })
  .refine((body) => (body.hours === undefined) !== (body.endsAt === undefined), {
    message: 'give exactly one of hours and endsAt',
  });
export type MaintenanceAdd = z.infer<typeof addSchema>;

export function parseMaintenanceAdd(body: unknown): MaintenanceAdd {
  const parsed = addSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.join('.');
    throw badRequest(path && !issue.message.startsWith(path) ? `${path}: ${issue.message}` : issue.message);
  }
  return parsed.data;
}

export async function readJsonBody(request: Request): Promise<unknown> {
  try {
    return await request.json();
  } catch {
    throw badRequest('the body must be JSON');
  }
}

export function parseWindowId(value: string): number {
  if (!/^[1-9]\d{0,15}$/.test(value))
    throw badRequest(`id must be a maintenance window id, got ${JSON.stringify(value)}`);
  return Number(value);
}

/** The write functions raise invalid_parameter_value (22023) and no_data_found (P0002) for the caller's mistakes. */
async function callAction<T>(name: string, sql: string, params: unknown[]): Promise<T> {
  try {
    const rows = await writeQuery<{ r: T }>(name, sql, params);
    // the pages show the new state at their next poll, not after the caches' TTL
    snapshotCache.clear();
    resetPairCaches();
    return rows[0]!.r;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const message = error instanceof Error ? error.message : String(error);
    if (code === '22023') throw badRequest(message);
    if (code === 'P0002') throw notFound(message);
    throw error;
  }
}

const SELECT = `SELECT w.id, w.match, w.pattern, w.timeframe, ${iso('w.starts_at')}, ${iso('w.ends_at')}, w.reason,
       w.created_by, ${iso('w.created_at')}, ${iso('w.ended_at')}, w.ended_by,
       CASE WHEN w.ended_at IS NOT NULL OR w.ends_at <= now() THEN 'ended'
            WHEN w.starts_at > now() THEN 'upcoming' ELSE 'active' END AS status
  FROM maintenance_windows w`;

interface WindowDbRow {
  id: number;
  match: 'exact' | 'like';
  pattern: string;
  timeframe: string | null;
  starts_at: string;
  ends_at: string;
  reason: string;
  created_by: string;
  created_at: string;
  ended_at: string | null;
  ended_by: string | null;
  status: MaintenanceWindow['status'];
}

const toWindow = (row: WindowDbRow): MaintenanceWindow => ({
  id: row.id,
  match: row.match,
  pattern: row.pattern,
  timeframe: row.timeframe,
  startsAt: row.starts_at,
  endsAt: row.ends_at,
  reason: row.reason,
  createdBy: row.created_by,
  createdAt: row.created_at,
  endedAt: row.ended_at,
  endedBy: row.ended_by,
  status: row.status,
});

/** The stored row as the write function returns it (to_jsonb: snake_case, timestamps with an offset). */
type StoredWindow = Omit<WindowDbRow, 'status'>;

const utc = (value: string | null) => (value === null ? null : new Date(value).toISOString());

/** Built from the function's answer: a role that may only EXECUTE the action functions reads no table. */
function storedWindow(row: StoredWindow, now = Date.now()): MaintenanceWindow {
  const ended = row.ended_at !== null || Date.parse(row.ends_at) <= now;
  const status = ended ? 'ended' : Date.parse(row.starts_at) > now ? 'upcoming' : 'active';
  return toWindow({
    ...row,
    starts_at: utc(row.starts_at)!,
    ends_at: utc(row.ends_at)!,
    created_at: utc(row.created_at)!,
    ended_at: utc(row.ended_at),
    status,
  });
}

export async function addMaintenance(identity: Identity, body: MaintenanceAdd): Promise<MaintenanceWindow> {
  const endsAt =
    body.endsAt ??
    new Date(Date.parse(body.startsAt ?? new Date().toISOString()) + body.hours! * 3_600_000).toISOString();
  const stored = await callAction<StoredWindow>(
    'maintenance-add',
    'SELECT maintenance_add($1, $2, $3, $4, $5, $6, $7, $8, $9) AS r',
    [
      identity.actor,
      identity.role,
      body.source ?? 'api',
      body.symbol === undefined ? 'like' : 'exact',
      body.symbol ?? body.pattern,
      body.timeframe ?? null,
      body.startsAt ?? null,
      endsAt,
      body.reason,
    ],
  );
  return storedWindow(stored);
}

export async function endMaintenance(identity: Identity, id: number, source: 'ui' | 'api'): Promise<MaintenanceWindow> {
  const stored = await callAction<StoredWindow>('maintenance-end', 'SELECT maintenance_end($1, $2, $3, $4) AS r', [
    identity.actor,
    identity.role,
    source,
    id,
  ]);
  return storedWindow(stored);
}

/** Windows not ended (active, then upcoming), or every window with ?status=all, newest first. */
export async function listMaintenance(status: 'open' | 'all'): Promise<{ windows: MaintenanceWindow[] }> {
  const rows = await query<WindowDbRow>(
    'maintenance-list',
    `${SELECT} ${status === 'open' ? 'WHERE w.ended_at IS NULL AND w.ends_at > now()' : ''}
     ORDER BY (w.ended_at IS NULL AND w.ends_at > now()) DESC, w.starts_at DESC, w.id DESC LIMIT 500`,
  );
  return { windows: rows.map(toWindow) };
}
