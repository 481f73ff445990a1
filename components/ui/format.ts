/** Formatting shared by the pages and the wall; pure functions, no locale surprises. */

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : integer.format(value);
}

export function formatDecimal(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : decimal.format(value);
}

/** "14:03" UTC, for chart axes. */
export function formatUtcClock(ms: number, withSeconds = false): string {
  const text = new Date(ms).toISOString();
  return withSeconds ? text.slice(11, 19) : text.slice(11, 16);
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1_000) return `${Math.round(ms)} ms`;
  return `${decimal.format(ms / 1_000)} s`;
}
