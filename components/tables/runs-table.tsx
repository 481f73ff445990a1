'use client';

import { ChevronDown, ChevronRight, CircleCheck, GitCompareArrows, OctagonX } from 'lucide-react';
import { Fragment, useState } from 'react';
import type { RunRecord } from '@/lib/shared/types';
import { auditSummary, isAuditRun, toRunPoint } from '@/components/charts/run-series';
import { CodeBlock } from '@/components/ui/code-block';
import { formatCount, formatDuration } from '@/components/ui/format';
import { formatUtc } from '@/lib/shared/time-format';
import { cn } from '@/components/ui/cn';

/** The run exactly as stored: the result JSON, and the error text of a failed run. */
export function rawRunJson(run: RunRecord): string {
  return JSON.stringify(
    {
      run_id: run.runId,
      started_at_utc: run.startedAtUtc,
      finished_at_utc: run.finishedAtUtc,
      ok: run.ok,
      result: run.result,
      error: run.error,
    },
    null,
    2,
  );
}

function RunRow({ run, open, onToggle }: { run: RunRecord; open: boolean; onToggle: () => void }) {
  const point = toRunPoint(run);
  // An audit run: windows checked, bars repaired, and its findings where a catch-up has its stop reason.
  const audit = run.ok && isAuditRun(run);
  const windows = audit ? (run.result?.windows_checked as number | undefined) : point?.windows;
  const bars = audit ? (run.result?.repaired as number | undefined) : point?.barsWritten;
  const detailId = `run-${run.runId}-json`;
  return (
    <Fragment>
      <tr
        className={cn('border-b border-slate-100', run.ok ? (audit ? 'bg-violet-50/50' : '') : 'bg-red-50/60')}
        data-testid="run-row"
        data-kind={audit ? 'audit' : 'catchup'}
      >
        <td className="px-3 py-2">
          <button
            type="button"
            aria-expanded={open}
            aria-controls={detailId}
            onClick={onToggle}
            className="inline-flex items-center gap-1 rounded px-1 font-mono text-sm text-sky-800 hover:bg-sky-50"
          >
            {open ? <ChevronDown aria-hidden className="size-4" /> : <ChevronRight aria-hidden className="size-4" />}#
            {run.runId}
            <span className="sr-only">{open ? 'hide' : 'show'} raw JSON</span>
          </button>
        </td>
        <td className="px-3 py-2 text-sm whitespace-nowrap tabular">{formatUtc(run.finishedAtUtc)}</td>
        <td className="px-3 py-2">
          {audit ? (
            <span className="inline-flex items-center gap-1 text-sm font-medium text-violet-800">
              <GitCompareArrows aria-hidden className="size-4" /> audit
            </span>
          ) : run.ok ? (
            <span className="inline-flex items-center gap-1 text-sm font-medium text-green-800">
              <CircleCheck aria-hidden className="size-4" /> ok
            </span>
          ) : (
            <span className="inline-flex items-center gap-1 text-sm font-semibold text-red-800">
              <OctagonX aria-hidden className="size-4" /> failed
            </span>
          )}
        </td>
        <td className="px-3 py-2 text-right text-sm tabular">{formatDuration(point?.durationMs)}</td>
        <td className="px-3 py-2 text-right text-sm tabular">{formatCount(windows)}</td>
        <td className="px-3 py-2 text-right text-sm tabular">{formatCount(bars)}</td>
        <td className="px-3 py-2 text-right text-sm tabular">{formatCount(audit ? undefined : point?.barsBehind)}</td>
        <td
          className="max-w-0 truncate px-3 py-2 text-sm text-slate-700"
          title={run.error ?? (audit ? auditSummary(run) : point?.stopReason) ?? undefined}
        >
          {audit ? (
            <span className="text-xs text-violet-900">{auditSummary(run)}</span>
          ) : run.ok ? (
            <code className="font-mono text-xs">{point?.stopReason ?? '—'}</code>
          ) : (
            <span className="text-red-800">{run.error}</span>
          )}
        </td>
      </tr>
      {open && (
        <tr id={detailId} className="border-b border-slate-200 bg-slate-50">
          <td colSpan={8} className="px-3 py-3">
            <CodeBlock
              code={rawRunJson(run)}
              label={`Raw JSON of run ${run.runId}`}
              copyLabel="Copy JSON"
              maxHeight="20rem"
              testId="run-json"
            />
          </td>
        </tr>
      )}
    </Fragment>
  );
}

/** The pair's runs, newest first, each expandable to its raw JSON; older pages on demand. */
export function RunsTable({
  runs,
  hasMore,
  loadingMore,
  onLoadMore,
}: {
  runs: readonly RunRecord[];
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) {
  const [openIds, setOpenIds] = useState<ReadonlySet<number>>(() => new Set());
  const toggle = (runId: number) =>
    setOpenIds((current) => {
      const next = new Set(current);
      if (!next.delete(runId)) next.add(runId);
      return next;
    });

  if (runs.length === 0)
    return (
      <p className="rounded-lg border border-dashed border-slate-300 p-6 text-center text-sm text-slate-500">
        No runs recorded for this pair yet.
      </p>
    );

  return (
    <div className="overflow-hidden rounded-lg border border-slate-200 bg-white shadow-sm">
      <div className="overflow-x-auto">
        <table className="w-full min-w-[900px] table-fixed border-collapse" data-testid="runs-table">
          <caption className="sr-only">Runs of this pair, newest first</caption>
          <colgroup>
            <col style={{ width: '110px' }} />
            <col style={{ width: '200px' }} />
            <col style={{ width: '90px' }} />
            <col style={{ width: '90px' }} />
            <col style={{ width: '90px' }} />
            <col style={{ width: '80px' }} />
            <col style={{ width: '100px' }} />
            <col />
          </colgroup>
          <thead className="bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-3 py-2 text-left">
                Run
              </th>
              <th scope="col" className="px-3 py-2 text-left">
                Finished
              </th>
              <th scope="col" className="px-3 py-2 text-left">
                Result
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Duration
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Windows
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Bars
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Behind after
              </th>
              <th scope="col" className="px-3 py-2 text-left">
                Stop reason / error
              </th>
            </tr>
          </thead>
          <tbody>
            {runs.map((run) => (
              <RunRow key={run.runId} run={run} open={openIds.has(run.runId)} onToggle={() => toggle(run.runId)} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="flex items-center justify-between border-t border-slate-200 px-3 py-2 text-sm text-slate-600">
        <span className="tabular">{formatCount(runs.length)} runs shown</span>
        {hasMore ? (
          <button
            type="button"
            onClick={onLoadMore}
            disabled={loadingMore}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-50"
          >
            {loadingMore ? 'Loading…' : 'Load older runs'}
          </button>
        ) : (
          <span>That is the oldest run kept.</span>
        )}
      </div>
    </div>
  );
}
