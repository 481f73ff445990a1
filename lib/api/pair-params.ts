import { z } from 'zod';
import { MAX_SYMBOL_LENGTH, symbolSchema, timeframeSchema } from '../shared/pair-key';
import { intParam, parseParams, rejectUnknownAndRepeated } from './params';

/** Path and query parameters of /api/pairs/[symbol]/[timeframe](/runs). */
export { MAX_SYMBOL_LENGTH };
export const MAX_RUNS_LIMIT = 500;
export const DEFAULT_RUNS_LIMIT = 50;

export interface PairKey {
  symbol: string;
  timeframe: string;
}

const pairSchema = z.object({
  symbol: symbolSchema,
  timeframe: timeframeSchema,
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
  const parsed = parseParams(runsSchema, {
    before: params.get('before') ?? undefined,
    limit: params.get('limit') ?? undefined,
  });
  return { before: parsed.before ?? null, limit: parsed.limit ?? DEFAULT_RUNS_LIMIT };
}
