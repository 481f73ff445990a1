'use client';

import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { formatDuration } from '@/components/ui/format';
import { AXIS_TICK, CHART_HEIGHT, ChartCard, FAILURE_COLOR, GRID_COLOR } from './chart-card';
import { timeTickFormatter, timeTicks, type RunSeries } from './run-series';

const DURATION_COLOR = 'var(--chart-line)';

/** How long each run took (result.duration_ms, or finished − started for failed runs). */
export function RunDurationChart({ series }: { series: RunSeries }) {
  const tick = timeTickFormatter(series.domain);
  const xTicks = timeTicks(series.domain);
  const drawable = series.points.filter((point) => point.durationMs !== null);
  return (
    <ChartCard
      title="Run duration"
      description="Milliseconds per run; a climb here comes before statement timeouts."
      testId="chart-duration"
      empty={drawable.length === 0 ? 'No runs recorded yet.' : null}
    >
      <LineChart
        data={drawable}
        syncId="pair-runs"
        syncMethod="value"
        responsive
        style={{ width: '100%', height: CHART_HEIGHT }}
        margin={{ top: 4, right: 12, bottom: 0, left: 4 }}
      >
        <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" />
        <XAxis
          dataKey="atMs"
          type="number"
          scale="time"
          domain={series.domain}
          ticks={xTicks}
          tickFormatter={tick}
          tick={AXIS_TICK}
          minTickGap={24}
        />
        <YAxis tick={AXIS_TICK} width={68} tickFormatter={(value: number) => formatDuration(value)} />
        <Tooltip
          labelFormatter={(label) => (typeof label === 'number' ? tick(label) + ' UTC' : label)}
          formatter={(value) => (typeof value === 'number' ? formatDuration(value) : value)}
        />
        {series.failures.map((at) => (
          <ReferenceLine key={at} x={at} stroke={FAILURE_COLOR} strokeDasharray="4 3" ifOverflow="hidden" />
        ))}
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
