'use client';

import { useVirtualizer } from '@tanstack/react-virtual';
import { useRouter } from 'next/navigation';
import {
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
  type MouseEvent,
} from 'react';
import type { HeatmapSymbol } from '@/lib/shared/types';
import { useElementSize } from '@/components/hooks/use-element-size';
import {
  CELL,
  cellAt,
  cellKey,
  GAP,
  HeatmapTip,
  LABEL,
  SymbolRow,
  tipFor,
  tipText,
  type CellPos,
  type Tip,
} from './heatmap-parts';

const BLOCK_GAP = 18;
const ROW_HEIGHT = CELL + 6;
const VISIBLE_LINES = 11;
const MAX_HEIGHT = VISIBLE_LINES * ROW_HEIGHT;
const OVERSCAN = 4;
const NOTHING_YET = { offset: 0, lines: [] as readonly HeatmapSymbol[] };
/**
 * The grid's width in a 1920-pixel window, taken for the lanes until the grid is measured: the
 * page's HTML (app/page.tsx) is drawn with the grid at the height it will keep on a desktop
 * screen, so nothing below it moves when the page hydrates.
 */
const UNMEASURED_WIDTH = 1728;

/**
 * The square a key moves to, or null. The grid reads as the eye does: right and left step
 * through the timeframes and on to the next (or previous) symbol, up and down go to the symbol
 * drawn above or below (`lanes` symbols apart).
 */
function moveFrom(pos: CellPos, key: string, ctrl: boolean, symbols: number, tfs: number, lanes: number) {
  const at = (symbol: number, tf: number) =>
    symbol >= 0 && symbol < symbols && tf >= 0 && tf < tfs ? { symbol, tf } : null;
  switch (key) {
    case 'ArrowRight':
      return pos.tf + 1 < tfs ? at(pos.symbol, pos.tf + 1) : at(pos.symbol + 1, 0);
    case 'ArrowLeft':
      return pos.tf > 0 ? at(pos.symbol, pos.tf - 1) : at(pos.symbol - 1, tfs - 1);
    case 'ArrowDown':
      return at(pos.symbol + lanes, pos.tf);
    case 'ArrowUp':
      return at(pos.symbol - lanes, pos.tf);
    case 'PageDown':
      return at(Math.min(symbols - 1, pos.symbol + VISIBLE_LINES * lanes), pos.tf);
    case 'PageUp':
      return at(Math.max(0, pos.symbol - VISIBLE_LINES * lanes), pos.tf);
    case 'Home':
      return ctrl ? at(0, 0) : at(pos.symbol, 0);
    case 'End':
      return ctrl ? at(symbols - 1, tfs - 1) : at(pos.symbol, tfs - 1);
    default:
      return undefined;
  }
}

/**
 * Symbol × timeframe, one square per pair, coloured by state with the state's icon inside and
 * an accessible label that says why. Symbols (worst first, as the server orders them) are packed
 * into as many lanes as the width allows and the lines are virtualised; the server sends the
 * window `lines` from symbol `offset`, and `onWindow` says which symbols are in sight, so 5,000
 * symbols cost what the visible ones cost.
 *
 * For the keyboard it is one Tab stop, an ARIA grid (a row per symbol): the arrows, Page Up/Down,
 * Home and End move between squares, Enter opens the pair, and the focused (or hovered) square
 * shows its reason in a tip.
 */
