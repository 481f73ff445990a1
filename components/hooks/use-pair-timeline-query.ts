'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { TIMELINE_POLL_MS } from '@/components/hooks/polling';
import type { TimelineResponse } from '@/lib/shared/history-types';
import { fetchJson, pairPath } from './api-fetch';
import { timelineSchema } from './history-schemas';

/** A pair's state intervals over the last `hours`: GET /api/pairs/[symbol]/[timeframe]/timeline. */
export function usePairTimelineQuery(symbol: string, timeframe: string, hours: number) {
  return useQuery<TimelineResponse>({
    queryKey: ['pair', symbol, timeframe, 'timeline', hours],
    queryFn: ({ signal }) => {
      const to = new Date();
      const from = new Date(to.getTime() - hours * 3_600_000);
      const params = new URLSearchParams({ from: from.toISOString(), to: to.toISOString() });
      return fetchJson(`${pairPath(symbol, timeframe)}/timeline?${params}`, timelineSchema, signal);
    },
    refetchInterval: TIMELINE_POLL_MS,
    placeholderData: keepPreviousData,
  });
}
