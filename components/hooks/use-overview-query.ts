'use client';

import { keepPreviousData, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useCallback, useEffect } from 'react';
import {
  overviewPath,
  overviewQueryKey,
  overviewViewKey,
  type HeldOverview,
  type OverviewRequest,
} from '@/lib/health/overview-request';
import { OVERVIEW_POLL_MS } from '@/components/hooks/polling';
import { fetchJsonIfChanged } from './api-fetch';
import { overviewSchema } from './api-schemas';

export type { HeldOverview, OverviewRequest } from '@/lib/health/overview-request';

/**
 * The query for one request: its key and how it asks. A poll sends the ETag of the answer held
 * under that key (a 304 keeps it); conditional: false asks without it, as a first look, which the
 * server answers from the snapshot it holds rather than waiting for a rebuild (lib/api/snapshot.ts
 * FIRST_LOOK_STALE_MS).
 */
function overviewQuery(client: QueryClient, request: OverviewRequest, conditional = true) {
  const queryKey = overviewQueryKey(request);
  const viewKey = overviewViewKey(request);
  return {
    queryKey,
    queryFn: async ({ signal }: { signal: AbortSignal }): Promise<HeldOverview> => {
      const held = client.getQueryData<HeldOverview>(queryKey);
      const etag = conditional ? (held?.etag ?? null) : null;
      const answer = await fetchJsonIfChanged(overviewPath(request), overviewSchema, etag, signal);
      if (!answer.changed)
        return held!.generatedAt === answer.generatedAt ? held! : { ...held!, generatedAt: answer.generatedAt };
      return { viewKey, etag: answer.etag, answer: answer.data, generatedAt: answer.generatedAt };
    },
  };
}

/**
 * The overview's counts and the windows of its table and heatmap (GET /api/health/overview):
 * the server filters, sorts and windows its snapshot, so the tab holds what it shows whatever
 * the number of pairs. A poll sends the ETag of the answer it holds; a 304 keeps it.
 *
 * The page's first answer comes with its HTML (app/page.tsx): the rows are on screen before the
 * scripts run. That answer may be from a snapshot up to five minutes old (lib/api/snapshot.ts
 * PAGE_FIRST_LOOK_STALE_MS), so the tab asks again once it has hydrated, with that answer's ETag:
 * a 304 when nothing changed, the fresh answer when something did. (Not `refetchOnMount`: that
 * marks the query as fetching in the hydrating render, which then differs from the server's.)
 */
export function useOverviewQuery(request: OverviewRequest) {
  const client = useQueryClient();
  const query = useQuery<HeldOverview>({
    ...overviewQuery(client, request),
    refetchInterval: OVERVIEW_POLL_MS,
    // Asked for below, after hydration; an answer held from an earlier visit is asked again there too.
    refetchOnMount: false,
    // A filter change or a scroll to another window keeps the previous answer on screen (marked as updating).
    placeholderData: keepPreviousData,
  });
  const { refetch } = query;
  const mountedWithAnswer = query.data !== undefined && !query.isFetching;
  useEffect(() => {
    if (mountedWithAnswer) void refetch({ cancelRefetch: false });
    // Once, on mount: the answer the page came with.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  return query;
}

/**
 * Asks for a view's answer from the event that chose it (a key typed into the search box, a
 * chip clicked), before React has drawn the new view: the query that draws it then finds the
 * request already on its way and waits for that one. Measured at 30,000 pairs with the worker
 * running, drawing the "updating" view first held the request back 30–170 ms.
 *
 * Asked as a first look even for a view seen before (a search typed again, a chip clicked back):
 * a conditional request is a poll, and a poll waits for a rebuild when the snapshot is past its
 * TTL and stale window (1–7 s at 30,000 pairs beside the worker); a person who just asked for a
 * view should not. Its answer carries its snapshot's age, and the view's polls follow as before.
 */
export function usePrefetchOverview(): (request: OverviewRequest) => void {
  const client = useQueryClient();
  return useCallback((request) => void client.prefetchQuery(overviewQuery(client, request, false)), [client]);
}
