'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '@/components/hooks/api-fetch';
import { useActionsStatusQuery, useAuditLogQuery } from '@/components/hooks/use-actions-query';
import { PAIR_ACTION_INFO, type PairAction, type PairActionResponse } from '@/lib/shared/actions';
import { formatUtc } from '@/lib/shared/time-format';
import { ActionPreviewDialog } from './action-preview-dialog';
import { AuditTable } from './audit-table';
import { postPairAction } from './post-action';

const RANK = { viewer: 0, operator: 1, admin: 2 } as const;
type Destructive = 'bootstrap' | 'reset' | 'repair';

/** What an applied action did, in one sentence. */
function outcome(answer: PairActionResponse): string {
  const moved = answer.rows?.[0];
  const audit = answer.result.audit as Record<string, unknown> | undefined;
  switch (answer.action) {
    case 'retry':
      return answer.result.cleared
        ? 'Backoff cleared: the worker runs the pair on its next pass.'
        : 'The pair was not in backoff.';
    case 'enable':
    case 'disable':
      return answer.result.changed ? `Pair ${answer.action}d.` : `The pair was already ${answer.action}d.`;
    case 'bootstrap':
    case 'reset':
      return moved ? `Cursor moved to ${formatUtc(moved.new_cursor_utc)}.` : 'Nothing to change.';
    case 'repair':
      return `Repaired ${String(audit?.repaired ?? 0)} bar(s).`;
  }
}

/**
 * The pair page's actions: buttons by role, disabled with the reason when the
 * dashboard cannot write; the destructive ones open their preview first. Below, the pair's
 * own entries of the audit log.
 */
export function PairActionsPanel({
  symbol,
  timeframe,
  enabled,
}: {
  symbol: string;
  timeframe: string;
  enabled: boolean;
}) {
  const status = useActionsStatusQuery();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<Destructive | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const writable = status.data?.writable === true;
  const why = status.data && !status.data.writable ? status.data.reason : null;
  const role = status.data?.role ?? 'viewer';

  const done = (answer: PairActionResponse) => {
    setMessage({
      text: `${PAIR_ACTION_INFO[answer.action].label}: ${outcome(answer)} (audit #${answer.auditId})`,
      error: false,
    });
    void queryClient.invalidateQueries({ queryKey: ['pair', symbol, timeframe] });
    void queryClient.invalidateQueries({ queryKey: ['audit-log'] });
  };

  const run = async (action: PairAction) => {
    if (PAIR_ACTION_INFO[action].destructive) {
      setOpen(action as Destructive);
      return;
    }
    setBusy(true);
    setMessage(null);
    try {
      done(await postPairAction(symbol, timeframe, action, {}));
    } catch (error) {
      setMessage({ text: describeError(error), error: true });
    } finally {
      setBusy(false);
    }
  };

  const actions: PairAction[] = ['retry', enabled ? 'disable' : 'enable', 'bootstrap', 'reset', 'repair'];
  return (
    <div className="space-y-3" data-testid="pair-actions">
      <div className="flex flex-wrap items-center gap-2">
        {actions.map((action) => {
          const info = PAIR_ACTION_INFO[action];
          const allowed = RANK[role] >= RANK[info.role];
          return (
            <button
              key={action}
              type="button"
              onClick={() => void run(action)}
              disabled={!writable || !allowed || busy}
              title={allowed ? info.does : `needs the ${info.role} role; you have ${role}`}
              className={
                info.destructive
                  ? 'rounded-md border border-red-300 bg-white px-3 py-1.5 text-sm font-medium text-red-800 hover:bg-red-50 disabled:cursor-not-allowed disabled:border-slate-200 disabled:text-slate-500'
                  : 'rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-500'
              }
            >
              {info.label}
              {info.destructive ? '…' : ''}
            </button>
          );
        })}
      </div>
      {why && (
        <p className="text-sm text-amber-900" data-testid="actions-disabled">
          Actions are disabled: {why}.
        </p>
      )}
      {writable && role !== 'admin' && (
        <p className="text-sm text-slate-600">Bootstrap, reset and repair need the admin role; you are {role}.</p>
      )}
      {message && (
        <p
          role={message.error ? 'alert' : 'status'}
          data-testid="action-message"
          className={message.error ? 'text-sm text-red-900' : 'text-sm text-emerald-900'}
        >
          {message.text}
        </p>
      )}
      {open && (
        <ActionPreviewDialog
          symbol={symbol}
          timeframe={timeframe}
          action={open}
          onClose={() => setOpen(null)}
          onApplied={(answer) => {
            setOpen(null);
            done(answer);
          }}
        />
      )}
      <PairAuditList symbol={symbol} timeframe={timeframe} />
    </div>
  );
}

/** The pair's last ten entries of the audit log. */
function PairAuditList({ symbol, timeframe }: { symbol: string; timeframe: string }) {
  const log = useAuditLogQuery({ target: `${symbol}/${timeframe}` }, 10);
  if (log.isPending) return <p className="text-sm text-slate-500">Loading the pair&apos;s actions…</p>;
  if (log.isError && !log.data)
    return <p className="text-sm text-red-800">The audit log could not be loaded: {describeError(log.error)}</p>;
  const entries = log.data?.entries ?? [];
  return (
    <div data-testid="pair-audit">
      <h3 className="mb-1 text-sm font-semibold text-slate-700">Actions on this pair</h3>
      {entries.length === 0 ? (
        <p className="text-sm text-slate-500">No action on this pair yet.</p>
      ) : (
        <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <AuditTable entries={entries} showTarget={false} />
        </div>
      )}
    </div>
  );
}
