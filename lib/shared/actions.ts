import './zod-config';
import { z } from 'zod';

/**
 * The actions on one pair, written once for the routes, the pair page and the docs:
 * who may run each, and which are destructive (a dry run first, a reason to apply). Pure: the
 * browser imports it.
 */
// lib/auth/identity.ts's Role, spelled here because the browser may not import lib/auth.
type Role = 'viewer' | 'operator' | 'admin';

export const PAIR_ACTIONS = ['retry', 'enable', 'disable', 'bootstrap', 'reset', 'repair'] as const;
export type PairAction = (typeof PAIR_ACTIONS)[number];

export interface PairActionInfo {
  role: Role;
  /** Changes cursors or bars: answers its dry run unless `dryRun: false`, and needs a reason to apply. */
  destructive: boolean;
  label: string;
  /** One line for the button's title and the docs. */
  does: string;
}

export const PAIR_ACTION_INFO: Record<PairAction, PairActionInfo> = {
  retry: {
    role: 'operator',
    destructive: false,
    label: 'Retry now',
    does: 'clear the retry backoff: the worker runs the pair on its next pass',
  },
  enable: { role: 'operator', destructive: false, label: 'Enable', does: 'let the worker run the pair again' },
  disable: { role: 'operator', destructive: false, label: 'Disable', does: 'stop the worker running the pair' },
  bootstrap: {
    role: 'admin',
    destructive: true,
    label: 'Bootstrap',
    does: 'register the pair and set a NULL cursor to the window before the first source bar',
  },
  reset: {
    role: 'admin',
    destructive: true,
    label: 'Reset cursor',
    does: 'move a NULL or AHEAD cursor to where a reset puts it; bars are kept',
  },
  repair: {
    role: 'admin',
    destructive: true,
    label: 'Audit and repair',
    does: 'recompute [from, to) from bars_1m and upsert the missing and drifted bars',
  },
};

export const MAX_REASON_LENGTH = 500;

const isoTime = (name: string) =>
  z
    .string({ error: `${name} must be an ISO 8601 time` })
    .max(40, { error: `${name} must be an ISO 8601 time` })
    .refine((value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && Number.isFinite(Date.parse(value)), {
      error: `${name} must be an ISO 8601 time such as 2026-01-31T00:00:00Z`,
    });

/** The body of POST /api/pairs/{symbol}/{timeframe}/actions/{action}; unknown keys are refused. */
export const pairActionBodySchema = z.strictObject(
  {
    reason: z
      .string({ error: 'reason must be text' })
      .max(MAX_REASON_LENGTH, { error: `reason must be at most ${MAX_REASON_LENGTH} characters` })
      // PostgreSQL text cannot hold NUL; line breaks and tabs are a person's text.
      .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), {
        error: 'reason must not contain control characters',
      })
      .optional(),
    dryRun: z.boolean({ error: 'dryRun must be true or false' }).optional(),
    from: isoTime('from').optional(),
    to: isoTime('to').optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : undefined) },
);
export type PairActionBody = z.infer<typeof pairActionBodySchema>;

/** A row a cursor action changes (or would): the dry run's preview. */
export interface CursorChange {
  canonical_symbol: string;
  timeframe: string;
  old_cursor_utc: string | null;
  new_cursor_utc: string | null;
  reason: string;
}

/** The answer of an action that ran (ok); a failed one answers an error body. */
export interface PairActionResponse {
  ok: true;
  action: PairAction;
  target: string;
  dryRun: boolean;
  auditId: number;
  /** bootstrap and reset: the cursors it moved, or would move on a dry run */
  rows?: CursorChange[];
  /** everything the database function answered (as recorded in operator_actions.result) */
  result: Record<string, unknown>;
}

/** Can this dashboard write at all, and if not why. */
export interface ActionsStatus {
  writable: boolean;
  reason: string | null;
}

/** GET /api/actions/status: that, and who is asking (which buttons to show; every write checks again). */
export interface ActionsStatusResponse extends ActionsStatus {
  actor: string | null;
  role: Role | null;
}

/** One row of the audit log, as GET /api/audit-log lists it. */
export interface AuditEntry {
  id: number;
  atUtc: string;
  actor: string;
  role: Role;
  source: 'ui' | 'api' | 'ops';
  action: string;
  target: string;
  reason: string | null;
  args: Record<string, unknown>;
  result: Record<string, unknown> | null;
  ok: boolean;
}

export interface AuditLogPage {
  entries: AuditEntry[];
  /** pass as ?before= for the next (older) page; null on the last */
  nextCursor: number | null;
}
