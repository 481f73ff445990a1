'use client';

import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { PairListRow } from '@/lib/shared/types';
import { MAX_BULK_PAIRS } from '@/lib/shared/bulk-actions';

export interface PairRef {
  symbol: string;
  timeframe: string;
}

export const selectionKey = (pair: PairRef) => `${pair.symbol}\u0000${pair.timeframe}`;

export interface Selection {
  /** the selected pairs in the order they were chosen */
  pairs: PairRef[];
  size: number;
  has: (pair: PairRef) => boolean;
  /** one row; with shift, every held row from the last one toggled to this one takes its new state */
  toggle: (pair: PairRef, index: number, shift: boolean) => void;
  /** these rows (at most MAX_BULK_PAIRS in all) */
  selectAll: (rows: readonly PairListRow[]) => void;
  clear: () => void;
}

/**
 * The overview's selection of pairs for a bulk action. Kept by pair, not by row index, so it
 * holds while the rows re-sort under a poll. `rowAt` reads the rows the table holds, for a
 * shift-click range (rows outside the held window are not in it).
 */
export function useSelection(rowAt: (index: number) => PairListRow | undefined): Selection {
  const [selected, setSelected] = useState<ReadonlyMap<string, PairRef>>(() => new Map());
  const anchor = useRef<number | null>(null);
  const rowAtRef = useRef(rowAt);
  useEffect(() => {
    rowAtRef.current = rowAt;
  }, [rowAt]);

  const toggle = useCallback((pair: PairRef, index: number, shift: boolean) => {
    const start = shift ? anchor.current : null;
    anchor.current = index;
    setSelected((current) => {
      const next = new Map(current);
      const on = !current.has(selectionKey(pair));
      const from = start === null ? index : Math.min(start, index);
      const to = start === null ? index : Math.max(start, index);
      for (let at = from; at <= to; at++) {
        const row = at === index ? pair : rowAtRef.current(at);
        if (!row) continue;
        const key = selectionKey(row);
        if (on && next.size < MAX_BULK_PAIRS) next.set(key, { symbol: row.symbol, timeframe: row.timeframe });
        else if (!on) next.delete(key);
      }
      return next;
    });
  }, []);

  const selectAll = useCallback((rows: readonly PairListRow[]) => {
    setSelected((current) => {
      const next = new Map(current);
      for (const row of rows) {
        if (next.size >= MAX_BULK_PAIRS) break;
        next.set(selectionKey(row), { symbol: row.symbol, timeframe: row.timeframe });
      }
      return next;
    });
  }, []);

  const clear = useCallback(() => {
    setSelected(new Map());
    anchor.current = null;
  }, []);

  return useMemo(
    () => ({
      pairs: [...selected.values()],
      size: selected.size,
      has: (pair: PairRef) => selected.has(selectionKey(pair)),
      toggle,
      selectAll,
      clear,
    }),
    [selected, toggle, selectAll, clear],
  );
}
