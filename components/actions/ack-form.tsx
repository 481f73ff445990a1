'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { describeError } from '@/components/hooks/api-fetch';
import { useActionsStatusQuery } from '@/components/hooks/use-actions-query';
import { MAX_ACK_NOTE } from '@/lib/shared/acks';
import { postAck, refetchAfterAck, type AckTarget } from './post-action';

const DURATIONS = [
  { label: 'until it resolves', hours: 0 },
  { label: '1 hour', hours: 1 },
  { label: '4 hours', hours: 4 },
  { label: '24 hours', hours: 24 },
] as const;

/**
 * "Acknowledge…": a note and an optional end, for an operator (the button is disabled, with
 * why, for a viewer or when the dashboard cannot write). The server checks the role again.
 */
export function AckForm({ target, label }: { target: AckTarget; label: string }) {
  const status = useActionsStatusQuery();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [hours, setHours] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const noteId = useId();

  const role = status.data?.role ?? 'viewer';
  const allowed = status.data?.writable === true && role !== 'viewer';
  const why = !status.data
    ? 'checking whether the dashboard can write'
    : !status.data.writable
      ? `actions are disabled: ${status.data.reason}`
      : role === 'viewer'
        ? 'needs the operator role; you are viewer'
        : `acknowledge ${label}: a note for the others, ended when it resolves`;

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const until = hours > 0 ? new Date(Date.now() + hours * 3_600_000).toISOString() : undefined;
      await postAck(target, { note: note.trim(), ...(until ? { until } : {}) });
      setOpen(false);
      setNote('');
      await refetchAfterAck(queryClient);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  if (!open)
    return (
      <button
        type="button"
        data-testid="ack-open"
        disabled={!allowed}
        title={why}
        onClick={() => setOpen(true)}
        className="rounded-md border border-indigo-300 bg-white px-2 py-1 text-xs font-medium text-indigo-900 hover:bg-indigo-50 disabled:cursor-not-allowed disabled:border-slate-200 disabled:text-slate-500"
      >
        Acknowledge…
      </button>
    );
  return (
    <form
      data-testid="ack-form"
      className="flex flex-wrap items-center gap-2"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label className="sr-only" htmlFor={noteId}>
        Note
      </label>
      <input
        id={noteId}
        data-testid="ack-note"
        value={note}
        maxLength={MAX_ACK_NOTE}
        onChange={(event) => setNote(event.target.value)}
        placeholder="What you are doing about it"
        className="min-w-[16rem] rounded-md border border-slate-300 px-2 py-1 text-sm"
        autoFocus
      />
      <select
        aria-label="Acknowledged for"
        value={hours}
        onChange={(event) => setHours(Number(event.target.value))}
        className="rounded-md border border-slate-300 px-1 py-1 text-sm"
      >
        {DURATIONS.map((d) => (
          <option key={d.hours} value={d.hours}>
            {d.label}
          </option>
        ))}
      </select>
      <button
        type="submit"
        data-testid="ack-submit"
        disabled={busy || note.trim() === ''}
        className="rounded-md bg-indigo-700 px-2 py-1 text-sm font-medium text-white hover:bg-indigo-800 disabled:cursor-not-allowed disabled:bg-slate-300"
      >
        Acknowledge
      </button>
      <button type="button" onClick={() => setOpen(false)} className="text-sm text-slate-600 hover:underline">
        Cancel
      </button>
      {error && (
        <p role="alert" className="w-full text-sm text-red-900">
          {error}
        </p>
      )}
    </form>
  );
}
