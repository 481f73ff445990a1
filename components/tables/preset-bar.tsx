import { Database } from 'lucide-react';
import { PRESETS, type PresetId } from '@/lib/health/list-contract';
import { STATE_LABELS } from '@/lib/health/state-labels';
import { HEALTH_STATES, type HealthState } from '@/lib/shared/types';
import { useRovingFocus } from '@/components/hooks/use-roving-focus';
import { cn } from '@/components/ui/cn';

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * Why a preset's count differs from its state's card: the query is the documented SQL, and a
 * pair it matches counts on the card of its worst state ("3 pairs match the query; 1 is Stalled
 * and 2 are not: 2 Disabled").
 */
export function presetExplanation(presetId: PresetId, byState: Record<HealthState, number>): string {
  const preset = PRESETS.find((candidate) => candidate.id === presetId)!;
  const matched = HEALTH_STATES.reduce((sum, state) => sum + byState[state], 0);
  const inState = byState[preset.state];
  const others = HEALTH_STATES.filter((state) => state !== preset.state && byState[state] > 0);
  const head = `${count(matched, 'pair matches', 'pairs match')} the query; ${count(inState, 'is', 'are')} ${STATE_LABELS[preset.state]}`;
  if (others.length === 0) return `${head}.`;
  const rest = matched - inState;
  const list = others.map((state) => `${byState[state]} ${STATE_LABELS[state]}`).join(', ');
  return `${head} and ${count(rest, 'is', 'are')} not: ${list}.`;
}

/**
 * The three monitoring queries and the audit's drift as one-click views, with the SQL they stand
 * for: one Tab stop, the arrows move between them (a toolbar of toggle buttons).
 */
export function PresetBar({
  active,
  onSelect,
  matchedByState,
}: {
  active: PresetId | null;
  onSelect: (preset: PresetId | null) => void;
  /** the matching pairs per state, for the active preset's explanation */
  matchedByState: Record<HealthState, number> | undefined;
}) {
  const roving = useRovingFocus(
    PRESETS.length,
    Math.max(
      0,
      PRESETS.findIndex((preset) => preset.id === active),
    ),
  );
  return (
    <div className="space-y-1.5">
      <div
        role="toolbar"
        aria-label="Preset queries"
        className="flex flex-wrap items-center gap-2"
        onKeyDown={roving.onKeyDown}
      >
        <span className="flex items-center gap-1.5 text-xs font-semibold tracking-wide text-slate-500 uppercase">
          <Database aria-hidden className="size-4" />
          Queries
        </span>
        {PRESETS.map((preset, index) => {
          const pressed = active === preset.id;
          return (
            <button
              key={preset.id}
              type="button"
              aria-pressed={pressed}
              onClick={() => onSelect(pressed ? null : preset.id)}
              data-testid={`preset-${preset.id}`}
              {...roving.itemProps(index)}
              className={cn(
                'flex items-baseline gap-2 rounded-md border px-2.5 py-1.5 text-sm transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600',
                pressed
                  ? 'border-slate-900 bg-slate-900 text-white'
                  : 'border-slate-300 bg-white text-slate-800 hover:bg-slate-50',
              )}
            >
              <span className="font-medium">{preset.label}</span>
              <code className={cn('font-mono text-xs', pressed ? 'text-slate-200' : 'text-slate-500')}>
                {preset.sql}
              </code>
            </button>
          );
        })}
      </div>
      {active && matchedByState && (
        <p className="text-sm text-slate-700" data-testid="preset-explanation">
          {presetExplanation(active, matchedByState)}{' '}
          <span className="text-slate-600">The cards count each pair once, under its worst state.</span>
        </p>
      )}
    </div>
  );
}
