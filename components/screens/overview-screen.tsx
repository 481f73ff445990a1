'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback, useDeferredValue, useMemo } from 'react';
import {
  comparePairs,
  DEFAULT_DIR,
  hasFilters,
  listSearch,
  NO_FILTERS,
  pairMatcher,
  readListView,
  type PresetId,
  type SortKey,
} from '@/lib/health/list-contract';
import { SEEDED_TIMEFRAMES } from '@/lib/shared/timeframes';
import { OVERVIEW_POLL_MS } from '@/components/hooks/polling';
import type { HealthState, PairHealth } from '@/lib/shared/types';
import { HealthHeatmap } from '@/components/charts/health-heatmap';
import { useHealthListQuery } from '@/components/hooks/use-health-list-query';
import { useHealthSummaryQuery } from '@/components/hooks/use-health-summary-query';
import { PollStatus } from '@/components/status/poll-status';
import { isStale, StaleBanner } from '@/components/status/stale-banner';
import { ReplicaBanner } from '@/components/status/replica-banner';
import { WorkerBanner } from '@/components/status/worker-banner';
import { StateCounts } from '@/components/status/state-counts';
import { FilterBar } from '@/components/tables/filter-bar';
import { HealthTable } from '@/components/tables/health-table';
import { PresetBar } from '@/components/tables/preset-bar';
import { AppHeader } from '@/components/ui/app-header';
import { formatCount } from '@/components/ui/format';

/** The overview's view: filters, sort and direction, kept in the URL. */
type ListView = ReturnType<typeof readListView>;

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
}

/** Each timeframe the rows carry, with its length in minutes. */
function timeframeSteps(rows: readonly PairHealth[]): Map<string, number> {
  const steps = new Map<string, number>();
  for (const row of rows) steps.set(row.timeframe, row.stepMinutes);
  return steps;
}

function shortestFirst(steps: ReadonlyMap<string, number>): string[] {
  return [...steps.keys()].sort((a, b) => steps.get(a)! - steps.get(b)!);
}

/**
 * The timeframe chips, shortest first. A timeframe some row carries is placed by that row's
 * stepMinutes. SEEDED_TIMEFRAMES carries no minutes but is written shortest first, so it is not
 * sorted: a name of it that no row carries (yet) goes right after the name before it there. A
 * name only the URL has (a typo, a retired timeframe) comes last, still a chip to switch off.
 */
function timeframeChips(steps: ReadonlyMap<string, number>, selected: readonly string[]): string[] {
  const chips = shortestFirst(steps);
  let at = 0;
  for (const name of SEEDED_TIMEFRAMES) {
    const index = chips.indexOf(name);
    if (index >= 0) at = index + 1;
    else chips.splice(at++, 0, name);
  }
  return [...chips, ...selected.filter((name) => !chips.includes(name))];
}

/**
 * The overview: counts, presets, filters, heatmap and the table. The URL is the only store of
 * the view; the History API changes it without a server round trip (Next.js keeps
 * useSearchParams in step with pushState/replaceState).
 */
