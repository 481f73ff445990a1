import type { ReactNode } from 'react';
import type { Ack } from '@/lib/shared/acks';

const hhmm = (iso: string) => new Date(iso).toISOString().slice(11, 16);

/**
 * "Ack'd by X: note · until HH:MM UTC": someone is on it. Data as props. `compact` (the
 * overview's rows): "Ack'd by X" only, the note and the times in its title. `withdraw`, when
 * given, sits right after the badge (the pair page and /incidents put their Withdraw button there).
 */
export function AckBadge({ ack, compact = false, withdraw }: { ack: Ack; compact?: boolean; withdraw?: ReactNode }) {
  const at = `acknowledged at ${ack.at.slice(0, 16).replace('T', ' ')} UTC`;
  if (compact)
    return (
      <span
        data-testid="ack-badge"
        data-compact
        title={`${ack.by}: ${ack.note}\n${at}${ack.until ? `, until ${hhmm(ack.until)} UTC` : ', until it resolves'}`}
        className="inline-flex max-w-full items-baseline rounded-md bg-indigo-50 px-1 py-px text-xs font-medium tracking-tight whitespace-nowrap text-indigo-950 ring-1 ring-indigo-200 ring-inset"
      >
        <span className="truncate">Ack&apos;d by {ack.by}</span>
      </span>
    );
  const badge = (
    <span
      data-testid="ack-badge"
      title={at}
      className="inline-flex max-w-full items-baseline gap-1 rounded-md bg-indigo-50 px-2 py-0.5 text-xs text-indigo-950 ring-1 ring-indigo-200 ring-inset"
    >
      <span className="font-semibold whitespace-nowrap">Ack&apos;d by {ack.by}:</span>{' '}
      <span className="truncate">{ack.note}</span>
      {ack.until && <span className="whitespace-nowrap text-indigo-800"> · until {hhmm(ack.until)} UTC</span>}
    </span>
  );
  if (!withdraw) return badge;
  return (
    <span className="inline-flex max-w-full items-center gap-1">
      {badge}
      {withdraw}
    </span>
  );
}
