'use client';

import { useInfiniteQuery, type InfiniteData } from '@tanstack/react-query';
import { PAIR_DETAIL_POLL_MS } from '@/components/hooks/polling';
import type { RunsPage } from '@/lib/shared/types';
import { fetchJson, pairPath } from './api-fetch';
import { runsPageSchema } from './api-schemas';

export const RUNS_PAGE_SIZE = 25;
const MAX_POLLED_PAGES = 4;

/**
 * A pair's runs, newest first, paged backwards with ?before=. On each poll react-query
 * refetches the loaded pages in order and recomputes every `before` from the fresh previous
 * page, so new runs never leave a hole between pages.
 */
export function usePairRunsQuery(symbol: string, timeframe: string, enabled = true) {
  return useInfiniteQuery<RunsPage, Error, InfiniteData<RunsPage, string | null>, readonly unknown[], string | null>({
    queryKey: ['pair', symbol, timeframe, 'runs'],
    enabled,
    initialPageParam: null,
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams({ limit: String(RUNS_PAGE_SIZE) });
      if (pageParam) params.set('before', pageParam);
      return fetchJson(`${pairPath(symbol, timeframe)}/runs?${params}`, runsPageSchema, signal);
    },
    getNextPageParam: (last) => last.nextCursor,
    // Every poll refetches every loaded page; someone reading far back does not need live
    // updates of the newest runs, so polling stops once they paged beyond a few pages.
    refetchInterval: (query) =>
      (query.state.data?.pages.length ?? 0) > MAX_POLLED_PAGES ? false : PAIR_DETAIL_POLL_MS,
  });
}
