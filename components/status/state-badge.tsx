import { CircleHelp } from 'lucide-react';
import type { HealthState } from '@/lib/shared/types';
import { STATE_META } from './health-state-meta';
import { cn } from '@/components/ui/cn';

const SIZES = {
  sm: 'gap-1 px-1.5 py-0.5 text-xs [&>svg]:size-3.5',
  md: 'gap-1.5 px-2 py-1 text-sm [&>svg]:size-4',
  lg: 'gap-2 px-3 py-1.5 text-base [&>svg]:size-5',
} as const;

/**
 * A state as colour + icon + words, so it reads the same without colour. `unconfirmed`: the rules
 * found it OK on replica data too far behind the primary to say so (PairHealth.unconfirmed).
 */
export function StateBadge({
  state,
  size = 'sm',
  unconfirmed = false,
}: {
  state: HealthState;
  size?: keyof typeof SIZES;
  unconfirmed?: boolean;
}) {
  if (unconfirmed) {
    return (
      <span
        className={cn(
          'inline-flex items-center rounded-full bg-slate-100 font-semibold whitespace-nowrap text-slate-700 ring-1 ring-slate-300 ring-inset',
          SIZES[size],
        )}
        data-state={state}
        data-unconfirmed="true"
        title="Looks OK on the standby's data, which is too far behind the primary to confirm it."
      >
        <CircleHelp aria-hidden className="text-slate-500" strokeWidth={2.5} />
        Unconfirmed
      </span>
    );
  }
  const meta = STATE_META[state];
  const Icon = meta.icon;
  return (
    <span
      className={cn(
        'inline-flex items-center rounded-full font-semibold whitespace-nowrap ring-1 ring-inset',
        meta.badge,
        SIZES[size],
      )}
      data-state={state}
      title={meta.meaning}
    >
      <Icon aria-hidden className={meta.text} strokeWidth={2.5} />
      {meta.label}
    </span>
  );
}
