'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { describeError } from '@/components/hooks/api-fetch';
import { useActionsStatusQuery } from '@/components/hooks/use-actions-query';
import { deleteAck, refetchAfterAck, type AckTarget } from './post-action';

/**
 * "Withdraw": ends the current ack before its problem does (DELETE …/ack; its Alertmanager
 * silence is expired with it). For an operator; disabled, with why, for a viewer or when the
 * dashboard cannot write. The server checks the role again.
 */
export function WithdrawAck({ target, label }: { target: AckTarget; label: string }) {
  const status = useActionsStatusQuery();
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const role = status.data?.role ?? 'viewer';
  const allowed = status.data?.writable === true && role !== 'viewer';
  const why = !status.data
    ? 'checking whether the dashboard can write'
    : !status.data.writable
      ? `actions are disabled: ${status.data.reason}`
      : role === 'viewer'
        ? 'needs the operator role; you are viewer'
        : `withdraw the acknowledgement of ${label} (its Alertmanager silence ends too)`;

  const withdraw = async () => {
    setBusy(true);
    setError(null);
    try {
      await deleteAck(target);
      await refetchAfterAck(queryClient);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button
        type="button"
        data-testid="ack-withdraw"
        disabled={!allowed || busy}
        title={why}
        aria-label={`Withdraw the acknowledgement of ${label}`}
        onClick={() => void withdraw()}
        className="rounded-md border border-slate-300 bg-white px-2 py-0.5 text-xs font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:border-slate-200 disabled:text-slate-500"
      >
        Withdraw
      </button>
      {error && (
        <span role="alert" className="text-xs text-red-900">
          {error}
        </span>
      )}
    </>
  );
}
