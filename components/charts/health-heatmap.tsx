'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import Link from 'next/link';
import { memo, useMemo, useRef } from 'react';
import type { PairHealth } from '@/lib/shared/types';
import { useElementSize } from '@/components/hooks/use-element-size';
import { STATE_META } from '@/components/status/health-state-meta';
import { pairHref } from '@/components/ui/pair-href';
import { cn } from '@/components/ui/cn';

interface SymbolRow {
  symbol: string;
  worst: number;
  byTimeframe: Map<string, PairHealth>;
}

interface Grid {
  timeframes: string[];
  symbols: SymbolRow[];
}

/** Symbols worst-first, timeframes by length: one pass over the rows, memoised by the caller. */
export function buildGrid(rows: readonly PairHealth[]): Grid {
  const steps = new Map<string, number>();
  const bySymbol = new Map<string, SymbolRow>();
  for (const row of rows) {
    steps.set(row.timeframe, row.stepMinutes);
    let entry = bySymbol.get(row.symbol);
    if (!entry) {
      entry = { symbol: row.symbol, worst: row.severity, byTimeframe: new Map() };
      bySymbol.set(row.symbol, entry);
    }
    entry.byTimeframe.set(row.timeframe, row);
    if (row.severity < entry.worst) entry.worst = row.severity;
  }
  const timeframes = [...steps.entries()].sort((a, b) => a[1] - b[1]).map(([timeframe]) => timeframe);
  const symbols = [...bySymbol.values()].sort(
    (a, b) => a.worst - b.worst || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0),
  );
  return { timeframes, symbols };
}

const CELL = 22; // px, square
const GAP = 2;
const LABEL = 92;
const BLOCK_GAP = 18;
const ROW_HEIGHT = CELL + 6;
const MAX_HEIGHT = 11 * ROW_HEIGHT;

export function cellLabel(pair: PairHealth): string {
  return `${pair.symbol} ${pair.timeframe}: ${STATE_META[pair.state].label} — ${pair.reason}`;
}

const Cell = memo(function Cell({ pair }: { pair: PairHealth }) {
  const meta = STATE_META[pair.state];
  const Icon = meta.icon;
  const label = cellLabel(pair);
  return (
    <Link
      href={pairHref(pair.symbol, pair.timeframe)}
      aria-label={label}
      title={label}
      data-state={pair.state}
      data-testid="heatmap-cell"
      className={cn(
        'flex shrink-0 items-center justify-center rounded-[3px] focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-slate-900',
        meta.solid,
      )}
      style={{ width: CELL, height: CELL }}
    >
      {pair.state === 'OK' ? null : <Icon aria-hidden className="size-3.5" strokeWidth={2.5} />}
    </Link>
  );
});

function SymbolBlock({ row, timeframes }: { row: SymbolRow; timeframes: readonly string[] }) {
  return (
    <div className="flex items-center" style={{ gap: GAP }}>
      <span
        className="truncate pr-1 font-mono text-xs font-semibold text-slate-700"
        style={{ width: LABEL }}
        title={row.symbol}
      >
        {row.symbol}
      </span>
      {timeframes.map((timeframe) => {
        const pair = row.byTimeframe.get(timeframe);
        return pair ? (
          <Cell key={timeframe} pair={pair} />
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
}

/**
 * Symbol × timeframe, one square per pair, coloured by state with the state's icon inside and
 * an accessible label that says why. Symbols are packed into as many lanes as the width allows
 * and the lines are virtualised, so 5,000 symbols cost what the visible ones cost.
 */
export function HealthHeatmap({ rows }: { rows: readonly PairHealth[] }) {
  const grid = useMemo(() => buildGrid(rows), [rows]);
  const [measureRef, size] = useElementSize<HTMLDivElement>();
  const scrollRef = useRef<HTMLDivElement>(null);
  const blockWidth = LABEL + grid.timeframes.length * (CELL + GAP) + BLOCK_GAP;
  const lanes = Math.max(1, Math.floor((size.width + BLOCK_GAP) / blockWidth));
  const lineCount = Math.ceil(grid.symbols.length / lanes);

  const virtualizer = useVirtualizer({
    count: lineCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 4,
  });

  if (grid.symbols.length === 0) {
    return <p className="py-6 text-center text-sm text-slate-500">No pairs match the filters.</p>;
  }

  const height = Math.min(MAX_HEIGHT, lineCount * ROW_HEIGHT);
  return (
    <div ref={measureRef} className="w-full">
      <div aria-hidden className="flex pb-1" style={{ columnGap: BLOCK_GAP }}>
        {Array.from({ length: Math.min(lanes, grid.symbols.length) }, (_, lane) => (
          <div key={lane} className="flex" style={{ gap: GAP, paddingLeft: LABEL + GAP }}>
            {grid.timeframes.map((timeframe) => (
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
        aria-label={`Heatmap of ${grid.symbols.length} symbols by ${grid.timeframes.length} timeframes, worst first`}
        data-testid="heatmap"
      >
        <div className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((line) => (
            <div
              key={line.key}
              className="absolute top-0 left-0 flex w-full"
              style={{ transform: `translateY(${line.start}px)`, height: ROW_HEIGHT, columnGap: BLOCK_GAP }}
            >
              {grid.symbols.slice(line.index * lanes, line.index * lanes + lanes).map((row) => (
                <div role="listitem" key={row.symbol}>
                  <SymbolBlock row={row} timeframes={grid.timeframes} />
                </div>
              ))}
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
