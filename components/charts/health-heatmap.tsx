'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { memo, useEffect, useRef } from 'react';
import type { HealthState, HeatmapSymbol } from '@/lib/shared/types';
import { useElementSize } from '@/components/hooks/use-element-size';
import { STATE_META } from '@/components/status/health-state-meta';
import { pairHref } from '@/components/ui/pair-href';
import { cn } from '@/components/ui/cn';

const CELL = 22; // px, square
const GAP = 2;
const LABEL = 92;
const BLOCK_GAP = 18;
const ROW_HEIGHT = CELL + 6;
const VISIBLE_LINES = 11;
const MAX_HEIGHT = VISIBLE_LINES * ROW_HEIGHT;
const OVERSCAN = 4;

const Cell = memo(function Cell({
  symbol,
  timeframe,
  state,
  reason,
}: {
  symbol: string;
  timeframe: string;
  state: HealthState;
  reason: string;
}) {
  const meta = STATE_META[state];
  const Icon = meta.icon;
  const label = `${symbol} ${timeframe}: ${meta.label} — ${reason}`;
  return (
    <Link
      href={pairHref(symbol, timeframe)}
      prefetch={false}
      aria-label={label}
      title={label}
      data-state={state}
      data-testid="heatmap-cell"
      className={cn(
        'flex shrink-0 items-center justify-center rounded-[3px] focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-slate-900',
        meta.solid,
      )}
      style={{ width: CELL, height: CELL }}
    >
      {state === 'OK' ? null : <Icon aria-hidden className="size-3.5" strokeWidth={2.5} />}
    </Link>
  );
});

// Memoised by line: react-query keeps an unchanged line's object from one poll to the next
// (structural sharing), so a poll redraws only the symbols whose squares changed.
const SymbolBlock = memo(function SymbolBlock({
  line,
  timeframes,
}: {
  line: HeatmapSymbol;
  timeframes: readonly string[];
}) {
  return (
    <div className="flex items-center" style={{ gap: GAP }}>
      <span
        className="truncate pr-1 font-mono text-xs font-semibold text-slate-700"
        style={{ width: LABEL }}
        title={line.symbol}
      >
        {line.symbol}
      </span>
      {timeframes.map((timeframe, index) => {
        const cell = line.cells[index];
        return cell ? (
          <Cell key={timeframe} symbol={line.symbol} timeframe={timeframe} state={cell[0]} reason={cell[1]} />
        ) : (
          <span
            key={timeframe}
            aria-hidden
            className="shrink-0 rounded-[3px] border border-dashed border-slate-200"
            style={{ width: CELL, height: CELL }}
          />
        );
      })}
    </div>
  );
});

/**
 * Symbol × timeframe, one square per pair, coloured by state with the state's icon inside and
 * an accessible label that says why. Symbols (worst first, as the server orders them) are packed
 * into as many lanes as the width allows and the lines are virtualised; the server sends the
 * window `lines` from symbol `offset`, and `onWindow` says which symbols are in sight, so 5,000
 * symbols cost what the visible ones cost.
 */
export function HealthHeatmap({
  timeframes,
  symbols,
  offset,
  lines,
  onWindow,
}: {
  timeframes: readonly string[];
  symbols: number;
  offset: number;
  lines: readonly HeatmapSymbol[];
  onWindow: (firstSymbol: number, symbolsInSight: number) => void;
}) {
  const [measureRef, size] = useElementSize<HTMLDivElement>();
  const scrollRef = useRef<HTMLDivElement>(null);
  const blockWidth = LABEL + timeframes.length * (CELL + GAP) + BLOCK_GAP;
  const lanes = Math.max(1, Math.floor((size.width + BLOCK_GAP) / blockWidth));
  const lineCount = Math.ceil(symbols / lanes);

  const virtualizer = useVirtualizer({
    count: lineCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
  });
  const firstLine = virtualizer.getVirtualItems()[0]?.index ?? 0;
  const measured = size.width > 0; // before the first measurement the lanes are not known yet
  useEffect(() => {
    if (measured) onWindow(firstLine * lanes, (VISIBLE_LINES + 2 * OVERSCAN) * lanes);
  }, [measured, firstLine, lanes, onWindow]);

  if (symbols === 0) {
    return <p className="py-6 text-center text-sm text-slate-500">No pairs match the filters.</p>;
  }

  const height = Math.min(MAX_HEIGHT, lineCount * ROW_HEIGHT);
  return (
    <div ref={measureRef} className="w-full">
      <div aria-hidden className="flex pb-1" style={{ columnGap: BLOCK_GAP }}>
        {Array.from({ length: Math.min(lanes, symbols) }, (_, lane) => (
          <div key={lane} className="flex" style={{ gap: GAP, paddingLeft: LABEL + GAP }}>
            {timeframes.map((timeframe) => (
              <span
                key={timeframe}
                className="text-center font-mono text-[10px] font-semibold text-slate-500"
                style={{ width: CELL }}
              >
                {timeframe}
              </span>
            ))}
          </div>
        ))}
      </div>
      <div
        ref={scrollRef}
        className="overflow-y-auto"
        style={{ height }}
        role="list"
        aria-label={`Heatmap of ${symbols} symbols by ${timeframes.length} timeframes, worst first`}
        data-testid="heatmap"
      >
        <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const start = item.index * lanes;
            const shown = Array.from({ length: Math.min(lanes, symbols - start) }, (_, lane) => ({
              index: start + lane,
              line: lines[start + lane - offset],
            }));
            return (
              <div
                key={item.key}
                className="absolute top-0 left-0 flex w-full"
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT, columnGap: BLOCK_GAP }}
              >
                {shown.map(({ index, line }) =>
                  line && index >= offset ? (
                    <div role="listitem" key={line.symbol}>
                      <SymbolBlock line={line} timeframes={timeframes} />
                    </div>
                  ) : (
                    <div key={`pending-${index}`} aria-hidden style={{ width: blockWidth - BLOCK_GAP }} />
                  ),
                )}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
