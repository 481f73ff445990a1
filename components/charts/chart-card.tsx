import type { ReactNode } from 'react';

export const CHART_HEIGHT = 220;
export const FAILURE_COLOR = 'var(--color-state-failing)';
export const GRID_COLOR = 'var(--chart-grid)';
export const AXIS_TICK = { fontSize: 11, fill: 'var(--chart-axis)' } as const;

/** The frame around one chart: a title that says what is drawn, and an honest empty state. */
export function ChartCard({
  title,
  description,
  testId,
  empty,
  children,
}: {
  title: string;
  description: string;
  testId: string;
  /** Why there is nothing to draw, or null when there is. */
  empty: string | null;
  children: ReactNode;
}) {
  return (
    <figure
      className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm"
      data-testid={testId}
      aria-label={title}
    >
      <figcaption className="mb-2">
        <span className="block text-sm font-semibold text-slate-800">{title}</span>
        <span className="block text-xs text-slate-500">{description}</span>
      </figcaption>
      {empty ? (
        <p
          className="flex items-center justify-center rounded-md bg-slate-50 text-sm text-slate-500"
          style={{ height: CHART_HEIGHT }}
        >
          {empty}
        </p>
      ) : (
        children
      )}
    </figure>
  );
}

/** The little key under the charts: what the red dashed lines are. */
export function FailureKey({ count }: { count: number }) {
  return (
    <p className="flex items-center gap-2 text-xs text-slate-600">
      <svg aria-hidden width="22" height="10">
        <line x1="0" y1="5" x2="22" y2="5" stroke={FAILURE_COLOR} strokeWidth="2" strokeDasharray="4 3" />
      </svg>
      {count === 0
        ? 'No failed runs in this history.'
        : `Red dashed lines: ${count} failed run${count === 1 ? '' : 's'}.`}
    </p>
  );
}
