'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { memo, useCallback, useLayoutEffect, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { PairListRow } from '@/lib/shared/types';
import { forText } from '@/components/history/state-style';
import { useNow } from '@/components/hooks/use-now';
import { AckBadge } from '@/components/status/ack-badge';
import { StateBadge } from '@/components/status/state-badge';
import { TrendLabel } from '@/components/status/trend-label';
import { formatCount } from '@/components/ui/format';
import { formatMinutesRounded } from '@/lib/shared/duration';
import { pairHref } from '@/components/ui/pair-href';
import { cn } from '@/components/ui/cn';

/**
 * A row of the overview's table. From `md` up it is a table row of fixed height (text cut, the
 * full text in `title`); below `md` (a phone) the same cells flow as a card: state, symbol and
 * timeframe on the first line, the reason and the action wrapped in full, then the figures with
 * their names. One markup for both, so tests, links and screen readers see the same row.
 */
export const DESKTOP_ROW_HEIGHT = 52;
/** What a phone card measures with a one-line reason and action; the virtualiser measures each. */
export const PHONE_ROW_ESTIMATE = 150;

const ROW_CLASS =
  'cursor-pointer border-b border-slate-100 hover:bg-sky-50/60 focus-visible:bg-sky-50 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-sky-600 md:h-[52px] max-md:flex max-md:flex-wrap max-md:items-center max-md:gap-x-3 max-md:gap-y-1 max-md:px-3 max-md:py-2.5';
/** The figures: a number cell on a desktop, "Name value" inline on a phone. */
const FIGURE_CLASS = 'px-3 text-right text-sm whitespace-nowrap tabular max-md:px-0 max-md:text-xs';

function PhoneLabel({ children }: { children: string }) {
  return <span className="mr-1 text-slate-600 md:hidden">{children}</span>;
}

type Router = ReturnType<typeof useRouter>;
type RowSelect = (shift: boolean) => void;

/** The row's box of the overview's selection (components/hooks/use-selection.ts). */
export type OnSelectRow = (pair: PairListRow, index: number, shift: boolean) => void;

/**
 * A click anywhere on a row opens its pair, as the highlight promises (the symbol is the row's
 * link, so a middle click works as links do); a click that selects text does not.
 */
function openRowOnClick(event: MouseEvent<HTMLTableRowElement>, href: string, router: Router) {
  if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if ((event.target as Element).closest('a, button, input, label')) return;
  if (window.getSelection()?.toString()) return;
  router.push(href);
}

/** Enter on a focused row opens its pair, Space selects it; the arrows move to the row above or below. */
function onRowKey(event: KeyboardEvent<HTMLTableRowElement>, href: string, router: Router, select?: RowSelect) {
  if (event.target !== event.currentTarget) return; // a key on the "+N more" button
  const row = event.currentTarget;
  if (event.key === ' ' && select) {
    event.preventDefault();
    select(event.shiftKey);
  } else if (event.key === 'Enter') {
    event.preventDefault();
    router.push(href);
  } else if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
    const sibling = event.key === 'ArrowDown' ? row.nextElementSibling : row.previousElementSibling;
    if (sibling instanceof HTMLElement && sibling.dataset.testid === 'health-row') {
      event.preventDefault();
      sibling.focus();
    }
  }
}

