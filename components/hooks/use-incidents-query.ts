'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { INCIDENTS_POLL_MS } from '@/components/hooks/polling';
import type { IncidentsResponse } from '@/lib/shared/history-types';
import { fetchJson } from './api-fetch';
import { incidentsSchema } from './history-schemas';

interface Options {
  status?: 'open' | 'resolved' | 'all';
  limit?: number;
  offset?: number;
  /** only this team's incidents (docs/HEALTH.md, "Owners"); null or absent: every team */
  team?: string | null;
  intervalMs?: number;
  /** The wall is never "focused"; it must keep polling anyway. */
  pollInBackground?: boolean;
}

/** Open incidents first, then recent ones: GET /api/incidents. */
export function useIncidentsQuery({
  status = 'all',
  limit = 50,
  offset = 0,
  team = null,
  intervalMs = INCIDENTS_POLL_MS,
  pollInBackground = false,
}: Options = {}) {
  return useQuery<IncidentsResponse>({
    queryKey: ['incidents', status, limit, offset, team],
    queryFn: ({ signal }) => {
      const params = new URLSearchParams({ status, limit: String(limit), offset: String(offset) });
      if (team) params.set('team', team);
      return fetchJson(`/api/incidents?${params}`, incidentsSchema, signal);
    },
    refetchInterval: intervalMs,
    refetchIntervalInBackground: pollInBackground,
    // Paging keeps the current page on screen until the next one arrives.
    placeholderData: keepPreviousData,
  });
}
