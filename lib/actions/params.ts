import { z } from 'zod';
import { badRequest, notFound, quoted } from '../api/errors';
import { intParam, parseParams, rejectUnknownAndRepeated } from '../api/params';
import { parsePairKey, type PairKey } from '../api/pair-params';
import { PAIR_ACTIONS, pairActionBodySchema, type PairAction, type PairActionBody } from '../shared/actions';

/** A body larger than this is refused before it is parsed: an action's body is a reason and two times. */
export const MAX_BODY_BYTES = 8_192;

export function parseActionPath(params: { symbol: string; timeframe: string; action: string }): {
  key: PairKey;
  action: PairAction;
} {
  const key = parsePairKey({ symbol: params.symbol, timeframe: params.timeframe });
  if (!(PAIR_ACTIONS as readonly string[]).includes(params.action))
    throw notFound(`no action ${quoted(params.action)}; actions: ${PAIR_ACTIONS.join(', ')}`);
  return { key, action: params.action as PairAction };
}

/** The JSON object of a write's body (empty means {}); 400 for anything else. */
export async function readJsonObject(request: Request, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  const text = await request.text();
  if (text.length > maxBytes) throw badRequest(`the body must be at most ${maxBytes} bytes`);
  if (text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('the body must be a JSON object');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw badRequest('the body must be a JSON object');
  return body;
}

export async function parseActionBody(request: Request): Promise<PairActionBody> {
  return parseParams(pairActionBodySchema, await readJsonObject(request));
}

export const MAX_AUDIT_LIMIT = 500;
export const DEFAULT_AUDIT_LIMIT = 100;

export interface AuditLogQuery {
  target: string | null;
  actor: string | null;
  action: string | null;
  since: string | null;
  before: number | null;
  limit: number;
}

const text = (name: string) =>
  z
    .string()
    .min(1, { error: `${name} must not be empty` })
    .max(200, { error: `${name} must be at most 200 characters` })
    // PostgreSQL text cannot hold NUL; no actor, action or target holds a control character.
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), { error: `${name} must not contain control characters` });

const auditSchema = z.object({
  target: text('target').optional(),
  actor: text('actor').optional(),
  action: text('action').optional(),
  since: z
    .string()
    .refine((value) => /^\d{4}-\d{2}-\d{2}(T|$)/.test(value) && Number.isFinite(Date.parse(value)), {
      error: (issue) => `since must be an ISO 8601 time, got ${quoted(String(issue.input))}`,
    })
    .optional(),
  before: intParam('before', 1, Number.MAX_SAFE_INTEGER).optional(),
  limit: intParam('limit', 1, MAX_AUDIT_LIMIT).optional(),
});

/** GET /api/audit-log?target=&actor=&action=&since=&before=&limit= */
export function parseAuditLogQuery(params: URLSearchParams): AuditLogQuery {
  const known = ['target', 'actor', 'action', 'since', 'before', 'limit'] as const;
  rejectUnknownAndRepeated(params, known);
  const parsed = parseParams(
    auditSchema,
    Object.fromEntries(known.map((name) => [name, params.get(name) ?? undefined])),
  );
  return {
    target: parsed.target ?? null,
    actor: parsed.actor ?? null,
    action: parsed.action ?? null,
    since: parsed.since ? new Date(parsed.since).toISOString() : null,
    before: parsed.before ?? null,
    limit: parsed.limit ?? DEFAULT_AUDIT_LIMIT,
  };
}
