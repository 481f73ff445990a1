import {
  CircleCheck,
  CircleDashed,
  CirclePause,
  FastForward,
  Hourglass,
  GitCompareArrows,
  Moon,
  OctagonX,
  Snail,
  TimerOff,
  Unplug,
  Wrench,
  type LucideIcon,
} from 'lucide-react';
import { STATE_LABELS } from '@/lib/health/state-labels';
import type { HealthState } from '@/lib/shared/types';

export interface StateMeta {
  label: string;
  /** What the state means, for tooltips and the legend. */
  meaning: string;
  icon: LucideIcon;
  /** CSS colour (the @theme variable), for SVG fills and inline styles. */
  color: string;
  /** Tailwind classes: written out in full so Tailwind's scanner finds them. */
  badge: string;
  solid: string;
  text: string;
}

/** Presentation only: the rules that choose a state live in lib/health/rules.ts. */
export const STATE_META: Record<HealthState, StateMeta> = {
  AHEAD: {
    label: STATE_LABELS.AHEAD,
    meaning: 'The cursor is past the source frontier: bars were written from incomplete windows.',
    icon: FastForward,
    color: 'var(--color-state-ahead)',
    badge: 'bg-fuchsia-50 text-fuchsia-800 ring-fuchsia-300',
    solid: 'bg-state-ahead text-white',
    text: 'text-state-ahead',
  },
  NULL: {
    label: STATE_LABELS.NULL,
    meaning: 'The pair was never bootstrapped; the worker refuses to guess a start.',
    icon: CircleDashed,
    color: 'var(--color-state-null)',
    badge: 'bg-rose-50 text-rose-800 ring-rose-300',
    solid: 'bg-state-null text-white',
    text: 'text-state-null',
  },
  FAILING: {
    label: STATE_LABELS.FAILING,
    meaning: 'The last runs raised an error.',
    icon: OctagonX,
    color: 'var(--color-state-failing)',
    badge: 'bg-red-50 text-red-800 ring-red-300',
    solid: 'bg-state-failing text-white',
    text: 'text-state-failing',
  },
  STALLED: {
    label: STATE_LABELS.STALLED,
    meaning: 'No successful run for longer than the stall threshold.',
    icon: TimerOff,
    color: 'var(--color-state-stalled)',
    badge: 'bg-orange-50 text-orange-800 ring-orange-300',
    solid: 'bg-state-stalled text-white',
    text: 'text-state-stalled',
  },
  DRIFT: {
    label: STATE_LABELS.DRIFT,
    meaning:
      'An audit found finalized bars that differ from bars_1m (late or corrected minutes) and did not repair them.',
    icon: GitCompareArrows,
    color: 'var(--color-state-drift)',
    badge: 'bg-violet-50 text-violet-800 ring-violet-300',
    solid: 'bg-state-drift text-white',
    text: 'text-state-drift',
  },
  SOURCE_STALE: {
    label: STATE_LABELS.SOURCE_STALE,
    meaning: 'The 1m source feed stopped delivering bars; aggregation is waiting for it.',
    icon: Unplug,
    color: 'var(--color-state-source-stale)',
    badge: 'bg-amber-50 text-amber-900 ring-amber-300',
    solid: 'bg-state-source-stale text-white',
    text: 'text-state-source-stale',
  },
  LAGGING: {
    label: STATE_LABELS.LAGGING,
    meaning: 'More complete windows are waiting than the lag threshold allows.',
    icon: Hourglass,
    color: 'var(--color-state-lagging)',
    badge: 'bg-yellow-50 text-yellow-900 ring-yellow-300',
    solid: 'bg-state-lagging text-black',
    text: 'text-state-lagging',
  },
  INEFFICIENT: {
    label: STATE_LABELS.INEFFICIENT,
    meaning: 'Recent runs had work but wrote (almost) no bars.',
    icon: Snail,
    color: 'var(--color-state-inefficient)',
    badge: 'bg-sky-50 text-sky-800 ring-sky-300',
    solid: 'bg-state-inefficient text-white',
    text: 'text-state-inefficient',
  },
  MAINTENANCE: {
    label: STATE_LABELS.MAINTENANCE,
    meaning: 'Inside a planned maintenance window: a problem here is expected, not alerted.',
    icon: Wrench,
    color: 'var(--color-state-maintenance)',
    badge: 'bg-teal-50 text-teal-800 ring-teal-300',
    solid: 'bg-state-maintenance text-white',
    text: 'text-state-maintenance',
  },
  CLOSED: {
    label: STATE_LABELS.CLOSED,
    meaning: "The symbol's market is closed by its calendar: a quiet feed is expected, not a problem.",
    icon: Moon,
    color: 'var(--color-state-closed)',
    badge: 'bg-indigo-50 text-indigo-800 ring-indigo-300',
    solid: 'bg-state-closed text-white',
    text: 'text-state-closed',
  },
  OK: {
    label: STATE_LABELS.OK,
    meaning: 'Caught up and running.',
    icon: CircleCheck,
    color: 'var(--color-state-ok)',
    badge: 'bg-green-50 text-green-800 ring-green-300',
    solid: 'bg-state-ok text-white',
    text: 'text-state-ok',
  },
  DISABLED: {
    label: STATE_LABELS.DISABLED,
    meaning: 'Switched off in data_agg_state.enabled; not monitored.',
    icon: CirclePause,
    color: 'var(--color-state-disabled)',
    badge: 'bg-slate-100 text-slate-700 ring-slate-300',
    solid: 'bg-state-disabled text-white',
    text: 'text-state-disabled',
  },
};
