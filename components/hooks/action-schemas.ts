import '@/lib/shared/zod-config';
import { z } from 'zod';
import type {
  ActionsStatusResponse,
  AuditEntry,
  AuditLogPage,
  CursorChange,
  PairActionResponse,
} from '@/lib/shared/actions';
import { PAIR_ACTIONS } from '@/lib/shared/actions';

/** The browser's check of the actions' and audit log's answers (lib/shared/actions.ts). */
const role = z.enum(['viewer', 'operator', 'admin']);

export const actionsStatusSchema: z.ZodType<ActionsStatusResponse> = z.object({
  writable: z.boolean(),
  reason: z.string().nullable(),
  actor: z.string().nullable(),
  role: role.nullable(),
});

export const cursorChangeSchema: z.ZodType<CursorChange> = z.object({
  canonical_symbol: z.string(),
  timeframe: z.string(),
  old_cursor_utc: z.string().nullable(),
  new_cursor_utc: z.string().nullable(),
  reason: z.string(),
});

export const pairActionResponseSchema: z.ZodType<PairActionResponse> = z.object({
  ok: z.literal(true),
  action: z.enum(PAIR_ACTIONS),
  target: z.string(),
  dryRun: z.boolean(),
  auditId: z.number(),
  rows: z.array(cursorChangeSchema).optional(),
  result: z.record(z.string(), z.unknown()),
});

const auditEntrySchema: z.ZodType<AuditEntry> = z.object({
  id: z.number(),
  atUtc: z.string(),
  actor: z.string(),
  role,
  source: z.enum(['ui', 'api', 'ops']),
  action: z.string(),
  target: z.string(),
  reason: z.string().nullable(),
  args: z.record(z.string(), z.unknown()),
  result: z.record(z.string(), z.unknown()).nullable(),
  ok: z.boolean(),
});

export const auditLogPageSchema: z.ZodType<AuditLogPage> = z.object({
  entries: z.array(auditEntrySchema),
  nextCursor: z.number().nullable(),
});
