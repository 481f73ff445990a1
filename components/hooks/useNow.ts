'use client';

import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `intervalMs`. 0 until mounted, so that server HTML and the
 * first client render agree (callers show a placeholder for 0). Use it in small leaf
 * components: everything that calls it re-renders on each tick.
 */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(0);
  useEffect(() => {
    setNow(Date.now());
    const id = window.setInterval(() => setNow(Date.now()), intervalMs);
    return () => window.clearInterval(id);
  }, [intervalMs]);
  return now;
}
