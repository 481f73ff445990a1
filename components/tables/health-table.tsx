'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { PairListRow } from '@/lib/shared/types';
import type { SortDir, SortKey } from '@/lib/health/list-contract';
import { cn } from '@/components/ui/cn';
import { readOverviewScroll, rememberOverviewScroll } from '@/components/ui/last-overview';
import { useHydrating } from '@/components/hooks/use-hydrating';
import { DESKTOP_ROW_HEIGHT, HealthRow, PendingRow, PHONE_ROW_ESTIMATE, type OnSelectRow } from './health-row';

/** Below Tailwind's `md`, rows are cards (components/tables/health-row.tsx). */
const PHONE_QUERY = '(max-width: 767.98px)';
const subscribeToPhone = (changed: () => void) => {
  const query = window.matchMedia(PHONE_QUERY);
  query.addEventListener('change', changed);
  return () => query.removeEventListener('change', changed);
};

/**
 * The rows the server draws with the page (app/page.tsx), before anything is measured: the
 * height of the table's box on a desktop screen. The browser's first render (hydration) draws
 * the same rows, then measures the box.
 */
const SERVER_RECT = { width: 1400, height: 900 };

interface Column {
  id: string;
  label: string;
  width: string;
  sort?: SortKey;
  align?: 'right';
  hint?: string;
}

const COLUMNS: Column[] = [
  // Room for the selection's box and an "Ack'd by X" under the state (components/tables/health-row.tsx).
  { id: 'state', label: 'Status', width: '180px', sort: 'severity' },
  { id: 'symbol', label: 'Symbol', width: '116px', sort: 'symbol' },
  { id: 'timeframe', label: 'TF', width: '64px', sort: 'timeframe' },
  // The rest of the width: why it is in this state, and what to do about it.
  { id: 'why', label: 'Why → what to do', width: 'auto' },
  {
    id: 'behind',
    label: 'Behind',
    width: '92px',
    sort: 'bars_behind',
    align: 'right',
    hint: 'bars behind: complete windows not aggregated yet',
  },
  { id: 'trend', label: 'Trend / ETA', width: '224px' },
  {
    id: 'success',
    label: 'Since OK',
    width: '112px',
    sort: 'minutes_since_success',
    align: 'right',
    hint: 'minutes since the last successful run',
  },
  { id: 'gap', label: 'Gap', width: '104px', sort: 'gap', align: 'right', hint: 'source frontier minus cursor' },
  { id: 'fails', label: 'Fails', width: '68px', align: 'right', hint: 'consecutive failures' },
];

function SortHeader({
  column,
  sort,
  dir,
  onSort,
}: {
  column: Column;
  sort: SortKey;
  dir: SortDir;
  onSort: (key: SortKey) => void;
}) {
  const active = column.sort === sort;
  const ariaSort = active ? (dir === 'asc' ? 'ascending' : 'descending') : column.sort ? 'none' : undefined;
  const Icon = active ? (dir === 'asc' ? ArrowUp : ArrowDown) : ArrowUpDown;
  const columnSort = column.sort;
  return (
    <th
      scope="col"
      aria-sort={ariaSort}
      title={column.hint}
      className={cn(
        'bg-slate-50 px-3 py-2 text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase max-md:p-0',
        column.align === 'right' ? 'text-right' : 'text-left',
        // On a phone the header is a row of sort buttons; the other columns' names label the figures.
        columnSort ? '' : 'max-md:hidden',
      )}
    >
      {columnSort ? (
        <button
          type="button"
          onClick={() => onSort(columnSort)}
          className={cn(
            'inline-flex items-center gap-1 uppercase hover:text-slate-900',
            active ? 'text-slate-900' : '',
          )}
        >
          {column.label}
          <Icon aria-hidden className={cn('size-3.5', active ? '' : 'opacity-40')} />
        </button>
      ) : (
        column.label
      )}
    </th>
  );
}

/**
 * The pairs of the view, in the chosen order: `total` rows, of which the server sent the window
 * `rows` from `offset` (GET /api/health/overview). Only the rows in sight are in the DOM (plus a
 * few above and below), and `onFirstVisible` tells the screen which window to ask for next.
 */
