'use client';

import { Search, X } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { cn } from '@/components/ui/cn';
import { useRovingFocus } from '@/components/hooks/use-roving-focus';

/**
 * Search, timeframe and team filters. Each keystroke goes to the URL at once: the overview filters
 * the rows it already holds (no request), behind useDeferredValue so typing stays smooth.
 */
export function FilterBar({
  q,
  onSearch,
  timeframes,
  selectedTimeframes,
  onToggleTimeframe,
  teams,
  team,
  onTeam,
  onClear,
  canClear,
}: {
  q: string;
  onSearch: (q: string) => void;
  timeframes: readonly string[];
  selectedTimeframes: readonly string[];
  onToggleTimeframe: (timeframe: string) => void;
  /** the teams that own pairs (docs/HEALTH.md, "Owners"); the select shows when there are any */
  teams: readonly string[];
  team: string | null;
  onTeam: (team: string | null) => void;
  onClear: () => void;
  canClear: boolean;
}) {
  const [draft, setDraft] = useState(q);
  // The chips are one Tab stop (a toolbar); the arrows move between them.
  const roving = useRovingFocus(timeframes.length);
  const lastSent = useRef(q);
  // What was sent and has not come back yet: the URL's value comes back a render later (a
  // transition), and typing can be ahead of it. The echo of "x" after "xa" was typed is not a
  // change from outside; taking it as one put the box back to "x" and lost the "a" (seen in CI).
  const inFlight = useRef<string[]>([]);

  // The URL changed from outside (back button, a cleared filter): show it.
  useEffect(() => {
    if (q === lastSent.current) {
      inFlight.current = []; // caught up
      return;
    }
    if (inFlight.current.includes(q)) return; // an earlier keystroke's echo: the box is ahead of it
    lastSent.current = q;
    inFlight.current = [];
    setDraft(q);
  }, [q]);

  const onDraft = (text: string) => {
    setDraft(text);
    const value = text.trim();
    if (value !== lastSent.current) {
      lastSent.current = value;
      inFlight.current.push(value);
      onSearch(value);
    }
  };

  return (
    <div className="flex flex-wrap items-center gap-3">
      <label className="relative flex items-center">
        <span className="sr-only">Search symbols</span>
        <Search aria-hidden className="pointer-events-none absolute left-2.5 size-4 text-slate-400" />
        <input
          type="search"
          value={draft}
          onChange={(event) => onDraft(event.target.value)}
          placeholder="Search symbol…"
          className="w-56 rounded-md border border-slate-300 bg-white py-1.5 pr-2 pl-8 text-sm shadow-sm placeholder:text-slate-400 focus:border-sky-600 focus:ring-1 focus:ring-sky-600 focus:outline-none"
        />
      </label>
      <div
        role="toolbar"
        aria-label="Timeframes"
        className="flex flex-wrap items-center gap-1"
        onKeyDown={roving.onKeyDown}
      >
        <span className="mr-1 text-xs font-semibold tracking-wide text-slate-500 uppercase">Timeframe</span>
        {timeframes.map((timeframe, index) => {
          const pressed = selectedTimeframes.includes(timeframe);
          return (
            <button
              key={timeframe}
              type="button"
              aria-pressed={pressed}
              onClick={() => onToggleTimeframe(timeframe)}
              {...roving.itemProps(index)}
              className={cn(
                'rounded-md border px-2 py-1 font-mono text-xs font-semibold transition',
                pressed
                  ? 'border-slate-900 bg-slate-900 text-white'
                  : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-50',
              )}
            >
              {timeframe}
            </button>
          );
        })}
      </div>
      {(teams.length > 0 || team !== null) && (
        <label className="flex items-center gap-2">
          <span className="text-xs font-semibold tracking-wide text-slate-500 uppercase">Team</span>
          <select
            value={team ?? ''}
            onChange={(event) => onTeam(event.target.value === '' ? null : event.target.value)}
            className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm text-slate-800 shadow-sm focus:border-sky-600 focus:ring-1 focus:ring-sky-600 focus:outline-none"
          >
            <option value="">Every team</option>
            {/* A team from a shared link that owns no pair now stays selectable, so it can be seen and cleared. */}
            {(team !== null && !teams.includes(team) ? [...teams, team] : teams).map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      )}
      {canClear && (
        <button
          type="button"
          onClick={onClear}
          className="inline-flex items-center gap-1 rounded-md px-2 py-1 text-sm font-medium text-sky-800 hover:bg-sky-50"
        >
          <X aria-hidden className="size-4" />
          Clear filters
        </button>
      )}
    </div>
  );
}
