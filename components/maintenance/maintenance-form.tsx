'use client';

import { useQueryClient } from '@tanstack/react-query';
import { Wrench } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { formatUtc } from '@/lib/shared/time-format';
import type { PairHealth } from '@/lib/shared/types';

const HOURS = [1, 2, 4, 8, 24, 72];

async function post(path: string, body: unknown): Promise<string | null> {
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.ok) return null;
    const answer = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    return answer?.error?.message ?? `the server answered ${response.status}`;
  } catch {
    return 'Cannot reach the dashboard server';
  }
}

/**
 * "Maintenance…" on the pair page (docs/MAINTENANCE.md): plans a window for this pair or every
 * timeframe of its symbol, for N hours, with a reason; or ends the window the pair is in. The
 * server checks the role (operator) and writes the audit row.
 */
export function MaintenanceForm({ pair }: { pair: PairHealth }) {
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const active = pair.maintenance;

  async function run(action: () => Promise<string | null>) {
    setBusy(true);
    setError(null);
    const problem = await action();
    setBusy(false);
    if (problem) return setError(problem);
    setOpen(false);
    await queryClient.invalidateQueries();
  }

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    void run(() =>
      post('/api/maintenance', {
        symbol: pair.symbol,
        timeframe: form.get('scope') === 'pair' ? pair.timeframe : null,
        hours: Number(form.get('hours')),
        reason: String(form.get('reason') ?? ''),
        source: 'ui',
      }),
    );
  }

  const message = error && (
    <p role="alert" className="text-sm text-red-700">
      {error}
    </p>
  );

  if (active) {
    return (
      <div className="flex flex-wrap items-center gap-3 text-sm text-slate-700" data-testid="maintenance-active">
        <Wrench aria-hidden className="size-4 text-state-maintenance" />
        <span>
          In maintenance until {formatUtc(active.endsAt)} ({active.reason}, by {active.createdBy})
        </span>
        <button
          type="button"
          disabled={busy}
          onClick={() => void run(() => post(`/api/maintenance/${active.id}/end?source=ui`, {}))}
          className="rounded-md px-2 py-1 font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100"
        >
          End now
        </button>
        {message}
      </div>
    );
  }
  if (!open) {
    return (
      <button
        type="button"
        onClick={() => setOpen(true)}
        className="inline-flex items-center gap-1.5 rounded-md px-2 py-1 text-sm font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-100"
      >
        <Wrench aria-hidden className="size-4" />
        Maintenance…
      </button>
    );
  }
  return (
    <form
      onSubmit={submit}
      aria-label="Plan maintenance"
      className="flex flex-wrap items-end gap-3 rounded-md bg-white p-3 text-sm ring-1 ring-slate-200"
    >
      <label className="flex flex-col gap-1">
        <span className="text-xs font-semibold text-slate-600">For</span>
        <select name="hours" defaultValue="2" className="rounded-md px-2 py-1 ring-1 ring-slate-300">
          {HOURS.map((hours) => (
            <option key={hours} value={hours}>
              {hours} h
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col gap-1">
        <span className="text-xs font-semibold text-slate-600">Covers</span>
        <select name="scope" defaultValue="pair" className="rounded-md px-2 py-1 ring-1 ring-slate-300">
          <option value="pair">
            {pair.symbol} {pair.timeframe}
          </option>
          <option value="symbol">every timeframe of {pair.symbol}</option>
        </select>
      </label>
      <label className="flex min-w-56 flex-1 flex-col gap-1">
        <span className="text-xs font-semibold text-slate-600">Reason</span>
        <input
          name="reason"
          required
          maxLength={500}
          placeholder="vendor upgrade"
          className="rounded-md px-2 py-1 ring-1 ring-slate-300"
        />
      </label>
      <button
        type="submit"
        disabled={busy}
        className="rounded-md bg-slate-900 px-3 py-1.5 font-medium text-white hover:bg-slate-700"
      >
        Start maintenance
      </button>
      <button type="button" onClick={() => setOpen(false)} className="px-2 py-1.5 text-slate-600 hover:underline">
        Cancel
      </button>
      {message}
    </form>
  );
}
