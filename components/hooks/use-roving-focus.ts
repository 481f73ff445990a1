'use client';

import { useCallback, useRef, useState, type KeyboardEvent } from 'react';

/**
 * A group of buttons as one Tab stop (WAI-ARIA "roving tabindex"): the last focused item (at
 * first `initial`) has tabIndex 0, the others -1; the arrow keys, Home and End move the focus
 * within the group. Spread `itemProps(i)` on each item and put `onKeyDown` on the group.
 */
export function useRovingFocus(count: number, initial = 0) {
  const [active, setActive] = useState(initial);
  const items = useRef<Array<HTMLElement | null>>([]);
  const current = Math.min(Math.max(active, 0), Math.max(count - 1, 0));

  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      const index = items.current.findIndex((item) => item !== null && item === event.target);
      if (index < 0 || count === 0) return;
      let next: number;
      if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = (index + 1) % count;
      else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = (index - 1 + count) % count;
      else if (event.key === 'Home') next = 0;
      else if (event.key === 'End') next = count - 1;
      else return;
      event.preventDefault();
      setActive(next);
      items.current[next]?.focus();
    },
    [count],
  );

  const itemProps = (index: number) => ({
    ref: (node: HTMLElement | null) => {
      items.current[index] = node;
    },
    tabIndex: index === current ? 0 : -1,
    onFocus: () => setActive(index),
  });

  return { onKeyDown, itemProps };
}
