import { Activity, Monitor } from 'lucide-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SessionMenu } from './session-menu';
import { ThemeToggle } from './theme-toggle';

/** The bar on top of the overview and the pair pages (the wall has none: nobody clicks it). */
export function AppHeader({
  children,
  current,
  skipTo = { href: '#main', label: 'Skip to content' },
}: {
  children?: ReactNode;
  current?: 'overview' | 'pair' | 'incidents' | 'audit';
  /** where the skip link goes: the page's main content, or on the overview its table's first row */
  skipTo?: { href: string; label: string };
}) {
  return (
    <header className="sticky top-0 z-20 border-b border-slate-200 bg-white/95 backdrop-blur">
      {/* The first Tab stop: past the header and the filters to the page's content. */}
      <a
        href={skipTo.href}
        className="sr-only rounded-md bg-slate-900 px-3 py-2 text-sm font-medium text-white focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-30"
      >
        {skipTo.label}
      </a>
      <div className="mx-auto flex max-w-[1800px] flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2.5 sm:px-6">
        <Link href="/" className="flex items-center gap-2 font-semibold text-slate-900">
          <Activity aria-hidden className="size-5 text-sky-700" />
          Frontier Monitor
        </Link>
        <nav aria-label="Main" className="flex flex-wrap items-center gap-1 text-sm">
          <Link
            href="/"
            aria-current={current === 'overview' ? 'page' : undefined}
            className="rounded-md px-2.5 py-1.5 text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white"
          >
            Overview
          </Link>
          <Link
            href="/incidents"
            aria-current={current === 'incidents' ? 'page' : undefined}
            className="rounded-md px-2.5 py-1.5 text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white"
          >
            Incidents
          </Link>
          <Link
            href="/audit"
            aria-current={current === 'audit' ? 'page' : undefined}
            className="rounded-md px-2.5 py-1.5 text-slate-700 hover:bg-slate-100 aria-[current=page]:bg-slate-900 aria-[current=page]:text-white"
          >
            Audit
          </Link>
          <Link
            href="/wall"
            className="inline-flex items-center gap-1.5 rounded-md px-2.5 py-1.5 text-slate-700 hover:bg-slate-100"
          >
            <Monitor aria-hidden className="size-4" />
            Wall display
          </Link>
        </nav>
        <div className="ml-auto flex flex-wrap items-center gap-3">
          {children}
          <ThemeToggle />
          <SessionMenu />
        </div>
      </div>
    </header>
  );
}
