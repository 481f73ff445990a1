'use client';

import { History } from 'lucide-react';
import { useReplicationQuery } from '@/components/hooks/use-replication-query';
import { cn } from '@/components/ui/cn';

/**
 * Says that the data on every screen comes from a standby past HEALTH_REPLICA_STALE_SECONDS behind
 * the primary (docs/RELIABILITY.md, "Reading from a standby"): its states are as of dataAsOf, and
 * pairs that look OK are shown unconfirmed. Nothing on a primary or a standby that keeps up; a failed
 * poll is the stale banner's to say.
 */
export function ReplicaBanner({ tone = 'light' }: { tone?: 'light' | 'wall' }) {
  const replication = useReplicationQuery({ pollInBackground: tone === 'wall' }).data;
  if (!replication?.stale) return null;
  const behind =
    replication.lagSeconds === null
      ? 'Data is an unknown time behind the primary'
      : `Data is ${Math.round(replication.lagSeconds)} s behind the primary`;
  const asOf = replication.dataAsOf
    ? ` — states as of ${replication.dataAsOf.slice(0, 19).replace('T', ' ')} UTC`
    : ' — the standby cannot tell how old its data is';
  const styles =
    tone === 'wall'
      ? 'border-amber-400 bg-amber-400 text-black text-[2.4vh] px-[1.5vw] py-[1vh]'
      : 'border-amber-300 bg-amber-50 text-amber-950 text-sm px-4 py-3';
  return (
    <div
      role="alert"
      data-testid="replica-banner"
      className={cn('flex items-center gap-3 rounded-lg border font-medium', styles)}
    >
      <History aria-hidden className={tone === 'wall' ? 'size-[3.2vh] shrink-0' : 'size-5 shrink-0'} />
      <p>
        <strong className="font-bold">{behind}</strong>
        {asOf}
        {replication.replayPaused ? ' (replay is paused on the standby)' : ''}. Pairs that look OK are shown as
        unconfirmed until it catches up.
      </p>
    </div>
  );
}
