// One way to write a time, for people: the pipeline thinks in UTC, so does the dashboard, and says so.

/** "2025-11-28 14:03:07 UTC": the pipeline thinks in UTC, so does the dashboard. */
export function formatUtc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
