import { formatLasted } from '@/lib/shared/duration';
import { HEALTH_STATES, type HealthState } from '@/lib/shared/types';
import { STATE_META, type StateMeta } from '@/components/status/health-state-meta';

/**
 * The history stores states as text: a state this build does not know (recorded by a newer
 * version, or renamed) is still drawn, in grey with its own name.
 */
export function metaOf(state: string): Pick<StateMeta, 'label' | 'color' | 'badge' | 'solid'> {
  if ((HEALTH_STATES as readonly string[]).includes(state)) return STATE_META[state as HealthState];
  return {
    label: state,
    color: '#94a3b8',
    badge: 'bg-slate-100 text-slate-700 ring-slate-300',
    solid: 'bg-slate-500 text-white',
  };
}

/** "for 17 min" from a pair's state_since (when it entered its state), or '' when the history does not know. */
export function forText(stateSince: string | null | undefined, now: number = Date.now()): string {
  if (!stateSince) return '';
  const since = Date.parse(stateSince);
  return Number.isNaN(since) ? '' : `for ${formatLasted(now - since)}`;
}
