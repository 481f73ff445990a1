import type { Metadata } from 'next';
import { Suspense } from 'react';
import { OverviewScreen } from '@/components/screens/overview-screen';

export const metadata: Metadata = { title: 'Overview' };

// The view lives in the URL (useSearchParams), which needs a Suspense boundary.
export default function OverviewPage() {
  return (
    <Suspense fallback={<p className="p-8 text-center text-sm text-slate-500">Loading overview…</p>}>
      <OverviewScreen />
    </Suspense>
  );
}
