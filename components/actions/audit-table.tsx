import Link from 'next/link';
import type { AuditEntry } from '@/lib/shared/actions';
import { formatUtc } from '@/lib/shared/time-format';
import { cn } from '@/components/ui/cn';
import { pairHref } from '@/components/ui/pair-href';

/** A target names a pair (SYMBOL/TF) or a scope of ops ('*'); only a pair is linked. */
function Target({ target }: { target: string }) {
  const slash = target.lastIndexOf('/');
  const symbol = target.slice(0, slash);
  const timeframe = target.slice(slash + 1);
  if (slash <= 0 || symbol === '*' || timeframe === '*' || timeframe.includes(','))
    return <span className="font-mono">{target}</span>;
  return (
    <Link href={pairHref(symbol, timeframe)} className="font-mono text-sky-800 hover:underline">
      {symbol} {timeframe}
    </Link>
  );
}

/** The action as it reads in the log: a dry run says so. */
function actionLabel(entry: AuditEntry): string {
  return entry.args.dry_run === true ? `${entry.action} (dry run)` : entry.action;
}

/** Rows of the audit log: time UTC, actor, role, source, action, target, reason, ok. Data as props. */
export function AuditTable({ entries, showTarget = true }: { entries: readonly AuditEntry[]; showTarget?: boolean }) {
  return (
    <table className="w-full text-sm" data-testid="audit-table">
      <thead className="border-b border-slate-200 text-left text-xs tracking-wide text-slate-500 uppercase">
        <tr>
          <th className="px-3 py-2 font-semibold">Time (UTC)</th>
          <th className="px-3 py-2 font-semibold">Actor</th>
          <th className="px-3 py-2 font-semibold">Role</th>
          <th className="px-3 py-2 font-semibold">Source</th>
          <th className="px-3 py-2 font-semibold">Action</th>
          {showTarget && <th className="px-3 py-2 font-semibold">Target</th>}
          <th className="px-3 py-2 font-semibold">Reason</th>
          <th className="px-3 py-2 font-semibold">Result</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {entries.map((entry) => {
          const error = typeof entry.result?.error === 'string' ? entry.result.error : null;
          return (
            <tr key={entry.id} data-testid="audit-row" data-action={entry.action} data-ok={entry.ok}>
              <td className="px-3 py-2 whitespace-nowrap text-slate-700 tabular">
                {formatUtc(entry.atUtc).replace(' UTC', '')}
              </td>
              <td className="px-3 py-2 font-medium text-slate-900">{entry.actor}</td>
              <td className="px-3 py-2 text-slate-700">{entry.role}</td>
              <td className="px-3 py-2 text-slate-700">{entry.source}</td>
              <td className="px-3 py-2 whitespace-nowrap text-slate-900">{actionLabel(entry)}</td>
              {showTarget && (
                <td className="px-3 py-2 whitespace-nowrap">
                  <Target target={entry.target} />
                </td>
              )}
              <td className="max-w-[28rem] px-3 py-2 text-slate-700">{entry.reason ?? '—'}</td>
              <td className="px-3 py-2">
                <span
                  className={cn(
                    'rounded-full px-2 py-0.5 text-xs font-semibold ring-1 ring-inset',
                    entry.ok
                      ? 'bg-emerald-50 text-emerald-900 ring-emerald-300'
                      : 'bg-red-50 text-red-900 ring-red-300',
                  )}
                  title={error ?? undefined}
                >
                  {entry.ok ? 'ok' : 'failed'}
                </span>
                {error && <span className="ml-2 text-xs text-red-900">{error}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
