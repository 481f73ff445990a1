import type { Metadata } from 'next';
import { HydrationBoundary } from '@tanstack/react-query';
import { OverviewScreen } from '@/components/screens/overview-screen';
import { overviewFirstAnswer } from '@/lib/api/overview-first-answer';

export const metadata: Metadata = { title: 'Overview' };

/**
 * The page's HTML carries the overview's first answer (lib/api/overview-first-answer.ts): the
 * counts and the rows in sight are drawn on the server, so they are on screen before the
 * scripts have loaded. No Suspense boundary around them: React reveals a streamed boundary up
 * to 300 ms after it arrives (to batch reveals), and the answer is a held snapshot's, made in
 * milliseconds — or the page is sent without it after FIRST_ANSWER_WAIT_MS.
 */
export default async function OverviewPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const state = await overviewFirstAnswer(await searchParams);
  return (
    <HydrationBoundary state={state}>
      <OverviewScreen />
    </HydrationBoundary>
  );
}