export function OverviewScreen() {
  const searchParams = useSearchParams();
  const filters = useMemo(() => readListView(new URLSearchParams(searchParams.toString())), [searchParams]);

  // Reads the URL at call time, not from the render's closure: the debounced search can fire
  // after other filters changed.
  const update = useCallback((change: (current: ListView) => ListView, mode: 'push' | 'replace' = 'push') => {
    const next = change(readListView(new URLSearchParams(window.location.search)));
    const search = listSearch(next);
    const url = search ? `${window.location.pathname}?${search}` : window.location.pathname;
    if (mode === 'push') window.history.pushState(null, '', url);
    else window.history.replaceState(null, '', url);
  }, []);

  // Every pair, fetched once per poll whatever the filters: filtering and sorting happen here,
  // over the rows already held, so a keystroke shows its matches without a round trip. The
  // deferred view keeps typing responsive while 30,000 rows are filtered behind it.
  const list = useHealthListQuery(NO_FILTERS);
  const view = useDeferredValue(filters);
  const filtered = useMemo(() => (list.data ? list.data.rows.filter(pairMatcher(view)) : []), [list.data, view]);
  const summary = useHealthSummaryQuery({ intervalMs: OVERVIEW_POLL_MS });

  const sorted = useMemo(() => [...filtered].sort(comparePairs(view.sort, view.dir)), [filtered, view.sort, view.dir]);

  const steps = useMemo(() => timeframeSteps(list.data?.rows ?? []), [list.data]);
  const timeframes = useMemo(() => timeframeChips(steps, filters.timeframes), [steps, filters.timeframes]);
  // A shared link may name a timeframe no pair has (a typo, a retired timeframe): say so, rather
  // than show an empty table as if every pair were filtered out by health.
  const unknownTimeframes = list.data ? filters.timeframes.filter((timeframe) => !steps.has(timeframe)) : [];

  const onToggleState = useCallback(
    (state: HealthState) => update((f) => ({ ...f, states: toggle(f.states, state) })),
    [update],
  );
  const onToggleTimeframe = useCallback(
    (tf: string) => update((f) => ({ ...f, timeframes: toggle(f.timeframes, tf) })),
    [update],
  );
  const onSearch = useCallback((q: string) => update((f) => ({ ...f, q }), 'replace'), [update]);
  const onPreset = useCallback((preset: PresetId | null) => update((f) => ({ ...f, preset })), [update]);
  const onClear = useCallback(
    () => update((f) => ({ ...f, states: [], timeframes: [], q: '', preset: null })),
    [update],
  );
  const onSort = useCallback(
    (key: SortKey) =>
      update(
        (f) => ({ ...f, sort: key, dir: f.sort === key ? (f.dir === 'asc' ? 'desc' : 'asc') : DEFAULT_DIR[key] }),
        'replace',
      ),
    [update],
  );

  const total = summary.data?.total;
  const loaded = list.data?.rows.length ?? 0;
  // More pairs than one tab loads (HEALTH_MAX_ROWS): the filters apply to the loaded ones.
  const truncated = list.data !== undefined && list.data.total > loaded;
  const shown = filtered.length;

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
            {summary.data &&
              ` · stalled after ${summary.data.thresholds.stallMinutes} min · lagging over ${summary.data.thresholds.lagBars} bars · source stale after ${summary.data.thresholds.sourceStaleMinutes} min`}
          </p>
        </div>

        <StaleBanner intervalMs={OVERVIEW_POLL_MS} query={isStale(list) ? list : summary} />
        <WorkerBanner />
        <ReplicaBanner />

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
            canClear={hasFilters(filters)}
          />
        </div>

        {unknownTimeframes.length > 0 && (
          <p
            role="status"
            data-testid="filter-notice"
            className="rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950"
          >
            No pair has timeframe {unknownTimeframes.join(', ')} (pairs have {shortestFirst(steps).join(', ')}). Clear
            the filter to see every pair.
          </p>
        )}

        <section aria-labelledby="heatmap-title" className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
          <h2 id="heatmap-title" className="mb-2 text-sm font-semibold text-slate-700">
            Symbol × timeframe{' '}
            <span className="font-normal text-slate-500">
              — worst symbols first; hover or focus a square for the reason
            </span>
          </h2>
          {list.data ? <HealthHeatmap rows={filtered} /> : <Placeholder loading={list.isPending} />}
        </section>

        <section aria-labelledby="table-title" className="space-y-2">
          <div className="flex flex-wrap items-baseline justify-between gap-2">
            <h2 id="table-title" className="text-sm font-semibold text-slate-700">
              Pairs
              <span className="ml-2 font-normal text-slate-500 tabular" data-testid="table-count">
                {list.data ? `${formatCount(shown)} of ${formatCount(loaded)} pairs` : ''}
                {view !== filters ? ' · updating…' : ''}
              </span>
            </h2>
            {truncated && (
              <p className="text-xs text-amber-800">
                Only the first {formatCount(loaded)} of {formatCount(list.data?.total)} pairs are loaded; filters apply
                to those.
              </p>
            )}
          </div>
          {list.data ? (
            <HealthTable rows={sorted} sort={view.sort} dir={view.dir} onSort={onSort} dimmed={view !== filters} />
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
