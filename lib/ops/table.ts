/** Plain-text tables for the terminal: aligned columns, UTC timestamps without milliseconds. */

export function formatTime(value: Date | null): string {
  return value
    ? value
        .toISOString()
        .replace('T', ' ')
        .replace(/\.000Z$/, 'Z')
    : 'NULL';
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (value instanceof Date) return formatTime(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** columns: [key, heading]; numbers right-aligned, text left-aligned. */
export function formatTable(rows: Record<string, unknown>[], columns: Array<[string, string]>): string[] {
  const cells = rows.map((row) => columns.map(([key]) => cell(row[key])));
  // bigint and numeric columns arrive as strings from a plain pg client: judge by the text.
  const numeric = columns.map((_, i) => cells.every((line) => /^(-|-?\d+(\.\d+)?)$/.test(line[i]!)));
  const widths = columns.map(([, heading], i) => Math.max(heading.length, ...cells.map((line) => line[i]!.length)));
  const pad = (text: string, i: number) => (numeric[i] ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const render = (line: string[]) => line.map(pad).join('  ').trimEnd();
  return [
    render(columns.map(([, heading]) => heading)),
    render(widths.map((w) => '-'.repeat(w))),
    ...cells.map(render),
  ];
}
