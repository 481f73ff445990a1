import './zod-config';
import { z } from 'zod';

/**
 * Acknowledgements: "I have seen this" on an open incident or a pair in
 * a problem state, with a note and an optional end. Pure: the browser imports it.
 */
export interface Ack {
  by: string;
  note: string;
  /** when it was made, ISO UTC */
  at: string;
  /** when it lapses by itself; null: when the problem ends */
  until: string | null;
}

export const MAX_ACK_NOTE = 500;

/** The body of POST /api/incidents/{id}/ack and /api/pairs/{symbol}/{timeframe}/ack. */
export const ackBodySchema = z.strictObject(
  {
    note: z
      .string({ error: 'note must be text' })
      .trim()
      .min(1, { error: 'note must say why (1 to 500 characters)' })
      .max(MAX_ACK_NOTE, { error: `note must be at most ${MAX_ACK_NOTE} characters` })
      // PostgreSQL text cannot hold NUL; line breaks and tabs are a person's text.
      .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), {
        error: 'note must not contain control characters',
      }),
    until: z
      .string({ error: 'until must be an ISO 8601 time' })
      .max(40, { error: 'until must be an ISO 8601 time' })
      .refine((value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && Number.isFinite(Date.parse(value)), {
        error: 'until must be an ISO 8601 time such as 2026-01-31T18:00:00Z',
      })
      .refine((value) => Date.parse(value) > Date.now(), { error: 'until must be in the future' })
      .optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : undefined) },
);
export type AckBody = z.infer<typeof ackBodySchema>;

export interface AckResponse {
  ok: true;
  target: string;
  ackId: number;
  auditId: number;
  ack: Ack;
  /** with ALERTMANAGER_URL only */
  silence?: AckSilence;
}

/**
 * What became of the ack's Alertmanager silence (only with ALERTMANAGER_URL): made (its id),
 * failed (retried by the history writer's reconciler), or expired (a withdrawal).
 */
export type AckSilence =
  { state: 'active'; id?: string } | { state: 'expired'; id: string } | { state: 'failed'; error: string };

/** The optional body of DELETE …/ack (a withdrawal): why, for the audit log. */
export const withdrawBodySchema = z.strictObject(
  {
    reason: z
      .string({ error: 'reason must be text' })
      .trim()
      .max(MAX_ACK_NOTE, { error: `reason must be at most ${MAX_ACK_NOTE} characters` })
      .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), {
        error: 'reason must not contain control characters',
      })
      .optional(),
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s): ${issue.keys.join(', ')}` : undefined) },
);
export type WithdrawBody = z.infer<typeof withdrawBodySchema>;

export interface WithdrawResponse {
  ok: true;
  target: string;
  ackId: number;
  auditId: number;
  silence?: AckSilence;
}
