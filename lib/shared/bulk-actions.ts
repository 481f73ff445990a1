import './zod-config';
import { z } from 'zod';
import { ackBodySchema } from './acks';
import { PAIR_ACTIONS, pairActionBodySchema, type CursorChange, type PairAction } from './actions';
import { symbolSchema, timeframeSchema } from './pair-key';

/**
 * POST /api/actions/bulk: one action on a selection of pairs (the overview's selection bar).
 * Each pair runs the pair page's action (or ack) and writes its own audit row; a pair that fails
 * is reported and the others go on. Pure: the browser imports it.
 */
export const MAX_BULK_PAIRS = 500;
export const BULK_ACTIONS = [...PAIR_ACTIONS, 'ack'] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

const unknownKeys = {
  error: (issue: { code: string; keys?: string[] }) =>
    issue.code === 'unrecognized_keys' ? `unknown field(s): ${(issue.keys ?? []).join(', ')}` : undefined,
};

const pairSchema = z.strictObject({ symbol: symbolSchema, timeframe: timeframeSchema }, unknownKeys);

export const bulkBodySchema = z
  .strictObject(
    {
      action: z.enum(BULK_ACTIONS, { error: `action must be one of ${BULK_ACTIONS.join(', ')}` }),
      pairs: z
        .array(pairSchema, { error: 'pairs must be a list of { symbol, timeframe }' })
        .min(1, { error: 'pairs must name at least one pair' })
        .max(MAX_BULK_PAIRS, { error: `pairs must name at most ${MAX_BULK_PAIRS} pairs` }),
      ...pairActionBodySchema.shape,
      ...ackBodySchema.shape,
      note: ackBodySchema.shape.note.optional(),
    },
    unknownKeys,
  )
  .superRefine((body, context) => {
    const acking = body.action === 'ack';
    if (acking && body.note === undefined) context.addIssue({ code: 'custom', message: 'ack needs a note' });
    if (!acking && (body.note !== undefined || body.until !== undefined))
      context.addIssue({ code: 'custom', message: 'note and until belong to ack only' });
    if (acking && (body.reason !== undefined || body.dryRun !== undefined || body.from !== undefined))
      context.addIssue({ code: 'custom', message: 'ack takes a note and until, not reason, dryRun, from or to' });
    const seen = new Set<string>();
    for (const pair of body.pairs) {
      const key = `${pair.symbol}/${pair.timeframe}`;
      if (seen.has(key)) context.addIssue({ code: 'custom', message: `pairs names ${key} twice` });
      seen.add(key);
    }
  });
export type BulkBody = z.infer<typeof bulkBodySchema>;

/** One pair's outcome: its rows (a cursor action's dry run or apply) or the error it answered. */
export interface BulkResult {
  target: string;
  ok: boolean;
  auditId?: number;
  rows?: CursorChange[];
  error?: { code: string; message: string };
}

export interface BulkResponse {
  action: PairAction | 'ack';
  dryRun: boolean;
  results: BulkResult[];
  /** how many pairs succeeded, and failed */
  ok: number;
  failed: number;
}
