'use client';

import { useQuery } from '@tanstack/react-query';
import { PAIR_DETAIL_POLL_MS, pollUntilClientError } from '@/components/hooks/polling';
import type { PairDetailResponse } from '@/lib/shared/types';
import { fetchJson, pairPath } from './api-fetch';
import { pairDetailSchema } from './api-schemas';

/** One pair's health, its recent run history (oldest first) and remediation SQL. */
export function usePairDetailQuery(symbol: string, timeframe: string) {
  return useQuery<PairDetailResponse>({
    queryKey: ['pair', symbol, timeframe, 'detail'],
    queryFn: ({ signal }) => fetchJson(pairPath(symbol, timeframe), pairDetailSchema, signal),
    refetchInterval: pollUntilClientError(PAIR_DETAIL_POLL_MS),
  });
}
