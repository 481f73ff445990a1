import Link from 'next/link';
import { AppHeader } from '@/components/ui/app-header';

export default function NotFound() {
  return (
    <>
      <AppHeader />
      <main id="main" tabIndex={-1} className="mx-auto max-w-xl px-6 py-24 text-center">
        <p className="text-sm font-semibold text-sky-700">404</p>
        <h1 className="mt-2 text-2xl font-bold text-slate-900">Page not found</h1>
        <p className="mt-3 text-slate-600">There is no page at this address.</p>
        <Link
          href="/"
          className="mt-6 inline-block rounded-md bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700"
        >
          Back to the overview
        </Link>
      </main>
    </>
  );
}
