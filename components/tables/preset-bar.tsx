import { Database } from 'lucide-react';
import { PRESETS, type PresetId } from '@/lib/health/list-contract';
import { cn } from '@/components/ui/cn';

/** The three monitoring queries and the audit's drift as one-click views, with the SQL they stand for. */
export function PresetBar({
  active,
  onSelect,
}: {
  active: PresetId | null;
  onSelect: (preset: PresetId | null) => void;
}) {
  return (
    <div role="group" aria-label="Preset queries" className="flex flex-wrap items-center gap-2">
      <span className="flex items-center gap-1.5 text-xs font-semibold tracking-wide text-slate-500 uppercase">
        <Database aria-hidden className="size-4" />
        Queries
      </span>
      {PRESETS.map((preset) => {
        const pressed = active === preset.id;
        return (
          <button
            key={preset.id}
            type="button"
            aria-pressed={pressed}
            onClick={() => onSelect(pressed ? null : preset.id)}
            data-testid={`preset-${preset.id}`}
            className={cn(
              'flex items-baseline gap-2 rounded-md border px-2.5 py-1.5 text-sm transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600',
              pressed
                ? 'border-slate-900 bg-slate-900 text-white'
                : 'border-slate-300 bg-white text-slate-800 hover:bg-slate-50',
            )}
          >
            <span className="font-medium">{preset.label}</span>
            <code className={cn('font-mono text-xs', pressed ? 'text-slate-200' : 'text-slate-500')}>{preset.sql}</code>
          </button>
        );
      })}
    </div>
  );
}
