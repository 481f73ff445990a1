'use client';

import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useActionsStatusQuery } from '@/components/hooks/use-actions-query';
import type { Selection } from '@/components/hooks/use-selection';
import { PAIR_ACTION_INFO } from '@/lib/shared/actions';
import type { BulkAction } from '@/lib/shared/bulk-actions';
import { MAX_BULK_PAIRS } from '@/lib/shared/bulk-actions';
import type { PairListRow } from '@/lib/shared/types';
import { formatCount } from '@/components/ui/format';
import { BulkActionDialog, labelOf } from './bulk-action-dialog';

const RANK = { viewer: 0, operator: 1, admin: 2 } as const;
const BAR_ACTIONS: BulkAction[] = ['retry', 'enable', 'disable', 'reset', 'ack'];
const roleOf = (action: BulkAction) => (action === 'ack' ? 'operator' : PAIR_ACTION_INFO[action].role);
const opensForm = (action: BulkAction) => action === 'ack' || PAIR_ACTION_INFO[action].destructive;

/** "Select all N shown": the rows the table holds now (the window the server sent), at most 500. */
export function SelectAllShown({ rows, selection }: { rows: readonly PairListRow[]; selection: Selection }) {
  const shown = Math.min(rows.length, MAX_BULK_PAIRS);
  if (shown === 0) return null;
  const all = rows.slice(0, shown).every((row) => selection.has(row));
  return (
    <button
      type="button"
      onClick={() => (all ? selection.clear() : selection.selectAll(rows))}
      className="rounded px-1 text-xs font-medium text-sky-800 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-sky-600"
      data-testid="select-all-shown"
    >
      {all ? 'Clear selection' : `Select all ${formatCount(shown)} shown`}
    </button>
  );
}

/**
 * The overview's bar for the selected pairs, stuck to the bottom of the screen while there is a
 * selection: "N selected: Retry · Enable · Disable · Reset… · Acknowledge…". Each opens the bulk
 * dialog (the dry run's rows, a reason or a note, then each pair's outcome). A button the role
 * may not use is disabled with the role it needs in its title, as on the pair page; the server
 * checks again.
 */
export function SelectionBar({ selection }: { selection: Selection }) {
  const status = useActionsStatusQuery();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState<BulkAction | null>(null);
  const [pairs, setPairs] = useState(selection.pairs);
  if (selection.size === 0 && open === null) return null;

  const writable = status.data?.writable === true;
  const why = status.data && !status.data.writable ? `actions are disabled: ${status.data.reason}` : null;
  const role = status.data?.role ?? 'viewer';
  return (
    <div
      role="region"
      aria-label="Selected pairs"
      className="sticky bottom-0 z-20 mt-2 flex flex-wrap items-center gap-2 rounded-lg border border-sky-300 bg-sky-50 px-4 py-2.5 shadow-[0_-4px_12px_-6px_rgba(15,23,42,0.25)]"
      data-testid="selection-bar"
    >
      <span className="mr-2 text-sm font-semibold text-slate-900 tabular" data-testid="selection-count">
        {formatCount(selection.size)} selected:
      </span>
      {BAR_ACTIONS.map((action) => {
        const needed = roleOf(action);
        const allowed = RANK[role] >= RANK[needed];
        return (
          <button
            key={action}
            type="button"
            disabled={!writable || !allowed}
            title={why ?? (allowed ? labelOf(action) : `needs the ${needed} role; you have ${role}`)}
            onClick={() => {
              setPairs(selection.pairs);
              setOpen(action);
            }}
            className={
              action === 'reset'
                ? 'rounded-md border border-red-300 bg-white px-3 py-1 text-sm font-medium text-red-800 hover:bg-red-50 disabled:cursor-not-allowed disabled:border-slate-200 disabled:text-slate-500'
                : 'rounded-md border border-slate-300 bg-white px-3 py-1 text-sm font-medium text-slate-800 hover:bg-slate-50 disabled:cursor-not-allowed disabled:text-slate-500'
            }
          >
            {labelOf(action)}
            {opensForm(action) ? '…' : ''}
          </button>
        );
      })}
      <button
        type="button"
        onClick={selection.clear}
        className="ml-auto rounded px-2 py-1 text-sm font-medium text-sky-800 hover:underline"
      >
        Clear
      </button>
      {open && (
        <BulkActionDialog
          action={open}
          pairs={pairs}
          onClose={() => setOpen(null)}
          onApplied={() => {
            void queryClient.invalidateQueries({ queryKey: ['audit-log'] });
            void queryClient.invalidateQueries({ queryKey: ['health', 'overview'] });
          }}
        />
      )}
    </div>
  );
}
