'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp, ArrowUpDown } from 'lucide-react';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { memo, useCallback, useEffect, useRef, type MouseEvent } from 'react';
import type { PairListRow } from '@/lib/shared/types';
import { forText } from '@/components/history/state-style';
import { StateBadge } from '@/components/status/state-badge';
import { TrendLabel } from '@/components/status/trend-label';
import { formatCount } from '@/components/ui/format';
import { formatMinutesRounded } from '@/lib/shared/duration';
import { pairHref } from '@/components/ui/pair-href';
import type { SortDir, SortKey } from '@/lib/health/list-contract';
import { cn } from '@/components/ui/cn';

const ROW_HEIGHT = 52;

interface Column {
  id: string;
  label: string;
  width: string;
  sort?: SortKey;
  align?: 'right';
  hint?: string;
}

const COLUMNS: Column[] = [
  { id: 'state', label: 'Status', width: '150px', sort: 'severity' },
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

/**
 * A click anywhere on a row opens its pair, as the highlight promises (the symbol is the row's
 * link, so Enter on it and a middle click work as links do); a click that selects text does not.
 */
function openRowOnClick(event: MouseEvent<HTMLTableRowElement>, href: string, router: ReturnType<typeof useRouter>) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if ((event.target as Element).closest('a, button')) return;
  if (window.getSelection()?.toString()) return;
  router.push(href);
}

const HealthRow = memo(function HealthRow({ pair, index }: { pair: PairListRow; index: number }) {
  const more = pair.reasons.length - 1;
  const router = useRouter();
  const href = pairHref(pair.symbol, pair.timeframe);
  return (
    <tr
      aria-rowindex={index + 2}
      onClick={(event) => openRowOnClick(event, href, router)}
      className="cursor-pointer border-b border-slate-100 hover:bg-sky-50/60"
      style={{ height: ROW_HEIGHT }}
      data-testid="health-row"
      data-state={pair.state}
    >
      <td className="px-3">
        <StateBadge state={pair.state} unconfirmed={pair.unconfirmed} />
      </td>
      <td className="truncate px-3 font-mono text-sm font-semibold">
        <Link
          href={href}
          prefetch={false}
          className="text-sky-800 underline-offset-2 hover:underline"
          title={`Open ${pair.symbol} ${pair.timeframe}`}
        >
          {pair.symbol}
        </Link>
      </td>
      <td className="px-3 font-mono text-sm text-slate-700">{pair.timeframe}</td>
      <td className="px-3 text-sm" title={`${pair.reasons.join('\n')}\n→ ${pair.action}`}>
        <div className="truncate font-medium text-slate-900">
          {pair.reason}
          {pair.state_since && (
            <span className="ml-1.5 text-xs font-medium text-slate-500" data-testid="state-for">
              {forText(pair.state_since)}
            </span>
          )}
          {more > 0 && <span className="ml-1.5 text-xs font-medium text-slate-500">+{more} more</span>}
        </div>
        <div className="truncate text-slate-600">
          <span aria-hidden>→ </span>
          <span className="sr-only">What to do: </span>
          {pair.action}
        </div>
      </td>
      <td className="px-3 text-right text-sm tabular">{formatCount(pair.barsBehind)}</td>
      <td className="overflow-hidden px-3 text-sm">
        <TrendLabel trend={pair.trend} etaMinutes={pair.etaMinutes} />
      </td>
      <td className="px-3 text-right text-sm whitespace-nowrap tabular">
        {pair.lastSuccessUtc ? (
          formatMinutesRounded(pair.minutesSinceSuccess)
        ) : (
          <span title={`registered ${formatMinutesRounded(pair.minutesSinceSuccess)} ago`}>never</span>
        )}
      </td>
      <td className="px-3 text-right text-sm whitespace-nowrap tabular">{formatMinutesRounded(pair.gapMinutes)}</td>
      <td
        className={cn(
          'px-3 text-right text-sm tabular',
          pair.consecutiveFailures > 0 ? 'font-bold text-red-700' : 'text-slate-500',
        )}
      >
        {pair.consecutiveFailures}
      </td>
    </tr>
  );
});

/** A row whose window is still on its way: its height, so the scroll position holds. */
function PendingRow({ index }: { index: number }) {
  return (
    <tr aria-rowindex={index + 2} className="border-b border-slate-100" style={{ height: ROW_HEIGHT }}>
      <td colSpan={COLUMNS.length} className="px-3 text-sm text-slate-400">
        …
      </td>
    </tr>
  );
}

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
        'bg-slate-50 px-3 py-2 text-xs font-semibold tracking-wide whitespace-nowrap text-slate-600 uppercase',
        column.align === 'right' ? 'text-right' : 'text-left',
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
}: {
  total: number;
  offset: number;
  rows: readonly PairListRow[];
  sort: SortKey;
  dir: SortDir;
  onSort: (key: SortKey) => void;
  dimmed: boolean;
  onFirstVisible: (index: number) => void;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const rowAt = (index: number) => (index >= offset ? rows[index - offset] : undefined);
  // Stable callbacks: a new getItemKey or estimateSize each render makes react-virtual rebuild
  // its measurements for every row (30,000) on every scroll frame.
  const getItemKey = useCallback(
    (index: number) => {
      const row = index >= offset ? rows[index - offset] : undefined;
      return row ? `${row.symbol}\u0000${row.timeframe}` : index;
    },
    [rows, offset],
  );
  const estimateSize = useCallback(() => ROW_HEIGHT, []);
  const getScrollElement = useCallback(() => scrollRef.current, []);
  const virtualizer = useVirtualizer({ count: total, getScrollElement, estimateSize, overscan: 10, getItemKey });
  const items = virtualizer.getVirtualItems();
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  const first = items[0]?.index ?? 0;
  useEffect(() => onFirstVisible(first), [first, onFirstVisible]);

  return (
    <div
      ref={scrollRef}
      className={cn(
        'max-h-[calc(100vh-7rem)] min-h-[160px] overflow-auto rounded-lg border border-slate-200 bg-white transition-opacity',
        dimmed ? 'opacity-60' : '',
      )}
      data-testid="health-table-scroll"
    >
      <table
        className="w-full min-w-[1100px] table-fixed border-collapse"
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
        <thead className="sticky top-0 z-10 shadow-[0_1px_0_0_var(--color-slate-200)]">
          <tr aria-rowindex={1}>
            {COLUMNS.map((column) => (
              <SortHeader key={column.id} column={column} sort={sort} dir={dir} onSort={onSort} />
            ))}
          </tr>
        </thead>
        <tbody>
          {top > 0 && (
            <tr aria-hidden style={{ height: top }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
          {items.map((item) => {
            const pair = rowAt(item.index);
            return pair ? (
              <HealthRow key={item.key} pair={pair} index={item.index} />
            ) : (
              <PendingRow key={item.key} index={item.index} />
            );
          })}
          {bottom > 0 && (
            <tr aria-hidden style={{ height: bottom }}>
              <td colSpan={COLUMNS.length} />
            </tr>
          )}
        </tbody>
      </table>
      {total === 0 && <p className="p-8 text-center text-sm text-slate-500">No pairs match these filters.</p>}
    </div>
  );
}
