'use client';

import { useEffect, useRef, useState } from 'react';
import { z } from 'zod';
import { describeError } from '@/components/hooks/api-fetch';
import { cursorChangeSchema } from '@/components/hooks/action-schemas';
import type { PairRef } from '@/components/hooks/use-selection';
import { ApiError } from '@/lib/shared/api-error';
import { PAIR_ACTION_INFO } from '@/lib/shared/actions';
import { BULK_ACTIONS, type BulkAction, type BulkResponse } from '@/lib/shared/bulk-actions';
import { CursorRowsTable } from './action-preview-dialog';
import { postJson } from './post-action';

const bulkResponseSchema: z.ZodType<BulkResponse> = z.object({
  action: z.enum(BULK_ACTIONS),
  dryRun: z.boolean(),
  results: z.array(
    z.object({
      target: z.string(),
      ok: z.boolean(),
      auditId: z.number().optional(),
      rows: z.array(cursorChangeSchema).optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
  ok: z.number(),
  failed: z.number(),
});

/** POST /api/actions/bulk, same-origin (recorded as 'ui'). */
async function postBulk(body: Record<string, unknown>): Promise<BulkResponse> {
  const json = await postJson('/api/actions/bulk', body);
  const parsed = bulkResponseSchema.safeParse(json.body);
  if (!parsed.success) throw new ApiError(json.status, 'bad_response', 'Unexpected answer from /api/actions/bulk');
  return parsed.data;
}

export const labelOf = (action: BulkAction) => (action === 'ack' ? 'Acknowledge' : PAIR_ACTION_INFO[action].label);

const UNTIL = [
  { label: 'until it resolves', hours: 0 },
  { label: '1 hour', hours: 1 },
  { label: '4 hours', hours: 4 },
  { label: '24 hours', hours: 24 },
];

/** Each pair's outcome after an apply, failures first: what did not happen is what needs a look. */
function Outcomes({ answer }: { answer: BulkResponse }) {
  const sorted = [...answer.results].sort((a, b) => Number(a.ok) - Number(b.ok));
  return (
    <div className="space-y-2" data-testid="bulk-outcomes">
      <p className="text-sm font-semibold text-slate-800" role="status">
        {answer.ok} done{answer.failed > 0 ? `, ${answer.failed} failed` : ''}.
      </p>
      <ul className="max-h-64 divide-y divide-slate-100 overflow-auto text-sm">
        {sorted.map((result) => (
          <li key={result.target} className="flex gap-3 py-1" data-testid="bulk-outcome" data-ok={result.ok}>
            <span className={result.ok ? 'text-emerald-800' : 'font-semibold text-red-800'}>
              {result.ok ? '✓' : '✗'}
            </span>
            <span className="w-32 shrink-0 font-mono">{result.target.replace('/', ' ')}</span>
            <span className="text-slate-700">
              {result.ok ? `audit #${result.auditId}` : (result.error?.message ?? 'failed')}
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * One action on the selected pairs, in the pair page's preview dialog's shape: a reset shows
 * the dry run's rows for every pair first and needs a reason; an ack takes a note; the others
 * list the pairs and take an optional reason. After Apply, each pair's outcome.
 */
export function BulkActionDialog({
  action,
  pairs,
  onClose,
  onApplied,
}: {
  action: BulkAction;
  pairs: readonly PairRef[];
  onClose: () => void;
  onApplied: () => void;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const started = useRef(false);
  const destructive = action !== 'ack' && PAIR_ACTION_INFO[action].destructive;
  const [preview, setPreview] = useState<BulkResponse | null>(null);
  const [outcome, setOutcome] = useState<BulkResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(destructive);
  const [text, setText] = useState('');
  const [hours, setHours] = useState(0);
  const selection = pairs.map(({ symbol, timeframe }) => ({ symbol, timeframe }));

  useEffect(() => {
    if (dialog.current && !dialog.current.open) dialog.current.showModal();
    // The dry run runs once, when the dialog opens (each pair's is an audit row).
    if (!destructive || started.current) return;
    started.current = true;
    postBulk({ action, pairs: selection, dryRun: true })
      .then(setPreview, (failure: unknown) => setError(describeError(failure)))
      .finally(() => setBusy(false));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, for the pairs it opened with
  }, []);

  const apply = async () => {
    setBusy(true);
    setError(null);
    const note = text.trim();
    const body =
      action === 'ack'
        ? {
            action,
            pairs: selection,
            note,
            ...(hours ? { until: new Date(Date.now() + hours * 3_600_000).toISOString() } : {}),
          }
        : { action, pairs: selection, ...(note ? { reason: note } : {}), ...(destructive ? { dryRun: false } : {}) };
    try {
      setOutcome(await postBulk(body));
      onApplied();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const rows = preview?.results.flatMap((result) => result.rows ?? []) ?? [];
  const previewFailures = preview?.results.filter((result) => !result.ok) ?? [];
  const needsText = action === 'ack' || destructive;
  const label = labelOf(action);
  const disabled = busy || outcome !== null || (needsText && text.trim() === '') || (destructive && rows.length === 0);

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="bulk-action-title"
      data-testid="bulk-action-dialog"
      className="m-auto w-[min(48rem,calc(100vw-2rem))] rounded-lg border border-slate-300 p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <div className="space-y-4 p-5">
        <h2 id="bulk-action-title" className="text-lg font-semibold text-slate-900">
          {label}: {pairs.length} pair{pairs.length === 1 ? '' : 's'}
          {destructive ? ' — preview' : ''}
        </h2>
        <p className="text-sm text-slate-600">
          {action === 'ack'
            ? 'Say you are on these pairs: one note, one acknowledgement (and one audit row) per pair.'
            : `It would ${PAIR_ACTION_INFO[action].does}, on each pair; one audit row per pair.`}
          {destructive ? ' Nothing changes until you apply.' : ''}
        </p>

        {outcome ? (
          <Outcomes answer={outcome} />
        ) : destructive ? (
          <section
            aria-label="Dry run"
            className="max-h-80 overflow-auto rounded-md border border-slate-200 bg-slate-50 p-3"
          >
            {busy && !preview ? (
              <p className="text-sm text-slate-600">Running the dry run on {pairs.length} pairs…</p>
            ) : preview && rows.length === 0 ? (
              <p className="text-sm text-slate-700" data-testid="preview-empty">
                Nothing to change on any selected pair.
              </p>
            ) : (
              preview && <CursorRowsTable action={action} rows={rows} />
            )}
            {previewFailures.length > 0 && (
              <p className="mt-2 text-sm text-red-900" data-testid="preview-failures">
                {previewFailures.map((result) => `${result.target}: ${result.error?.message ?? 'failed'}`).join('; ')}
              </p>
            )}
          </section>
        ) : (
          <p className="max-h-32 overflow-auto font-mono text-sm text-slate-800" data-testid="bulk-pairs">
            {pairs.map((pair) => `${pair.symbol} ${pair.timeframe}`).join(' · ')}
          </p>
        )}

        {error && (
          <p role="alert" className="rounded-md border border-red-300 bg-red-50 px-3 py-2 text-sm text-red-900">
            {error}
          </p>
        )}

        {!outcome && (
          <div className="flex flex-wrap items-end gap-3">
            <label className="block min-w-64 flex-1 space-y-1 text-sm">
              <span className="font-medium text-slate-800">
                {action === 'ack'
                  ? 'Note (who is on it and why)'
                  : destructive
                    ? 'Reason (required to apply; kept in the audit log)'
                    : 'Reason (optional; kept in the audit log)'}
              </span>
              <textarea
                value={text}
                onChange={(event) => setText(event.target.value)}
                maxLength={500}
                rows={2}
                className="w-full rounded-md border border-slate-300 px-2 py-1.5"
                data-testid="bulk-text"
              />
            </label>
            {action === 'ack' && (
              <label className="space-y-1 text-sm">
                <span className="block font-medium text-slate-800">Acknowledged for</span>
                <select
                  value={hours}
                  onChange={(event) => setHours(Number(event.target.value))}
                  className="rounded-md border border-slate-300 px-2 py-1.5"
                >
                  {UNTIL.map((choice) => (
                    <option key={choice.hours} value={choice.hours}>
                      {choice.label}
                    </option>
                  ))}
                </select>
              </label>
            )}
          </div>
        )}

        <div className="flex justify-end gap-2">
          <button
            type="button"
            onClick={() => dialog.current?.close()}
            className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
          >
            {outcome ? 'Close' : 'Cancel'}
          </button>
          {!outcome && (
            <button
              type="button"
              onClick={() => void apply()}
              disabled={disabled}
              data-testid="bulk-apply"
              className={
                destructive
                  ? 'rounded-md bg-red-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-800 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-600'
                  : 'rounded-md bg-sky-700 px-3 py-1.5 text-sm font-semibold text-white hover:bg-sky-800 disabled:cursor-not-allowed disabled:bg-slate-300 disabled:text-slate-600'
              }
            >
              {label} {pairs.length} pair{pairs.length === 1 ? '' : 's'}
            </button>
          )}
        </div>
      </div>
    </dialog>
  );
}
