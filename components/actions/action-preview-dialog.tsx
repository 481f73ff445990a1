'use client';

import { useEffect, useRef, useState } from 'react';
import { describeError } from '@/components/hooks/api-fetch';
import { PAIR_ACTION_INFO, type CursorChange, type PairAction, type PairActionResponse } from '@/lib/shared/actions';
import { formatUtc } from '@/lib/shared/time-format';
import { postPairAction } from './post-action';

type Destructive = Extract<PairAction, 'bootstrap' | 'reset' | 'repair'>;

const HOUR = 3_600_000;

/** The repair's range to look at first: the last 24 hours, to the minute. */
function defaultRange(): { from: string; to: string } {
  const to = Math.floor(Date.now() / 60_000) * 60_000;
  return { from: new Date(to - 24 * HOUR).toISOString(), to: new Date(to).toISOString() };
}

/** What the dry run says would change, as the rows of a table or the audit's counts. */
function Preview({ action, answer }: { action: Destructive; answer: PairActionResponse }) {
  if (action === 'repair') {
    const audit = (answer.result.audit ?? {}) as Record<string, unknown>;
    const count = (key: string) => (typeof audit[key] === 'number' ? (audit[key] as number) : 0);
    return (
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm" data-testid="repair-preview">
        <dt className="text-slate-600">Windows checked</dt>
        <dd className="tabular">{count('windows_checked')}</dd>
        <dt className="text-slate-600">Missing bars</dt>
        <dd className="tabular">{count('missing')}</dd>
        <dt className="text-slate-600">Drifted bars</dt>
        <dd className="tabular">{count('drifted')}</dd>
        <dt className="font-semibold text-slate-800">Bars it would write</dt>
        <dd className="font-semibold tabular">{count('repaired')}</dd>
        <dt className="text-slate-600">Orphaned (kept)</dt>
        <dd className="tabular">{count('orphaned')}</dd>
      </dl>
    );
  }
  const rows = answer.rows ?? [];
  if (rows.length === 0)
    return (
      <p className="text-sm text-slate-700" data-testid="preview-empty">
        Nothing to change:{' '}
        {action === 'reset' ? 'the cursor is neither NULL nor ahead of its source' : 'the cursor is set already'}.
      </p>
    );
  return <CursorRowsTable action={action} rows={rows} />;
}

