'use client';

import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { listSearch } from '@/lib/health/list-contract';
import type { OverviewView, OverviewWindows } from '@/lib/health/overview';
import { OVERVIEW_POLL_MS } from '@/components/hooks/polling';
import type { OverviewResponse } from '@/lib/shared/types';
import { fetchJsonIfChanged } from './api-fetch';
import { overviewSchema } from './api-schemas';

/** What the overview asks for: the view (kept in the URL) and the windows in sight. */
export type OverviewRequest = OverviewView & OverviewWindows;

/** An answer with the view (listSearch of the filters and sort) it was asked for. */
export interface HeldOverview {
  viewKey: string;
  /** the ETag the answer came with; kept in the data, which structural sharing merges poll to poll */
  etag: string | null;
  answer: OverviewResponse;
}

export function overviewPath(request: OverviewRequest): string {
  const params = new URLSearchParams(listSearch(request)); // the view, offset and limit
  params.set('hoffset', String(request.hoffset));
  params.set('hlimit', String(request.hlimit));
  return `/api/health/overview?${params}`;
}

/**
 * The overview's counts and the windows of its table and heatmap (GET /api/health/overview):
 * the server filters, sorts and windows its snapshot, so the tab holds what it shows whatever
 * the number of pairs. A poll sends the ETag of the answer it holds; a 304 keeps it.
 */
export function useOverviewQuery(request: OverviewRequest) {
  const client = useQueryClient();
  const queryKey = ['health', 'overview', request];
  const { offset: _offset, limit: _limit, hoffset: _hoffset, hlimit: _hlimit, ...view } = request;
  const viewKey = listSearch(view);
  return useQuery<HeldOverview>({
    queryKey,
    queryFn: async ({ signal }) => {
      const held = client.getQueryData<HeldOverview>(queryKey);
      const answer = await fetchJsonIfChanged(overviewPath(request), overviewSchema, held?.etag ?? null, signal);
      if (!answer.changed) return held!;
      return { viewKey, etag: answer.etag, answer: answer.data };
    },
    refetchInterval: OVERVIEW_POLL_MS,
    // A filter change or a scroll to another window keeps the previous answer on screen (marked as updating).
    placeholderData: keepPreviousData,
  });
}
