'use client';

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { listSearch } from '@/lib/health-list-contract';
import { OVERVIEW_POLL_MS } from '@/lib/polling';
import type { HealthListResponse, PairHealth } from '@/lib/types';
import type { ApiFilters } from '@/components/tables/overview-filters';
import { fetchJson } from './api-fetch';
import { healthListSchema } from './api-schemas';

/** Rows per request; the API answers larger results in several pages. */
export const HEALTH_PAGE_SIZE = 10_000;
/** A safety stop: more pairs than this are not fetched into one browser tab. */
export const HEALTH_MAX_ROWS = 100_000;

function searchOf(filters: ApiFilters, offset: number): string {
  return listSearch({ ...filters, limit: HEALTH_PAGE_SIZE, offset });
}

/**
 * Every pair matching the filters (GET /api/health, paged through), so that the table can sort
 * and the heatmap can group the complete result in the browser without another request.
 */
export function useHealthListQuery(filters: ApiFilters) {
  return useQuery<HealthListResponse>({
    queryKey: ['health', 'list', filters],
    queryFn: async ({ signal }) => {
      const first = await fetchJson(`/api/health?${searchOf(filters, 0)}`, healthListSchema, signal);
      if (first.rows.length === 0 || first.rows.length >= first.total) return first;
      const rows: PairHealth[] = [...first.rows];
      while (rows.length < Math.min(first.total, HEALTH_MAX_ROWS)) {
        const page = await fetchJson(`/api/health?${searchOf(filters, rows.length)}`, healthListSchema, signal);
        if (page.rows.length === 0) break; // the set shrank while we paged
        rows.push(...page.rows);
      }
      return { ...first, rows };
    },
    refetchInterval: OVERVIEW_POLL_MS,
    // Deep-comparing 30,000 rows to reuse unchanged ones costs more main thread than the
    // memoised sort and grid it would save: every poll is a new snapshot anyway.
    structuralSharing: false,
    // A filter change keeps the previous rows on screen (marked as updating) instead of a blank table.
    placeholderData: keepPreviousData,
  });
}
