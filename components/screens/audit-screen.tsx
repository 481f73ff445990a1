'use client';

import { useState } from 'react';
import { AuditTable } from '@/components/actions/audit-table';
import { describeError } from '@/components/hooks/api-fetch';
import { AUDIT_POLL_MS } from '@/components/hooks/polling';
import { useAuditLogQuery, type AuditFilter } from '@/components/hooks/use-actions-query';
import { PollStatus } from '@/components/status/poll-status';
import { AppHeader } from '@/components/ui/app-header';

const FILTERS = [
  ['target', 'Target (SYMBOL/TF)'],
  ['actor', 'Actor'],
  ['action', 'Action'],
] as const;

/** /audit: every operator action from the UI, the API and `npm run ops`, newest first. */
export function AuditScreen() {
  const [filter, setFilter] = useState<AuditFilter>({});
  const [draft, setDraft] = useState<AuditFilter>({});
  const log = useAuditLogQuery(filter, 200);
  const entries = log.data?.entries ?? [];

  return (
    <>
      <AppHeader current="audit">
        <PollStatus
          timing={{
            dataUpdatedAt: log.dataUpdatedAt,
            errorUpdatedAt: log.errorUpdatedAt,
            isFetching: log.isFetching,
            intervalMs: AUDIT_POLL_MS,
          }}
          onRefresh={() => void log.refetch()}
        />
      </AppHeader>
      <main id="main" tabIndex={-1} className="mx-auto max-w-[1800px] space-y-4 px-4 py-4 sm:px-6">
        <h1 className="text-2xl font-bold text-slate-900">Audit log</h1>
        <p className="text-sm text-slate-600">
          Every action on the pipeline — from these pages, the API and <code>npm run ops</code> — with who did it, their
          role and their reason. Nothing edits or deletes a row.
        </p>
        <form
          className="flex flex-wrap items-end gap-3 text-sm"
          onSubmit={(event) => {
            event.preventDefault();
            setFilter({ ...draft });
          }}
        >
          {FILTERS.map(([name, label]) => (
            <label key={name} className="flex flex-col gap-1">
              <span className="font-medium text-slate-700">{label}</span>
              <input
                value={draft[name] ?? ''}
                onChange={(event) => setDraft({ ...draft, [name]: event.target.value.trim() || undefined })}
                className="w-48 rounded-md border border-slate-300 px-2 py-1"
              />
            </label>
          ))}
          <button
            type="submit"
            className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700"
          >
            Filter
          </button>
        </form>
        {log.isPending ? (
          <p className="text-sm text-slate-500">Loading the audit log…</p>
        ) : log.isError && !log.data ? (
          <p className="text-sm text-red-800">The audit log could not be loaded: {describeError(log.error)}</p>
        ) : entries.length === 0 ? (
          <p className="rounded-lg border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500">
            No action recorded{Object.values(filter).some(Boolean) ? ' for this filter' : ''}.
          </p>
        ) : (
          <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
            <AuditTable entries={entries} />
            {log.data?.nextCursor !== null && (
              <p className="border-t border-slate-100 px-3 py-2 text-xs text-slate-500">
                The newest {entries.length} shown; filter to see older ones.
              </p>
            )}
          </div>
        )}
      </main>
    </>
  );
}
