'use client';

import { CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '@/components/ui/format';
import { AXIS_TICK, ChartCard, GRID_COLOR } from './chart-card';
import { runChartParts } from './run-chart-parts';
import type { RunSeries } from './run-series';

const DURATION_COLOR = 'var(--chart-line)';

/** How long each run took (result.duration_ms, or finished − started for failed runs). */
export function RunDurationChart({ series }: { series: RunSeries }) {
  const parts = runChartParts(series);
  const drawable = series.points.filter((point) => point.durationMs !== null);
  return (
    <ChartCard
      title="Run duration"
      description="Milliseconds per run; a climb here comes before statement timeouts."
      testId="chart-duration"
      empty={drawable.length === 0 ? 'No runs recorded yet.' : null}
    >
      <LineChart data={drawable} {...parts.chart}>
        <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" />
        <XAxis {...parts.timeAxis} />
        <YAxis tick={AXIS_TICK} width={68} tickFormatter={(value: number) => formatDuration(value)} />
        <Tooltip
          labelFormatter={parts.tooltipLabel}
          formatter={(value) => (typeof value === 'number' ? formatDuration(value) : value)}
        />
        {parts.failureLines}
        <Line
          name="Duration"
          dataKey="durationMs"
          stroke={DURATION_COLOR}
          strokeWidth={1.5}
          dot={{ r: 2 }}
          isAnimationActive={false}
        />
      </LineChart>
    </ChartCard>
  );
}
