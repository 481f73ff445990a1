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
