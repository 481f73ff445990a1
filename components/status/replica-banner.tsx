'use client';

import { AlertBanner } from '@/components/ui/alert-banner';
import { formatUtc } from '@/lib/shared/time-format';
import { History } from 'lucide-react';
import { useReplicationQuery } from '@/components/hooks/use-replication-query';

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
    ? ` — states as of ${formatUtc(replication.dataAsOf)}`
    : ' — the standby cannot tell how old its data is';
  return (
    <AlertBanner tone={tone} palette="amber" icon={History} testId="replica-banner">
      <p>
        <strong className="font-bold">{behind}</strong>
        {asOf}
        {replication.replayPaused ? ' (replay is paused on the standby)' : ''}. Pairs that look OK are shown as
        unconfirmed until it catches up.
      </p>
    </AlertBanner>
  );
}
