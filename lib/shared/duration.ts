/**
 * Every way the dashboard writes a duration, in one module (pure; server and browser). Each
 * has its own job, so each has its own name:
 * - formatMinutes: in a health sentence ("no success for 73 min"): rounded DOWN, so that a
 *   sentence never overstates against its threshold (at 60.9 min it says 60, not 61).
 * - formatMinutesRounded: a number in a table or card (gap, age, ETA): to the nearest minute,
 *   signed (a cursor ahead of the source has a negative gap), "—" for unknown.
 * - formatSpan: short enough for a wall tile ("45 min", "5 h", "3 d").
 * - formatAge: elapsed wall-clock time in seconds resolution ("updated 4 s ago").
 * - formatLasted: how long a state or incident lasted or has lasted ("for 17 min", "2 h 5 min").
 */

/** "73 min", "3 h 5 min", "2 d 4 h": whole units, rounded down so a sentence never overstates. */
export function formatMinutes(minutes: number): string {
  const total = Math.max(0, Math.floor(minutes));
  if (total < 120) return `${total} min`;
  const hours = Math.floor(total / 60);
  if (hours < 48) return `${hours} h ${total % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** 73 → "1 h 13 min", 125 → "2 h 5 min", 4000 → "2 d 18 h", −7 → "−7 min", null → "—". */
export function formatMinutesRounded(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  const minutes = Math.round(value);
  if (Math.abs(minutes) < 60) return `${minutes} min`;
  const hours = Math.floor(Math.abs(minutes) / 60);
  const sign = minutes < 0 ? '−' : '';
  if (hours < 48) return `${sign}${hours} h${minutes % 60 ? ` ${Math.abs(minutes) % 60} min` : ''}`;
  const days = Math.floor(hours / 24);
  return `${sign}${days} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}

/** "45 min", "5 h", "3 d": short enough for a wall tile. */
export function formatSpan(minutes: number): string {
  if (minutes < 120) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} h`;
  return `${Math.round(minutes / 1440)} d`;
}

/** "4 s", "3 min 12 s", "2 h 5 min": a duration for people. */
export function formatAge(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** "40 s", "3 min", "2 h 5 min", "4 d 2 h": how long something lasted or has lasted, rounded down. */
export function formatLasted(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  return `${Math.floor(hours / 24)} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}
