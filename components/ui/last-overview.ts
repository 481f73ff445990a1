'use client';

import { useSyncExternalStore } from 'react';

/**
 * The overview's address as the user left it (filters, search, sort), kept for the tab's life so
 * that "← Overview" on another page goes back to the same view instead of to a bare "/".
 */
const KEY = 'frontier.overview-href';

export function rememberOverviewHref(href: string): void {
  try {
    sessionStorage.setItem(KEY, href);
  } catch {
    // storage off (private mode, quota): the link falls back to "/"
  }
}

function read(): string {
  try {
    const href = sessionStorage.getItem(KEY);
    return href?.startsWith('/') && !href.startsWith('//') ? href : '/';
  } catch {
    return '/';
  }
}

const subscribe = () => () => {};

/** "/?state=FAILING&q=EUR" as the user left it, or "/" (also on the server's render). */
export function useLastOverviewHref(): string {
  return useSyncExternalStore(subscribe, read, () => '/');
}

/** Where the overview's table and the page were scrolled, per view, so Back comes to the same rows. */
export interface OverviewScroll {
  table: number;
  page: number;
}

const SCROLL_KEY = 'frontier.overview-scroll';

export function rememberOverviewScroll(view: string, scroll: OverviewScroll): void {
  try {
    sessionStorage.setItem(`${SCROLL_KEY}:${view}`, JSON.stringify(scroll));
  } catch {
    // storage off: Back starts at the top
  }
}

export function readOverviewScroll(view: string): OverviewScroll | null {
  try {
    const saved: unknown = JSON.parse(sessionStorage.getItem(`${SCROLL_KEY}:${view}`) ?? 'null');
    if (typeof saved !== 'object' || saved === null) return null;
    const { table, page } = saved as Record<string, unknown>;
    return typeof table === 'number' && typeof page === 'number' && table >= 0 && page >= 0 ? { table, page } : null;
  } catch {
    return null;
  }
}
