'use client';

import { Moon, Sun } from 'lucide-react';
import { useSyncExternalStore } from 'react';
import { chooseTheme } from './theme';

function subscribe(notify: () => void): () => void {
  const observer = new MutationObserver(notify);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['class'] });
  return () => observer.disconnect();
}

const isDark = () => document.documentElement.classList.contains('dark');

/** The header's light/dark switch; the theme itself is set before the first paint (components/ui/theme.ts). */
export function ThemeToggle() {
  // Light on the server: the button's state catches up on hydration, the page's colours never wait for it.
  const dark = useSyncExternalStore(subscribe, isDark, () => false);
  const Icon = dark ? Sun : Moon;
  return (
    <button
      type="button"
      aria-pressed={dark}
      onClick={() => chooseTheme(!dark)}
      title={dark ? 'Dark mode is on: switch to light' : 'Switch to dark mode'}
      className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-sm text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
      data-testid="theme-toggle"
    >
      <Icon aria-hidden className="size-4" />
      Dark mode
    </button>
  );
}
