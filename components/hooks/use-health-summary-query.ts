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
  /** only this team's pairs (the team's wall); null or absent: every pair */
  team?: string | null;
}

/** Counts per state and the worst problems: GET /api/health/summary. */
export function useHealthSummaryQuery({ intervalMs, pollInBackground = false, team = null }: Options) {
  return useQuery<HealthSummaryResponse>({
    queryKey: team ? [...healthSummaryKey, team] : healthSummaryKey,
    queryFn: ({ signal }) =>
      fetchJson(
        team ? `/api/health/summary?team=${encodeURIComponent(team)}` : '/api/health/summary',
        healthSummarySchema,
        signal,
      ),
    refetchInterval: intervalMs,
    refetchIntervalInBackground: pollInBackground,
    ...(intervalMs === false ? { staleTime: 5 * 60_000 } : {}),
  });
}