export function HealthTable({
  total,
  offset,
  rows,
  sort,
  dir,
  onSort,
  dimmed,
  onFirstVisible,
  scrollKey,
  selection,
}: {
  total: number;
  offset: number;
  rows: readonly PairListRow[];
  sort: SortKey;
  dir: SortDir;
  onSort: (key: SortKey) => void;
  dimmed: boolean;
  onFirstVisible: (index: number) => void;
  /** the view (its URL search): where the table and the page were scrolled is kept per view for Back */
  scrollKey: string;
  /** which rows are selected, and what a row's box calls (components/hooks/use-selection.ts) */
  selection?: { has: (pair: PairListRow) => boolean; onSelect: OnSelectRow };
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [saved] = useState(() => readOverviewScroll(scrollKey));
  const rowAt = (index: number) => (index >= offset ? rows[index - offset] : undefined);
  // Stable callbacks, and no getItemKey: a new key function or estimateSize makes react-virtual
  // rebuild its measurements for every row (30,000 objects, 100,000 at that size). A key function
  // naming the window's pairs changed whenever a poll reordered the window, which with the worker
  // running was most polls: at 100,000 pairs 12 long tasks a minute. So react-virtual keeps its
  // sizes by index (a row moved to another index is measured there: HealthRow), and React keys
  // the rows by pair, so a focused row stays focused on its pair when a poll moves it.
  // Hydration draws what the server drew: a desktop row's height, from the top. Then a phone's
  // rows are estimated as cards, and a view scrolled before (Back) starts where it was.
  const phone = useSyncExternalStore(
    subscribeToPhone,
    () => window.matchMedia(PHONE_QUERY).matches,
    () => false,
  );
  const hydrating = useHydrating();
  const estimate = phone ? PHONE_ROW_ESTIMATE : DESKTOP_ROW_HEIGHT;
  const estimateSize = useCallback(() => estimate, [estimate]);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const virtualizer = useVirtualizer({
    count: total,
    getScrollElement,
    estimateSize,
    overscan: 10,
    initialOffset: hydrating ? 0 : (saved?.table ?? 0),
    initialRect: SERVER_RECT,
  });
  // react-virtual keeps the sizes it estimated: a new estimate (a phone, after hydration) asks again.
  const estimated = useRef(estimate);
  useEffect(() => {
    if (estimated.current === estimate) return;
    estimated.current = estimate;
    virtualizer.measure();
  }, [estimate, virtualizer]);
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const first = items[0]?.index ?? 0;
  useEffect(() => onFirstVisible(first), [first, onFirstVisible]);

  // Back to this view: the table and the page scrolled as they were left.
  useLayoutEffect(() => {
    if (!saved) return;
    if (scrollRef.current) scrollRef.current.scrollTop = saved.table;
    window.scrollTo(0, saved.page);
  }, [saved]);
  useEffect(() => {
    const element = scrollRef.current;
    if (!element) return;
    let frame = 0;
    const save = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        // After a navigation the next page scrolls the window: not this view's position.
        if (element.isConnected) rememberOverviewScroll(scrollKey, { table: element.scrollTop, page: window.scrollY });
      });
    };
    element.addEventListener('scroll', save, { passive: true });
    window.addEventListener('scroll', save, { passive: true });
    return () => {
      cancelAnimationFrame(frame);
      element.removeEventListener('scroll', save);
      window.removeEventListener('scroll', save);
    };
  }, [scrollKey]);

  return (
    <div
      ref={scrollRef}
      id="pairs-table"
      // The skip link's target: focus goes on to the first row in sight.
      tabIndex={-1}
      onFocus={(event) => {
        if (event.target !== event.currentTarget) return;
        event.currentTarget.querySelector<HTMLElement>('[data-testid="health-row"]')?.focus();
      }}
      className={cn(
        'max-h-[calc(100vh-7rem)] min-h-[160px] overflow-auto rounded-lg border border-slate-200 bg-white transition-opacity',
        dimmed ? 'opacity-60' : '',
      )}
      data-testid="health-table-scroll"
    >
      <table
        className="w-full min-w-[1100px] table-fixed border-collapse max-md:block max-md:min-w-0"
        aria-rowcount={total + 1}
        data-testid="health-table"
      >
        <caption className="sr-only">
          Pairs, {total} rows, sorted by {sort} {dir === 'asc' ? 'ascending' : 'descending'}
        </caption>
        <colgroup>
          {COLUMNS.map((column) => (
            <col key={column.id} style={{ width: column.width }} />
          ))}
        </colgroup>
        <thead className="sticky top-0 z-10 shadow-[0_1px_0_0_var(--color-slate-200)] max-md:block">
          <tr
            aria-rowindex={1}
            className="max-md:flex max-md:flex-wrap max-md:gap-x-4 max-md:gap-y-1 max-md:bg-slate-50 max-md:px-3 max-md:py-2"
          >
            {COLUMNS.map((column) => (
              <SortHeader key={column.id} column={column} sort={sort} dir={dir} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody className="max-md:block">
          {top > 0 && (
            <tr aria-hidden className="max-md:block" style={{ height: top }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
          {items.map((item) => {
            const pair = rowAt(item.index);
            return pair ? (
              <HealthRow
                key={`${pair.symbol}\u0000${pair.timeframe}`}
                pair={pair}
                index={item.index}
                measure={virtualizer.measureElement}
                selected={selection?.has(pair)}
                onSelect={selection?.onSelect}
              />
            ) : (
              <PendingRow
                key={`pending-${item.index}`}
                index={item.index}
                height={item.size}
                columns={COLUMNS.length}
              />
            );
          })}
          {bottom > 0 && (
            <tr aria-hidden className="max-md:block" style={{ height: bottom }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
        </tbody>
      </table>
      {total === 0 && <p className="p-8 text-center text-sm text-slate-500">No pairs match these filters.</p>}
    </div>
  );
}
