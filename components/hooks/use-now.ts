'use client';

import { useSyncExternalStore } from 'react';

/**
 * A shared ticking clock per interval: one timer however many components read it. The
 * snapshot is the time of the last tick, so it stays stable between ticks as
 * useSyncExternalStore requires.
 */
interface Clock {
  now: number;
  listeners: Set<() => void>;
  timer?: number;
  subscribe: (listener: () => void) => () => void;
  getSnapshot: () => number;
}

const clocks = new Map<number, Clock>();

function clockFor(intervalMs: number): Clock {
  const existing = clocks.get(intervalMs);
  if (existing) return existing;
  const clock: Clock = {
    now: 0,
    listeners: new Set(),
    subscribe(listener) {
      clock.listeners.add(listener);
      if (clock.timer === undefined) {
        const tick = () => {
          clock.now = Date.now();
          for (const notify of clock.listeners) notify();
        };
        clock.timer = window.setInterval(tick, intervalMs);
        tick();
      }
      return () => {
        clock.listeners.delete(listener);
        if (clock.listeners.size === 0 && clock.timer !== undefined) {
          window.clearInterval(clock.timer);
          clock.timer = undefined;
        }
      };
    },
    getSnapshot: () => clock.now,
  };
  clocks.set(intervalMs, clock);
  return clock;
}

const serverSnapshot = () => 0;

/**
 * The current time, refreshed every `intervalMs`. 0 on the server and while hydrating, so
 * that server HTML and the first client render agree (callers show a placeholder for 0).
 * Use it in small leaf components: everything that calls it re-renders on each tick.
 */
export function useNow(intervalMs = 1_000): number {
  const clock = clockFor(intervalMs);
  return useSyncExternalStore(clock.subscribe, clock.getSnapshot, serverSnapshot);
}
