'use client';

import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { healthListAsOf } from '@/lib/health/clock';
import { etagSnapshotVersion, hasFilters, listSearch, type HealthListFilters } from '@/lib/health/list-contract';
import { OVERVIEW_POLL_MS } from '@/components/hooks/polling';
import type { HealthListResponse, PairHealth } from '@/lib/shared/types';
import { fetchJsonIfChanged } from './api-fetch';
import { healthListSchema } from './api-schemas';

/** Rows per request; the API answers larger results in several pages. */
export const HEALTH_PAGE_SIZE = 10_000;
/** A safety stop: more pairs than this are not fetched into one browser tab. */
export const HEALTH_MAX_ROWS = 100_000;

/** The ETag of the first page each held list was answered with (only for lists made of one snapshot). */
const etags = new WeakMap<HealthListResponse, string>();

function searchOf(filters: HealthListFilters, offset: number): string {
  return listSearch({ ...filters, limit: HEALTH_PAGE_SIZE, offset });
}

/**
 * Every pair matching the filters (GET /api/health, paged through), so that the table can sort
 * and the heatmap can group the complete result in the browser without another request.
 *
 * Unfiltered, a poll sends the ETag of the list it holds. While the database has not changed
 * the API answers 304 (a few hundred bytes instead of megabytes at 30,000 pairs), and the held
 * rows are brought to the new snapshot's time here by the server's own rules
 * (lib/health/clock.ts): ages move on and a pair may turn STALLED without a byte of rows.
 * A filtered list is not brought forward (a pair may enter or leave it as time passes).
 */
export function useHealthListQuery(filters: HealthListFilters) {
  const client = useQueryClient();
  const queryKey = ['health', 'list', filters];
  return useQuery<HealthListResponse>({
    queryKey,
    queryFn: async ({ signal }) => {
      const held = hasFilters(filters) ? undefined : client.getQueryData<HealthListResponse>(queryKey);
      const heldEtag = held ? (etags.get(held) ?? null) : null;
      const first = await fetchJsonIfChanged(`/api/health?${searchOf(filters, 0)}`, healthListSchema, heldEtag, signal);
      if (!first.changed) {
        const current = healthListAsOf(held!, first.generatedAt);
        etags.set(current, first.etag);
        return current;
      }
      const list = first.data;
      let oneSnapshot = first.etag !== null;
      if (list.rows.length > 0 && list.rows.length < list.total) {
        const rows: PairHealth[] = [...list.rows];
        while (rows.length < Math.min(list.total, HEALTH_MAX_ROWS)) {
          const page = await fetchJsonIfChanged(
            `/api/health?${searchOf(filters, rows.length)}`,
            healthListSchema,
            null,
            signal,
          );
          if (!page.changed || page.data.rows.length === 0) break; // the set shrank while we paged
          oneSnapshot &&= etagSnapshotVersion(page.etag) === etagSnapshotVersion(first.etag);
          rows.push(...page.data.rows);
        }
        list.rows = rows;
      }
      // Pages from two snapshots are not one snapshot's copy: the next poll asks for all of it.
      if (oneSnapshot && first.etag) etags.set(list, first.etag);
      return list;
    },
    refetchInterval: OVERVIEW_POLL_MS,
    // Deep-comparing 30,000 rows to reuse unchanged ones costs more main thread than the
    // memoised sort and grid it would save: a changed snapshot comes as a new list anyway.
    structuralSharing: false,
    // A filter change keeps the previous rows on screen (marked as updating) instead of a blank table.
    placeholderData: keepPreviousData,
  });
}
