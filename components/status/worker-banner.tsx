'use client';

import { AlertBanner } from '@/components/ui/alert-banner';
import { PowerOff } from 'lucide-react';
import { useWorkersQuery } from '@/components/hooks/use-workers-query';
import { useNow } from '@/components/hooks/use-now';
import { formatAge } from '@/lib/shared/duration';

/**
 * Says when no worker has beaten for more than two intervals: without it a dead worker looks like
 * every pair stalling at once an hour later. Nothing when a worker is alive, or when none ever
 * beat (a pipeline whose worker is not this project's). A failed poll is the stale banner's to say.
 */
export function WorkerBanner({ tone = 'light' }: { tone?: 'light' | 'wall' }) {
  const workers = useWorkersQuery({ pollInBackground: tone === 'wall' });
  const now = useNow(1_000);
  const since = workers.data?.noWorkerSince;
  if (!since) return null;
  const at = new Date(since);
  return (
    <AlertBanner tone={tone} palette="red" icon={PowerOff} testId="worker-banner">
      <p>
        <strong className="font-bold">
          No worker running since {at.toISOString().slice(0, 16).replace('T', ' ')} UTC
        </strong>
        {now ? ` (${formatAge(now - at.getTime())} ago)` : ''} — no pair is being caught up.{' '}
        <span className="opacity-80">Start one with npm run worker.</span>
      </p>
    </AlertBanner>
  );
}