export function HealthHeatmap({
  timeframes,
  symbols,
  offset: givenOffset,
  lines: givenLines,
  onWindow,
}: {
  timeframes: readonly string[];
  symbols: number;
  offset: number;
  lines: readonly HeatmapSymbol[];
  onWindow: (firstSymbol: number, symbolsInSight: number) => void;
}) {
  // The squares are drawn after the rest of the page, in the background: a deferred value is
  // rendered in a transition React slices and interrupts, so the table's rows show first and a
  // poll's redraw of ~800 squares does not block the main thread. The grid keeps its height.
  const given = useMemo(() => ({ offset: givenOffset, lines: givenLines }), [givenOffset, givenLines]);
  const { offset, lines } = useDeferredValue(given, NOTHING_YET);
  const [measureRef, size] = useElementSize<HTMLDivElement>();
  const boxRef = useRef<HTMLDivElement | null>(null);
  // One callback for the grid's life: a new ref callback each render made React detach and attach
  // it every render, and useElementSize measure the grid again (a forced layout of the page: at
  // 100,000 pairs 0.1–0.5-s long tasks on most polls, found with a CPU profile).
  const attachBox = useCallback(
    (node: HTMLDivElement | null) => {
      boxRef.current = node;
      measureRef(node);
    },
    [measureRef],
  );
  const scrollRef = useRef<HTMLDivElement>(null);
  const blockWidth = LABEL + timeframes.length * (CELL + GAP) + BLOCK_GAP;
  const lanes = Math.max(1, Math.floor(((size.width || UNMEASURED_WIDTH) + BLOCK_GAP) / blockWidth));
  const lineCount = Math.ceil(symbols / lanes);

  const virtualizer = useVirtualizer({
    count: lineCount,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: OVERSCAN,
  });
  const items = virtualizer.getVirtualItems();
  const firstLine = items[0]?.index ?? 0;
  const measured = size.width > 0; // before the first measurement the lanes are not known yet
  useEffect(() => {
    if (measured) onWindow(firstLine * lanes, (VISIBLE_LINES + 2 * OVERSCAN) * lanes);
  }, [measured, firstLine, lanes, onWindow]);

  // The square the keyboard is on, a move waiting for its square to be drawn, and the tip.
  const [active, setActive] = useState<CellPos>({ symbol: 0, tf: 0 });
  const pendingFocus = useRef<CellPos | null>(null);
  const [tip, setTip] = useState<Tip | null>(null);
  const lineOf = useCallback((symbol: number) => lines[symbol - offset], [lines, offset]);

  const showTip = useCallback(
    (pos: CellPos, element: HTMLElement) => {
      const line = lineOf(pos.symbol);
      const timeframe = timeframes[pos.tf];
      if (!line || timeframe === undefined || !boxRef.current) return;
      setTip(
        tipFor(cellKey(pos), tipText(line.symbol, timeframe, line.cells[pos.tf] ?? null), element, boxRef.current),
      );
    },
    [lineOf, timeframes],
  );
  // The squares' events, delegated: one handler each on the grid instead of three per square.
  const router = useRouter();
  const onFocus = (event: FocusEvent<HTMLDivElement>) => {
    const cell = cellAt(event.target);
    if (!cell) return;
    setActive(cell.pos);
    showTip(cell.pos, cell.element);
  };
  const onMouseOver = (event: MouseEvent<HTMLDivElement>) => {
    const cell = cellAt(event.target);
    if (cell && cell.element.dataset.cell !== tip?.key) showTip(cell.pos, cell.element);
  };
  const onMouseOut = (event: MouseEvent<HTMLDivElement>) => {
    // Onto its own icon or another square: that square's mouseover has the tip.
    if (!cellAt(event.target) || cellAt(event.relatedTarget)) return;
    // Back to the focused square's tip, if the focus is in the grid.
    const focused = cellAt(scrollRef.current?.querySelector('[data-cell]:focus') ?? null);
    if (focused) showTip(focused.pos, focused.element);
    else setTip(null);
  };
  // A plain click (or Enter) on a square opens the pair on the client, as a next/link would;
  // with a modifier or another button the browser does what it does with any link.
  const onClick = (event: MouseEvent<HTMLDivElement>) => {
    const link = event.target instanceof Element ? event.target.closest('a[data-cell]') : null;
    if (!link || event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    router.push(link.getAttribute('href')!);
  };

  const focusCell = useCallback((pos: CellPos) => {
    const element = scrollRef.current?.querySelector<HTMLElement>(`[data-cell="${cellKey(pos)}"]`);
    if (element) element.focus();
    return element !== null && element !== undefined;
  }, []);
  // A move to a square not drawn yet: scrolled to, then focused once its line is there.
  useEffect(() => {
    if (pendingFocus.current && focusCell(pendingFocus.current)) pendingFocus.current = null;
  });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const next = moveFrom(active, event.key, event.ctrlKey, symbols, timeframes.length, lanes);
    if (next === undefined) return;
    event.preventDefault();
    if (!next) return;
    setActive(next);
    virtualizer.scrollToIndex(Math.floor(next.symbol / lanes));
    if (!focusCell(next)) pendingFocus.current = next;
  };

  // The Tab stop: the active square when it is drawn, else the first square in sight.
  const drawn = (symbol: number) =>
    items.some((item) => Math.floor(symbol / lanes) === item.index) && lineOf(symbol) !== undefined;
  const firstDrawn = items.length > 0 ? Math.max(items[0]!.index * lanes, offset) : 0;
  const tabStop = drawn(active.symbol) ? active : { symbol: firstDrawn, tf: 0 };

  // Scrolling moves the squares under the tip: it follows its square, or goes.
  const onScroll = () => {
    if (!tip || !boxRef.current) return;
    const element = scrollRef.current?.querySelector<HTMLElement>(`[data-cell="${tip.key}"]`);
    if (element) setTip(tipFor(tip.key, tip.text, element, boxRef.current));
    else setTip(null);
  };

  if (symbols === 0) {
    return <p className="py-6 text-center text-sm text-slate-500">No pairs match the filters.</p>;
  }

  const height = Math.min(MAX_HEIGHT, lineCount * ROW_HEIGHT);
  return (
    <div ref={attachBox} className="relative w-full">
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
        role="grid"
        aria-rowcount={symbols}
        aria-colcount={timeframes.length + 1}
        aria-label={`Heatmap of ${symbols} symbols by ${timeframes.length} timeframes, worst first`}
        data-testid="heatmap"
        onKeyDown={onKeyDown}
        onScroll={onScroll}
        onFocus={onFocus}
        onMouseOver={onMouseOver}
        onMouseOut={onMouseOut}
        onClick={onClick}
        onBlur={(event) => {
          if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setTip(null);
        }}
      >
        <div role="presentation" className="relative w-full" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const start = item.index * lanes;
            const shown = Array.from({ length: Math.min(lanes, symbols - start) }, (_, lane) => start + lane);
            return (
              <div
                key={item.key}
                role="presentation"
                className="absolute top-0 left-0 flex w-full"
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT, columnGap: BLOCK_GAP }}
              >
                {shown.map((index) => {
                  const line = index >= offset ? lineOf(index) : undefined;
                  return line ? (
                    <SymbolRow
                      key={line.symbol}
                      line={line}
                      index={index}
                      timeframes={timeframes}
                      tabStop={tabStop.symbol === index ? tabStop.tf : null}
                    />
                  ) : (
                    <div key={`pending-${index}`} aria-hidden style={{ width: blockWidth - BLOCK_GAP }} />
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
      <HeatmapTip tip={tip} />
    </div>
  );
}