/** The cursors a bootstrap or reset would move (or moved): one row per pair. */
export function CursorRowsTable({ action, rows }: { action: string; rows: readonly CursorChange[] }) {
  return (
    <table className="w-full text-sm" data-testid="preview-rows">
      <caption className="sr-only">Rows the {action} would change</caption>
      <thead className="border-b border-slate-200 text-left text-xs tracking-wide text-slate-500 uppercase">
        <tr>
          <th className="py-1.5 pr-3 font-semibold">Pair</th>
          <th className="py-1.5 pr-3 font-semibold">Cursor now</th>
          <th className="py-1.5 pr-3 font-semibold">Cursor after</th>
          <th className="py-1.5 font-semibold">Why</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((row) => (
          <tr key={`${row.canonical_symbol}/${row.timeframe}`} data-testid="preview-row">
            <td className="py-1.5 pr-3 font-mono">
              {row.canonical_symbol} {row.timeframe}
            </td>
            <td className="py-1.5 pr-3 tabular">{formatUtc(row.old_cursor_utc)}</td>
            <td className="py-1.5 pr-3 font-semibold tabular">{formatUtc(row.new_cursor_utc)}</td>
            <td className="py-1.5 font-mono text-xs">{row.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * A destructive action: its dry run first (the rows it would change), then a reason, then Apply.
 * A native <dialog> opened modal: focus stays inside, Escape closes it.
 */
export function ActionPreviewDialog({
  symbol,
  timeframe,
  action,
  onClose,
  onApplied,
}: {
  symbol: string;
  timeframe: string;
  action: Destructive;
  onClose: () => void;
  onApplied: (answer: PairActionResponse) => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const started = useRef(false);
  const [range, setRange] = useState(defaultRange);
  const [preview, setPreview] = useState<PairActionResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(action !== 'repair');
  const [reason, setReason] = useState('');
  const info = PAIR_ACTION_INFO[action];
  const body = action === 'repair' ? range : {};

  const look = async () => {
    setBusy(true);
    setError(null);
    try {
      setPreview(await postPairAction(symbol, timeframe, action, { ...body, dryRun: true }));
    } catch (failure) {
      setPreview(null);
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      onApplied(await postPairAction(symbol, timeframe, action, { ...body, dryRun: false, reason: reason.trim() }));
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  };

  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
    // The first dry run runs once, when the dialog opens (each one is an audit row: not twice
    // under StrictMode's second effect); the repair waits for its range.
    if (action === 'repair' || started.current) return;
    started.current = true;
    postPairAction(symbol, timeframe, action, { dryRun: true })
      .then(setPreview, (failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
  }, [symbol, timeframe, action]);

  const nothing =
    preview !== null &&
    (action === 'repair'
      ? ((preview.result.audit as Record<string, unknown> | undefined)?.repaired ?? 0) === 0
      : (preview.rows ?? []).length === 0);

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="action-preview-title"
      data-testid="action-preview"
      className="m-auto w-[min(44rem,calc(100vw-2rem))] rounded-lg border border-slate-300 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="space-y-4 p-5">
        <h2 id="action-preview-title" className="text-lg font-semibold text-slate-900">
          {info.label}: <span className="font-mono">{symbol}</span> <span className="font-mono">{timeframe}</span> —
          preview
        </h2>
        <p className="text-sm text-slate-600">It would {info.does}. Nothing changes until you apply.</p>

        {action === 'repair' && (
          <div className="flex flex-wrap items-end gap-3 text-sm">
            {(['from', 'to'] as const).map((edge) => (
              <label key={edge} className="flex flex-col gap-1">
                <span className="font-medium text-slate-700">
                  {edge === 'from' ? 'From (UTC, ISO)' : 'To (UTC, ISO)'}
                </span>
                <input
                  value={range[edge]}
                  onChange={(event) => {
                    setRange({ ...range, [edge]: event.target.value });
                    setPreview(null);
                  }}
                  className="w-64 rounded-md border border-slate-300 px-2 py-1 font-mono text-xs"
                />
              </label>
            ))}
            <button
              type="button"
              onClick={() => void look()}
              disabled={busy}
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-800 hover:bg-slate-50 disabled:opacity-50"
            >
              Preview
            </button>
          </div>
        )}

        <section aria-label="Dry run" className="rounded-md border border-slate-200 bg-slate-50 p-3">
          {busy && !preview ? (
            <p className="text-sm text-slate-600">Running the dry run…</p>
          ) : preview ? (
            <Preview action={action} answer={preview} />
          ) : (
            !error && <p className="text-sm text-slate-600">Choose the range, then Preview.</p>
          )}
        </section>

        {error && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
            {error}
          </p>
        )}

        <label className="block space-y-1 text-sm">
          <span className="font-medium text-slate-800">Reason (required to apply; kept in the audit log)</span>
          <textarea
            value={reason}
            onChange={(event) => setReason(event.target.value)}
            maxLength={500}
            rows={2}
            className="w-full rounded-md border border-slate-300 px-2 py-1.5"
            placeholder="e.g. the vendor replayed yesterday"
          />
        </label>

        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={() => dialog.current?.close()}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
          >
            Cancel
          </button>
          <button
            type="button"
            onClick={() => void apply()}
            disabled={busy || !preview || nothing || reason.trim() === ''}
            className="rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-600"
          >
            Apply {info.label.toLowerCase()}
          </button>
        </div>
      </div>
    </dialog>
  );
}
