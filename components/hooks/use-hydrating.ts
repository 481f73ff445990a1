'use client';

import { useSyncExternalStore } from 'react';

const nothingToSubscribe = () => () => {};

/**
 * True on the server and in the render that hydrates its HTML, false in every render after (React
 * renders again once hydration is done). What the server drew must be drawn the same while
 * hydrating; what only the browser knows (the screen's size, storage) comes after.
 */
export function useHydrating(): boolean {
  return useSyncExternalStore(
    nothingToSubscribe,
    () => false,
    () => true,
  );
}
