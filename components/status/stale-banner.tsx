'use client';

import { AlertBanner } from '@/components/ui/alert-banner';
import { CloudOff } from 'lucide-react';
import { describeError } from '@/components/hooks/api-fetch';
import { ApiError } from '@/lib/shared/api-error';
import { useNow } from '@/components/hooks/use-now';
import { formatAge } from '@/lib/shared/duration';

/** The parts of a react-query result (what useQuery returns) that the banner reads. */
export interface StaleQuery {
  isError: boolean;
  failureCount: number;
  error: unknown;
  failureReason: unknown;
  dataUpdatedAt: number;
  data: unknown;
}

/** A poll failed (or is failing and being retried): whatever is on screen is no longer current. */
export function isStale(query: Pick<StaleQuery, 'isError' | 'failureCount'>): boolean {
  return query.isError || query.failureCount > 0;
}

/**
 * Says that the data on screen is old, how old, and why — while the data stays visible.
 * react-query keeps `data` when a poll fails, so nothing here has to remember it: each screen
 * passes its query result as it is.
 */
export function StaleBanner({
  query,
  intervalMs,
  tone = 'light',
  dataAsOf,
}: {
  query: StaleQuery;
  intervalMs: number;
  tone?: 'light' | 'wall';
  /** when the data shown was read, where that is not when it arrived (PollTiming.dataAsOf) */
  dataAsOf?: number;
}) {
  const now = useNow(1_000);
  if (!isStale(query)) return null;
  const failure = query.error ?? query.failureReason;
  const reason = describeError(failure).replace(/\.$/, '');
  // A 4xx is a question the API will not answer (a bad filter in a shared link): asking
  // again will not help, so do not promise that it will.
  const refused = failure instanceof ApiError && failure.status >= 400 && failure.status < 500;
  const asOf = dataAsOf ?? query.dataUpdatedAt;
  const age = query.data !== undefined && asOf && now ? formatAge(Math.max(0, now - asOf)) : null;
  const headline = refused ? 'The API refused this view' : age ? `Data is ${age} old` : 'No data yet';
  return (
    <AlertBanner tone={tone} palette="amber" icon={CloudOff} testId="stale-banner">
      <p>
        <strong className="font-bold">{headline}</strong>
        {age && !refused ? ' — showing the last good update. ' : ' — '}
        <span>{reason}.</span>{' '}
        <span className="opacity-80">
          {refused ? 'Check the filters in the address.' : `Retrying every ${Math.round(intervalMs / 1000)} s.`}
        </span>
      </p>
    </AlertBanner>
  );
}
