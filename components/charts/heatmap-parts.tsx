'use client';

import { memo } from 'react';
import type { HealthState, HeatmapSymbol } from '@/lib/shared/types';
import { STATE_META } from '@/components/status/health-state-meta';
import { pairHref } from '@/components/ui/pair-href';
import { cn } from '@/components/ui/cn';

export const CELL = 22; // px, square
export const GAP = 2;
export const LABEL = 92;

/** A square's place in the grid: the symbol's index (worst first) and the timeframe's. */
export interface CellPos {
  symbol: number;
  tf: number;
}

export const cellKey = (pos: CellPos) => `${pos.symbol}:${pos.tf}`;

/** The square an event happened in (the grid listens for all of them: one handler, not three per square). */
export function cellAt(target: EventTarget | null): { pos: CellPos; element: HTMLElement } | null {
  const element = target instanceof Element ? target.closest<HTMLElement>('[data-cell]') : null;
  const key = element?.dataset.cell?.split(':').map(Number);
  return element && key ? { pos: { symbol: key[0]!, tf: key[1]! }, element } : null;
}

export function tipText(symbol: string, timeframe: string, cell: [HealthState, string] | null): string {
  return cell
    ? `${symbol} ${timeframe}: ${STATE_META[cell[0]].label} — ${cell[1]}`
    : `${symbol} ${timeframe}: no such pair`;
}

// Memoised by line: react-query keeps an unchanged line's object from one poll to the next
// (structural sharing), so a poll redraws only the symbols whose squares changed. A square is a
// plain <a>: ~800 are in sight at 1920 px, and next/link's per-link hooks made the first draw
// slower; the grid's one click handler navigates on the client (health-heatmap.tsx).
export const SymbolRow = memo(function SymbolRow({
  line,
  index,
  timeframes,
  tabStop,
}: {
  line: HeatmapSymbol;
  /** the symbol's place among all symbols (worst first) */
  index: number;
  timeframes: readonly string[];
  /** the timeframe whose square is the grid's Tab stop, when it is on this symbol */
  tabStop: number | null;
}) {
  return (
    <div role="row" aria-rowindex={index + 1} className="flex items-center" style={{ gap: GAP }}>
      <span
        role="rowheader"
        className="truncate pr-1 font-mono text-xs font-semibold text-slate-700"
        style={{ width: LABEL }}
        title={line.symbol}
      >
        {line.symbol}
      </span>
      {timeframes.map((timeframe, tf) => {
        const cell = line.cells[tf] ?? null;
        const label = tipText(line.symbol, timeframe, cell);
        const common = { 'data-cell': cellKey({ symbol: index, tf }), tabIndex: tabStop === tf ? 0 : -1 };
        if (!cell) {
          return (
            <span
              key={timeframe}
              role="gridcell"
              aria-label={label}
              {...common}
              className="shrink-0 rounded-[3px] border border-dashed border-slate-300 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-slate-900"
              style={{ width: CELL, height: CELL }}
            />
          );
        }
        const meta = STATE_META[cell[0]];
        const Icon = meta.icon;
        return (
          <span key={timeframe} role="gridcell" className="shrink-0">
            <a
              href={pairHref(line.symbol, timeframe)}
              aria-label={label}
              data-state={cell[0]}
              data-testid="heatmap-cell"
              {...common}
              className={cn(
                'flex items-center justify-center rounded-[3px] focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-slate-900',
                meta.solid,
              )}
              style={{ width: CELL, height: CELL }}
            >
              {cell[0] === 'OK' ? null : <Icon aria-hidden className="size-3.5" strokeWidth={2.5} />}
            </a>
          </span>
        );
      })}
    </div>
  );
});

/** Where the tip stands, relative to the heatmap's box, and what it says. */
export interface Tip {
  key: string;
  text: string;
  top: number;
  left?: number;
  right?: number;
}

/** The tip for a square: below it, kept inside the heatmap's width. */
export function tipFor(key: string, text: string, cell: HTMLElement, box: HTMLElement): Tip {
  const at = cell.getBoundingClientRect();
  const frame = box.getBoundingClientRect();
  const top = at.bottom - frame.top + 4;
  // Anchored on the side with room: a square in the right half opens its tip leftwards.
  return at.left - frame.left < frame.width / 2
    ? { key, text, top, left: Math.max(0, at.left - frame.left) }
    : { key, text, top, right: Math.max(0, frame.right - at.right) };
}

export function HeatmapTip({ tip }: { tip: Tip | null }) {
  if (!tip) return null;
  // The square's own label says the same to screen readers: the tip is for the eyes.
  return (
    <div
      aria-hidden
      data-testid="heatmap-tip"
      className="pointer-events-none absolute z-30 max-w-xs rounded-md bg-slate-900 px-2.5 py-1.5 text-xs font-medium text-white shadow-lg"
      style={{ top: tip.top, left: tip.left, right: tip.right }}
    >
      {tip.text}
    </div>
  );
}
