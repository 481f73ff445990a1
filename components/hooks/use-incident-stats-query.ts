'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { STATS_POLL_MS } from '@/components/hooks/polling';
import type { IncidentStatsResponse, StatsWindow } from '@/lib/shared/history-types';
import { fetchJson } from './api-fetch';
import { incidentStatsSchema } from './history-schemas';

/** MTTR and time in problem over a window, of one team's pairs or of all: GET /api/incidents/stats. */
export function useIncidentStatsQuery(window: StatsWindow, team: string | null) {
  const search = new URLSearchParams({ window, ...(team ? { team } : {}) });
  return useQuery<IncidentStatsResponse>({
    queryKey: ['incidents', 'stats', window, team],
    queryFn: ({ signal }) => fetchJson(`/api/incidents/stats?${search}`, incidentStatsSchema, signal),
    refetchInterval: STATS_POLL_MS,
    placeholderData: keepPreviousData,
  });
}