export const HealthRow = memo(function HealthRow({
  pair,
  index,
  measure,
  selected = false,
  onSelect,
}: {
  pair: PairListRow;
  index: number;
  measure: (node: HTMLTableRowElement | null) => void;
  selected?: boolean;
  onSelect?: OnSelectRow;
}) {
  const more = pair.reasons.length - 1;
  const [expanded, setExpanded] = useState(false);
  const router = useRouter();
  const href = pairHref(pair.symbol, pair.timeframe);
  const select = onSelect ? (shift: boolean) => onSelect(pair, index, shift) : undefined;
  // react-virtual keeps sizes by index (health-table.tsx): a row a poll moved to another index is
  // measured there (on mount the ref measures it).
  const row = useRef<HTMLTableRowElement | null>(null);
  const measuredAt = useRef(index);
  useLayoutEffect(() => {
    if (measuredAt.current === index) return;
    measuredAt.current = index;
    measure(row.current);
  }, [index, measure]);
  const attach = useCallback(
    (node: HTMLTableRowElement | null) => {
      row.current = node;
      measure(node);
    },
    [measure],
  );
  return (
    <tr
      ref={attach}
      data-index={index}
      aria-rowindex={index + 2}
      // Each row is one Tab stop (Enter opens it); the symbol's link stays for the mouse.
      tabIndex={0}
      onClick={(event) => openRowOnClick(event, href, router)}
      onKeyDown={(event) => onRowKey(event, href, router, select)}
      className={cn(ROW_CLASS, selected && 'bg-sky-50')}
      data-testid="health-row"
      data-state={pair.state}
    >
      {/* On a phone an acked card gives the state and the ack their own line: the pair goes on the next. */}
      <td className={cn('px-3 max-md:px-0', pair.ack && 'max-md:basis-full')}>
        <div className="flex items-center gap-2">
          {select && (
            // The row is the Tab stop (Space selects it): the box is for the mouse, shift-click a range.
            <input
              type="checkbox"
              tabIndex={-1}
              checked={selected}
              onChange={() => undefined}
              onClick={(event) => select(event.shiftKey)}
              aria-label={`Select ${pair.symbol} ${pair.timeframe}`}
              className="size-4 shrink-0 cursor-pointer accent-sky-700"
              data-testid="row-select"
            />
          )}
          <div className="flex min-w-0 flex-col items-start gap-0.5 max-md:flex-row max-md:items-center max-md:gap-2">
            <StateBadge state={pair.state} unconfirmed={pair.unconfirmed} />
            {pair.ack && <AckBadge ack={pair.ack} compact />}
          </div>
        </div>
      </td>
      <td className="truncate px-3 font-mono text-sm font-semibold max-md:px-0 max-md:text-base">
        <Link
          href={href}
          prefetch={false}
          tabIndex={-1}
          className="text-sky-800 underline-offset-2 hover:underline"
          title={`Open ${pair.symbol} ${pair.timeframe}`}
        >
          {pair.symbol}
        </Link>
      </td>
      <td className="px-3 font-mono text-sm text-slate-700 max-md:px-0 max-md:text-base">{pair.timeframe}</td>
      <td
        className="px-3 text-sm max-md:basis-full max-md:px-0"
        title={`${pair.reasons.join('\n')}\n→ ${pair.action}`}
        data-testid="row-why"
      >
        <div className="font-medium text-slate-900 md:truncate" data-testid="row-reason">
          {pair.reason}
          {pair.state_since && (
            <span className="ml-1.5 text-xs font-medium text-slate-500" data-testid="state-for">
              <StateFor since={pair.state_since} />
            </span>
          )}
          {more > 0 && (
            <button
              type="button"
              aria-expanded={expanded}
              onClick={() => setExpanded((open) => !open)}
              className="ml-1.5 rounded px-0.5 text-xs font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600"
              data-testid="more-reasons"
            >
              {expanded ? 'fewer' : `+${more} more`}
              <span className="sr-only"> reasons</span>
            </button>
          )}
        </div>
        {expanded && (
          <ul className="list-inside list-disc text-slate-800" data-testid="all-reasons">
            {pair.reasons.slice(1).map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        )}
        <div className="text-slate-600 md:truncate" data-testid="row-action">
          <span aria-hidden>→ </span>
          <span className="sr-only">What to do: </span>
          {pair.action}
        </div>
      </td>
      <td className={FIGURE_CLASS}>
        <PhoneLabel>Behind</PhoneLabel>
        {formatCount(pair.barsBehind)}
      </td>
      <td className="overflow-hidden px-3 text-sm max-md:order-last max-md:basis-full max-md:px-0 max-md:text-xs">
        <TrendLabel trend={pair.trend} etaMinutes={pair.etaMinutes} />
      </td>
      <td className={FIGURE_CLASS}>
        <PhoneLabel>Since OK</PhoneLabel>
        {pair.lastSuccessUtc ? (
          formatMinutesRounded(pair.minutesSinceSuccess)
        ) : (
          <span title={`registered ${formatMinutesRounded(pair.minutesSinceSuccess)} ago`}>never</span>
        )}
      </td>
      <td className={FIGURE_CLASS}>
        <PhoneLabel>Gap</PhoneLabel>
        {formatMinutesRounded(pair.gapMinutes)}
      </td>
      <td
        className={cn(
          FIGURE_CLASS,
          pair.consecutiveFailures > 0 ? 'font-bold text-red-700' : 'text-slate-500 max-md:text-slate-600',
        )}
      >
        <PhoneLabel>Fails</PhoneLabel>
        {pair.consecutiveFailures}
      </td>
    </tr>
  );
});

/** A row whose window is still on its way: its estimated height, so the scroll position holds. */
export function PendingRow({ index, height, columns }: { index: number; height: number; columns: number }) {
  return (
    <tr aria-rowindex={index + 2} className="border-b border-slate-100 max-md:block" style={{ height }}>
      <td colSpan={columns} className="px-3 text-sm text-slate-400 max-md:block">
        …
      </td>
    </tr>
  );
}

/**
 * "for 17 min", on the tab's clock: drawn once the page has hydrated (useNow is 0 on the server
 * and while hydrating), so the server's HTML and the first render agree.
 */
function StateFor({ since }: { since: string }) {
  const now = useNow(30_000);
  return now > 0 ? forText(since, now) : null;
}
