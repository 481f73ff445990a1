import { HEALTH_STATES, type HealthState } from '@/lib/types';
import { STATE_META, type StateMeta } from '@/components/status/health-state-meta';

/**
 * The history stores states as text: a state this build does not know (recorded by a newer
 * version, or renamed) is still drawn, in grey with its own name.
 */
export function metaOf(state: string): Pick<StateMeta, 'label' | 'color' | 'badge' | 'solid'> {
  if ((HEALTH_STATES as readonly string[]).includes(state)) return STATE_META[state as HealthState];
  return { label: state, color: '#94a3b8', badge: 'bg-slate-100 text-slate-700 ring-slate-300', solid: 'bg-slate-500 text-white' };
}

/** "3 min", "2 h 5 min", "4 d 2 h": how long something lasted or has lasted. */
export function formatSpanMs(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

/** "for 17 min" from a pair's state_since (SPEC §8), or '' when the history does not know. */
export function forText(stateSince: string | null | undefined, now: number = Date.now()): string {
  if (!stateSince) return '';
  const since = Date.parse(stateSince);
  return Number.isNaN(since) ? '' : `for ${formatSpanMs(now - since)}`;
}
