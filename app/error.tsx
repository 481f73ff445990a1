'use client';

import Link from 'next/link';

/** A render error in a page: say so, offer a retry; the stack stays in the console, not on screen. */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-xl px-6 py-24 text-center">
      <h1 className="text-2xl font-bold text-slate-900">Something went wrong on this page</h1>
      <p className="mt-3 text-slate-600">{error.message || 'Unexpected error.'}</p>
      {error.digest && <p className="mt-1 font-mono text-xs text-slate-500">digest {error.digest}</p>}
      <div className="mt-6 flex justify-center gap-3">
        <button
          type="button"
          onClick={reset}
          className="rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700"
        >
          Try again
        </button>
        <Link
          href="/"
          className="rounded-md border border-slate-300 px-4 py-2 text-sm font-medium text-slate-800 hover:bg-slate-50"
        >
          Overview
        </Link>
      </div>
    </main>
  );
}
