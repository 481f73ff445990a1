'use client';

import { useSearchParams } from 'next/navigation';
import { rememberOverviewHref } from '@/components/ui/last-overview';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  DEFAULT_DIR,
  hasFilters,
  listSearch,
  readListView,
  type PresetId,
  type SortKey,
} from '@/lib/health/list-contract';
import { SEEDED_TIMEFRAMES } from '@/lib/shared/timeframes';
import { OVERVIEW_POLL_MS } from '@/components/hooks/polling';
import type { HealthState } from '@/lib/shared/types';
import { HealthHeatmap } from '@/components/charts/health-heatmap';
import { useOverviewQuery, usePrefetchOverview } from '@/components/hooks/use-overview-query';
import { HEATMAP_BLOCK, HEATMAP_FIRST_WINDOW, TABLE_BLOCK, TABLE_WINDOW } from '@/lib/health/overview-request';
import { PollStatus } from '@/components/status/poll-status';
import { StaleBanner } from '@/components/status/stale-banner';
import { ReplicaBanner } from '@/components/status/replica-banner';
import { WorkerBanner } from '@/components/status/worker-banner';
import { StateCounts } from '@/components/status/state-counts';
import { FilterBar } from '@/components/tables/filter-bar';
import { HealthTable } from '@/components/tables/health-table';
import { SelectAllShown, SelectionBar } from '@/components/actions/selection-bar';
import { useSelection } from '@/components/hooks/use-selection';
import { useHydrating } from '@/components/hooks/use-hydrating';
import { PresetBar } from '@/components/tables/preset-bar';
import { AppHeader } from '@/components/ui/app-header';
import { formatCount } from '@/components/ui/format';

/** The overview's view: filters, sort and direction, kept in the URL. */
type ListView = ReturnType<typeof readListView>;

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((item) => item !== value) : [...list, value];
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
 * useSearchParams in step with pushState/replaceState). The server filters, sorts and windows
 * (GET /api/health/overview): the tab holds the counts and the rows and squares in sight.
 */
