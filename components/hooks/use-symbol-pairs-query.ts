'use client';

import { useQuery } from '@tanstack/react-query';
import type { HealthListResponse } from '@/lib/shared/types';
import { fetchJson } from './api-fetch';
import { healthListSchema } from './api-schemas';

/** A symbol's pairs, asked once (no polling): the "no such pair" page lists where to go instead. */
export function useSymbolPairsQuery(symbol: string, enabled: boolean) {
  return useQuery<HealthListResponse>({
    queryKey: ['symbol-pairs', symbol],
    enabled,
    queryFn: ({ signal }) =>
      fetchJson(`/api/health?${new URLSearchParams({ q: symbol, limit: '100' })}`, healthListSchema, signal),
    refetchInterval: false,
  });
}
