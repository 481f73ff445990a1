'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

/**
 * One of a few choices (a range, a window) kept in the URL's query, so that a reload, Back or a
 * shared link shows the same view. Changing it replaces the history entry: a click on a range
 * is not a page to go back to. Unknown values read as the default.
 */
export function useUrlChoice<T extends string>(
  name: string,
  choices: readonly T[],
  fallback: T,
): [T, (next: T) => void] {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const raw = params.get(name);
  const value = choices.includes(raw as T) ? (raw as T) : fallback;
  const set = useCallback(
    (next: T) => {
      const search = new URLSearchParams(params.toString());
      if (next === fallback) search.delete(name);
      else search.set(name, next);
      const query = search.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [router, pathname, params, name, fallback],
  );
  return [value, set];
}
