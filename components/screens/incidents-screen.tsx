'use client';

import Link from 'next/link';
import { useState } from 'react';
import { INCIDENTS_POLL_MS } from '@/components/hooks/polling';
import { IncidentTable } from '@/components/history/incident-table';
import { ProblemStats } from '@/components/history/problem-stats';
import { describeError } from '@/components/hooks/api-fetch';
import { useIncidentsQuery } from '@/components/hooks/use-incidents-query';
import { useNow } from '@/components/hooks/use-now';
import { PollStatus } from '@/components/status/poll-status';
import { StaleBanner } from '@/components/status/stale-banner';
import { ReplicaBanner } from '@/components/status/replica-banner';
import { AppHeader } from '@/components/ui/app-header';
import { formatCount } from '@/components/ui/format';

const PAGE_SIZE = 50;

/**
 * Open incidents first, then the recent ones; problems that share a cause are one row. With a
 * team (`/incidents?team=fx`), only the incidents whose symbols that team owns.
 */
export function IncidentsScreen({ team = null }: { team?: string | null }) {
  const [offset, setOffset] = useState(0);
  const incidents = useIncidentsQuery({ status: 'all', limit: PAGE_SIZE, offset, team });
  const now = useNow(15_000);
  const data = incidents.data;

  return (
    <>
      <AppHeader current="incidents">
        <PollStatus
          timing={{
            dataUpdatedAt: incidents.dataUpdatedAt,
            errorUpdatedAt: incidents.errorUpdatedAt,
            isFetching: incidents.isFetching,
            intervalMs: INCIDENTS_POLL_MS,
          }}
          onRefresh={() => void incidents.refetch()}
        />
      </AppHeader>
      <main id="main" tabIndex={-1} className="mx-auto max-w-[1800px] space-y-4 px-4 py-4 sm:px-6">
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 className="text-2xl font-bold text-slate-900">
            Incidents
            {team && (
              <span className="ml-2 text-lg font-semibold text-slate-600" data-testid="incidents-team">
                · team {team}{' '}
                <Link href="/incidents" className="text-sm font-medium text-sky-800 underline">
                  every team
                </Link>
              </span>
            )}
          </h1>
          {data && (
            <p className="text-sm text-slate-600" data-testid="incident-counts">
              <strong className="text-slate-900">{formatCount(data.open)}</strong> open · {formatCount(data.total)} in
              the history
            </p>
          )}
        </div>
        <p className="max-w-4xl text-sm text-slate-600">
          Pairs whose problem has one cause form one incident: a symbol&apos;s timeframes failing with the same error, a
          feed outage over a symbol, or one state on many symbols at once (global). An incident resolves when its last
          pair recovers.
        </p>
        <StaleBanner intervalMs={INCIDENTS_POLL_MS} query={incidents} />
        <ReplicaBanner />
        {!data ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500">
            {incidents.isError
              ? `Incidents could not be loaded: ${describeError(incidents.error)}`
              : 'Loading incidents…'}
          </p>
        ) : data.incidents.length === 0 ? (
          <p
            className="rounded-lg border border-dashed border-green-300 bg-green-50 p-8 text-center text-sm text-green-900"
            data-testid="no-incidents"
          >
            No incidents recorded{offset > 0 ? ' on this page' : ''}.
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white shadow-sm">
            <IncidentTable incidents={data.incidents} now={now} />
          </div>
        )}
        {data && data.total > PAGE_SIZE && (
          <nav aria-label="Pages" className="flex items-center gap-3 text-sm">
            <button
              type="button"
              className="rounded-md px-3 py-1 ring-1 ring-slate-300 disabled:opacity-40"
              disabled={offset === 0}
              onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
            >
              Newer
            </button>
            <span className="text-slate-600 tabular">
              {offset + 1}–{Math.min(offset + PAGE_SIZE, data.total)} of {formatCount(data.total)}
            </span>
            <button
              type="button"
              className="rounded-md px-3 py-1 ring-1 ring-slate-300 disabled:opacity-40"
              disabled={offset + PAGE_SIZE >= data.total}
              onClick={() => setOffset(offset + PAGE_SIZE)}
            >
              Older
            </button>
          </nav>
        )}
        {/* After the list has its height: the stats appear below it instead of being pushed down. */}
        {data && <ProblemStats team={team} />}
      </main>
    </>
  );
}
