'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';
import { OVERVIEW_POLL_MS } from '@/lib/polling';
import type { HealthState } from '@/lib/types';
import { HealthHeatmap } from '@/components/charts/health-heatmap';
import { useHealthListQuery } from '@/components/hooks/useHealthListQuery';
import { useHealthSummaryQuery } from '@/components/hooks/useHealthSummaryQuery';
import { PollStatus } from '@/components/status/poll-status';
import { isStale, StaleBanner } from '@/components/status/stale-banner';
import { StateCounts } from '@/components/status/state-counts';
import { FilterBar } from '@/components/tables/filter-bar';
import { HealthTable } from '@/components/tables/health-table';
import {
  apiFilters,
  comparePairs,
  DEFAULT_DIR,
  filtersToSearch,
  hasFilters,
  KNOWN_TIMEFRAMES,
  parseFilters,
  timeframeMinutes,
  type OverviewFilters,
  type PresetId,
  type SortKey,
} from '@/components/tables/overview-filters';
import { PresetBar } from '@/components/tables/preset-bar';
import { AppHeader } from '@/components/ui/app-header';
import { formatCount } from '@/components/ui/format';

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
}

/**
 * The overview: counts, presets, filters, heatmap and the table. The URL is the only store of
 * the view; the History API changes it without a server round trip (Next.js keeps
 * useSearchParams in step with pushState/replaceState).
 */
export function OverviewScreen() {
  const searchParams = useSearchParams();
  const filters = useMemo(() => parseFilters(new URLSearchParams(searchParams.toString())), [searchParams]);
  const query = useMemo(() => apiFilters(filters), [filters]);

  // Reads the URL at call time, not from the render's closure: the debounced search can fire
  // after other filters changed.
  const update = useCallback((change: (current: OverviewFilters) => OverviewFilters, mode: 'push' | 'replace' = 'push') => {
    const next = change(parseFilters(new URLSearchParams(window.location.search)));
    const search = filtersToSearch(next);
    const url = search ? `${window.location.pathname}?${search}` : window.location.pathname;
    if (mode === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }, []);

  const list = useHealthListQuery(query);
  const summary = useHealthSummaryQuery({ intervalMs: OVERVIEW_POLL_MS });

  const sorted = useMemo(
    () => (list.data ? [...list.data.rows].sort(comparePairs(filters.sort, filters.dir)) : []),
    [list.data, filters.sort, filters.dir],
  );

  const timeframes = useMemo(() => {
    const names = new Set([...KNOWN_TIMEFRAMES, ...filters.timeframes]);
    for (const row of list.data?.rows ?? []) names.add(row.timeframe);
    return [...names].sort((a, b) => timeframeMinutes(a) - timeframeMinutes(b));
  }, [list.data, filters.timeframes]);

  const onToggleState = useCallback((state: HealthState) => update((f) => ({ ...f, states: toggle(f.states, state) })), [update]);
  const onToggleTimeframe = useCallback((tf: string) => update((f) => ({ ...f, timeframes: toggle(f.timeframes, tf) })), [update]);
  const onSearch = useCallback((q: string) => update((f) => ({ ...f, q }), 'replace'), [update]);
  const onPreset = useCallback((preset: PresetId | null) => update((f) => ({ ...f, preset })), [update]);
  const onClear = useCallback(() => update((f) => ({ ...f, states: [], timeframes: [], q: '', preset: null })), [update]);
  const onSort = useCallback(
    (key: SortKey) =>
      update(
        (f) => ({ ...f, sort: key, dir: f.sort === key ? (f.dir === 'asc' ? 'desc' : 'asc') : DEFAULT_DIR[key] }),
        'replace',
      ),
    [update],
  );

  const staleSource = isStale(list) ? list : summary;
  const total = summary.data?.total;
  const shown = list.data?.rows.length ?? 0;
  const matching = list.data?.total ?? 0;

  return (
    <>
      <AppHeader current="overview">
        <PollStatus
          timing={{
            dataUpdatedAt: list.dataUpdatedAt,
            errorUpdatedAt: list.errorUpdatedAt,
            isFetching: list.isFetching,
            intervalMs: OVERVIEW_POLL_MS,
          }}
          onRefresh={() => {
            void list.refetch();
            void summary.refetch();
          }}
        />
      </AppHeader>
      <main className="mx-auto max-w-[1800px] space-y-4 px-4 py-4 sm:px-6">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 className="text-xl font-bold text-slate-900">Aggregation health</h1>
          <p className="text-sm text-slate-600 tabular">
            {total === undefined ? 'Loading…' : `${formatCount(total)} pairs`}
            {summary.data && ` · stalled after ${summary.data.thresholds.stallMinutes} min · lagging over ${summary.data.thresholds.lagBars} bars · source stale after ${summary.data.thresholds.sourceStaleMinutes} min`}
          </p>
        </div>

        <StaleBanner
          intervalMs={OVERVIEW_POLL_MS}
          input={{
            isError: staleSource.isError,
            failureCount: staleSource.failureCount,
            error: staleSource.error,
            failureReason: staleSource.failureReason,
            dataUpdatedAt: staleSource.dataUpdatedAt,
            hasData: staleSource.data !== undefined,
          }}
        />

        <StateCounts byState={summary.data?.byState} selected={filters.states} onToggle={onToggleState} />

        <div className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
          <PresetBar active={filters.preset} onSelect={onPreset} />
          <FilterBar
            q={filters.q}
            onSearch={onSearch}
            timeframes={timeframes}
            selectedTimeframes={filters.timeframes}
            onToggleTimeframe={onToggleTimeframe}
            onClear={onClear}
            canClear={hasFilters(query)}
          />
        </div>

        <section aria-labelledby="heatmap-title" className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
          <h2 id="heatmap-title" className="mb-2 text-sm font-semibold text-slate-700">
            Symbol × timeframe <span className="font-normal text-slate-500">— worst symbols first; hover or focus a square for the reason</span>
          </h2>
          {list.data ? <HealthHeatmap rows={list.data.rows} /> : <Placeholder loading={list.isPending} />}
        </section>

        <section aria-labelledby="table-title" className="space-y-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="table-title" className="text-sm font-semibold text-slate-700">
              Pairs
              <span className="ml-2 font-normal text-slate-500 tabular" data-testid="table-count">
                {list.data ? `${formatCount(shown)} of ${formatCount(matching)} matching` : ''}
                {list.isPlaceholderData ? ' · updating…' : ''}
              </span>
            </h2>
            {matching > shown && (
              <p className="text-xs text-amber-800">Only the first {formatCount(shown)} are loaded; narrow the filters to see the rest.</p>
            )}
          </div>
          {list.data ? (
            <HealthTable rows={sorted} sort={filters.sort} dir={filters.dir} onSort={onSort} dimmed={list.isPlaceholderData} />
          ) : (
            <Placeholder loading={list.isPending} />
          )}
        </section>
      </main>
    </>
  );
}

function Placeholder({ loading }: { loading: boolean }) {
  return (
    <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500">
      {loading ? 'Loading pairs…' : 'No data to show yet.'}
    </p>
  );
}
