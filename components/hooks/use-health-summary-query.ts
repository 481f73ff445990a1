'use client';

import { useQuery } from '@tanstack/react-query';
import type { HealthSummaryResponse } from '@/lib/shared/types';
import { fetchJson } from './api-fetch';
import { healthSummarySchema } from './api-schemas';

export const healthSummaryKey = ['health', 'summary'] as const;

interface Options {
  /** false: fetch once (the pair page only needs the thresholds). */
  intervalMs: number | false;
  /** The wall is never "focused"; it must keep polling anyway. */
  pollInBackground?: boolean;
}

/** Counts per state and the worst problems: GET /api/health/summary. */
export function useHealthSummaryQuery({ intervalMs, pollInBackground = false }: Options) {
  return useQuery<HealthSummaryResponse>({
    queryKey: healthSummaryKey,
    queryFn: ({ signal }) => fetchJson('/api/health/summary', healthSummarySchema, signal),
    refetchInterval: intervalMs,
    refetchIntervalInBackground: pollInBackground,
    ...(intervalMs === false ? { staleTime: 5 * 60_000 } : {}),
  });
}