export function OverviewScreen() {
  const searchParams = useSearchParams();
  const filters = useMemo(() => readListView(new URLSearchParams(searchParams.toString())), [searchParams]);
  const viewKey = listSearch(filters);

  // "← Overview" on the other pages comes back to this view.
  useEffect(() => rememberOverviewHref(viewKey ? `/?${viewKey}` : '/'), [viewKey]);

  // Reads the URL at call time, not from the render's closure. A filter, a sort or a search
  // replaces the history entry: Back leaves the overview instead of replaying every click.
  // The new view's answer is asked for from here, before React draws the view (usePrefetchOverview).
  const prefetch = usePrefetchOverview();
  const heatmapLimit = useRef(HEATMAP_FIRST_WINDOW);
  const update = useCallback(
    (change: (current: ListView) => ListView, mode: 'push' | 'replace' = 'replace') => {
      const current = readListView(new URLSearchParams(window.location.search));
      const search = listSearch(change(current));
      if (search === listSearch(current)) return;
      const url = search ? `${window.location.pathname}?${search}` : window.location.pathname;
      // The view as the render will read it back from the URL, so the request is the one it makes.
      const view = readListView(new URLSearchParams(search));
      prefetch({ ...view, offset: 0, limit: TABLE_WINDOW, hoffset: 0, hlimit: heatmapLimit.current });
      if (mode === 'push') window.history.pushState(null, '', url);
      else window.history.replaceState(null, '', url);
    },
    [prefetch],
  );

  // The windows in sight, each for the view it was scrolled in: a new view starts at the top.
  const [tableWindow, setTableWindow] = useState({ viewKey, offset: 0 });
  const [heatmapWindow, setHeatmapWindow] = useState({ viewKey, offset: 0, limit: HEATMAP_FIRST_WINDOW });
  useEffect(() => {
    heatmapLimit.current = heatmapWindow.limit;
  }, [heatmapWindow.limit]);
  const onFirstRow = useCallback(
    (index: number) => {
      const offset = Math.floor(index / TABLE_BLOCK) * TABLE_BLOCK;
      setTableWindow((held) => ((held.viewKey === viewKey ? held.offset : 0) === offset ? held : { viewKey, offset }));
    },
    [viewKey],
  );
  const onHeatmapWindow = useCallback(
    (first: number, inSight: number) => {
      setHeatmapWindow((held) => {
        const heldOffset = held.viewKey === viewKey ? held.offset : 0;
        // The window held still covers what is in sight: no new request.
        if (heldOffset <= first && first + inSight <= heldOffset + held.limit) return held;
        const block = Math.max(HEATMAP_BLOCK, Math.ceil(inSight / HEATMAP_BLOCK) * HEATMAP_BLOCK);
        return { viewKey, offset: Math.floor(first / block) * block, limit: 2 * block };
      });
    },
    [viewKey],
  );
  const request = {
    ...filters,
    offset: tableWindow.viewKey === viewKey ? tableWindow.offset : 0,
    limit: TABLE_WINDOW,
    hoffset: heatmapWindow.viewKey === viewKey ? heatmapWindow.offset : 0,
    hlimit: heatmapWindow.limit,
  };
  const overview = useOverviewQuery(request);
  // The page's HTML comes with its first answer (app/page.tsx); until its scripts have hydrated
  // it, a click on a filter would be lost, so the controls say they are not ready yet. Links work.
  const hydrating = useHydrating();
  const held = overview.data;
  const answer = held?.answer;
  // "Updated N s ago" is the snapshot's age: a first look may be answered from one up to a minute old.
  const dataAsOf = held?.generatedAt ? Date.parse(held.generatedAt) : undefined;
  // The answer on screen is for another view while the new one is on its way.
  const updating = held !== undefined && held.viewKey !== viewKey;
  const rowAt = useCallback(
    (index: number) => (answer && index >= answer.offset ? answer.rows[index - answer.offset] : undefined),
    [answer],
  );
  const selection = useSelection(rowAt);
  const tableSelection = useMemo(() => ({ has: selection.has, onSelect: selection.toggle }), [selection]);

  const steps = useMemo(
    () => new Map((answer?.timeframes ?? []).map((entry) => [entry.timeframe, entry.stepMinutes])),
    [answer?.timeframes],
  );
  const timeframes = useMemo(() => timeframeChips(steps, filters.timeframes), [steps, filters.timeframes]);
  // A shared link may name a timeframe no pair has (a typo, a retired timeframe): say so, rather
  // than show an empty table as if every pair were filtered out by health.
  const unknownTimeframes = answer ? filters.timeframes.filter((timeframe) => !steps.has(timeframe)) : [];

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
  const onTeam = useCallback((team: string | null) => update((f) => ({ ...f, team })), [update]);
  const onClear = useCallback(
    () => update((f) => ({ ...f, states: [], timeframes: [], q: '', preset: null, team: null })),
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

  return (
    <>
      {/* An on-call engineer comes for the rows: the skip link lands on the first one in sight. */}
      <AppHeader current="overview" skipTo={{ href: '#pairs-table', label: 'Skip to the pairs table' }}>
        <PollStatus
          timing={{
            dataUpdatedAt: overview.dataUpdatedAt,
            errorUpdatedAt: overview.errorUpdatedAt,
            isFetching: overview.isFetching,
            intervalMs: OVERVIEW_POLL_MS,
            dataAsOf,
          }}
          onRefresh={() => void overview.refetch()}
        />
      </AppHeader>
      <main className="mx-auto max-w-[1800px] px-4 py-4 sm:px-6">
        <fieldset disabled={hydrating} className="contents">
          <div className="space-y-4">
            <div className="flex flex-wrap items-baseline justify-between gap-2">
              <h1 className="text-xl font-bold text-slate-900">Aggregation health</h1>
              <p className="text-sm text-slate-600 tabular">
                {answer === undefined ? 'Loading…' : `${formatCount(answer.total)} pairs`}
                {answer &&
                  ` · stalled after ${answer.thresholds.stallMinutes} min · lagging over ${answer.thresholds.lagBars} bars · source stale after ${answer.thresholds.sourceStaleMinutes} min`}
              </p>
            </div>

            <StaleBanner intervalMs={OVERVIEW_POLL_MS} query={overview} dataAsOf={dataAsOf} />
            <WorkerBanner />
            <ReplicaBanner />

            <StateCounts
              byState={answer?.byState}
              unconfirmed={answer?.unconfirmed}
              selected={filters.states}
              onToggle={onToggleState}
            />

            <div className="flex flex-col gap-3 rounded-lg border border-slate-200 bg-white p-3 shadow-sm">
              <PresetBar
                active={filters.preset}
                onSelect={onPreset}
                // An answer for the previous view would explain the wrong numbers.
                matchedByState={updating ? undefined : answer?.matchedByState}
              />
              <FilterBar
                q={filters.q}
                onSearch={onSearch}
                timeframes={timeframes}
                selectedTimeframes={filters.timeframes}
                onToggleTimeframe={onToggleTimeframe}
                teams={answer?.teams ?? []}
                team={filters.team ?? null}
                onTeam={onTeam}
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
                No pair has timeframe {unknownTimeframes.join(', ')} (pairs have {shortestFirst(steps).join(', ')}).
                Clear the filter to see every pair.
              </p>
            )}

            <section
              aria-labelledby="heatmap-title"
              className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
            >
              <h2 id="heatmap-title" className="mb-2 text-sm font-semibold text-slate-700">
                Symbol × timeframe{' '}
                <span className="font-normal text-slate-500">
                  — worst symbols first; hover or focus a square for the reason
                </span>
              </h2>
              {answer ? (
                <HealthHeatmap
                  timeframes={answer.heatmap.timeframes}
                  symbols={answer.heatmap.symbols}
                  offset={answer.heatmap.offset}
                  lines={answer.heatmap.lines}
                  onWindow={onHeatmapWindow}
                />
              ) : (
                <Placeholder loading={overview.isPending} />
              )}
            </section>

            {/* The table comes with the first answer, under the heatmap it sizes: nothing above it moves. */}
            {(answer || !overview.isPending) && (
              <section aria-labelledby="table-title" className="space-y-2">
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <h2 id="table-title" className="text-sm font-semibold text-slate-700">
                    Pairs
                    <span className="ml-2 font-normal text-slate-500 tabular" data-testid="table-count">
                      {answer ? `${formatCount(answer.matched)} of ${formatCount(answer.total)} pairs` : ''}
                      {updating ? ' · updating…' : ''}
                    </span>
                  </h2>
                  {answer && <SelectAllShown rows={answer.rows} selection={selection} />}
                </div>
                {answer ? (
                  <HealthTable
                    total={answer.matched}
                    offset={answer.offset}
                    rows={answer.rows}
                    sort={filters.sort}
                    dir={filters.dir}
                    onSort={onSort}
                    dimmed={updating}
                    onFirstVisible={onFirstRow}
                    scrollKey={viewKey}
                    selection={tableSelection}
                  />
                ) : (
                  <Placeholder loading={overview.isPending} />
                )}
                <SelectionBar selection={selection} />
              </section>
            )}
          </div>
        </fieldset>
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
