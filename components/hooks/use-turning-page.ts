'use client';

import { useEffect, useState } from 'react';
import { WALL_PAGE_MS } from '@/components/hooks/polling';

/** The page a screen nobody touches shows now: it turns by itself every WALL_PAGE_MS while there is more than one. */
export function useTurningPage(pageCount: number): number {
  const [page, setPage] = useState(0);
  useEffect(() => {
    if (pageCount <= 1) return;
    const id = window.setInterval(() => setPage((current) => (current + 1) % pageCount), WALL_PAGE_MS);
    return () => window.clearInterval(id);
  }, [pageCount]);
  return page % Math.max(1, pageCount);
}
