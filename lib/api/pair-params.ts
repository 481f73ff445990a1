import { z } from 'zod';
import { quoted } from './errors';
import { intParam, parseParams, rejectUnknownAndRepeated } from './params';

/** Path and query parameters of /api/pairs/[symbol]/[timeframe](/runs). */
export const MAX_SYMBOL_LENGTH = 64;
export const MAX_RUNS_LIMIT = 500;
export const DEFAULT_RUNS_LIMIT = 50;

export interface PairKey {
  symbol: string;
  timeframe: string;
}

const pairSchema = z.object({
  symbol: z
    .string()
    .min(1, { error: 'symbol must not be empty' })
    .max(MAX_SYMBOL_LENGTH, { error: `symbol must be at most ${MAX_SYMBOL_LENGTH} characters` })
    // Control characters never occur in a symbol; refusing them keeps them out of logs.
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), { error: 'symbol must not contain control characters' }),
  timeframe: z
    .string()
    .regex(/^[0-9A-Za-z]{1,16}$/, { error: (issue) => `timeframe must be a timeframe such as 5m or 1h, got ${quoted(String(issue.input))}` }),
});

/** Next.js hands the path segments over decoded. */
export function parsePairKey(params: { symbol: string; timeframe: string }): PairKey {
  return parseParams(pairSchema, params);
}

/** GET /api/pairs/[symbol]/[timeframe] takes no query parameters. */
export function parsePairDetailQuery(params: URLSearchParams): void {
  rejectUnknownAndRepeated(params, []);
}

export interface RunsQuery {
  before: number | null;
  limit: number;
}

const runsSchema = z.object({
  before: intParam('before', 1, Number.MAX_SAFE_INTEGER).optional(),
  limit: intParam('limit', 1, MAX_RUNS_LIMIT).optional(),
});

export function parseRunsQuery(params: URLSearchParams): RunsQuery {
  rejectUnknownAndRepeated(params, ['before', 'limit']);
  const parsed = parseParams(runsSchema, { before: params.get('before') ?? undefined, limit: params.get('limit') ?? undefined });
  return { before: parsed.before ?? null, limit: parsed.limit ?? DEFAULT_RUNS_LIMIT };
}
