'use client';

import { Area, AreaChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, ChartCard, GRID_COLOR } from './chart-card';
import { runChartParts } from './run-chart-parts';
import type { RunSeries } from './run-series';

const BEHIND_COLOR = 'var(--color-state-lagging)';

/** Complete windows left after each run (result.bars_behind); the lag threshold as a line. */
export function BarsBehindChart({ series, lagBars }: { series: RunSeries; lagBars: number | null }) {
  const parts = runChartParts(series);
  const drawable = series.points.filter((point) => point.barsBehind !== null);
  return (
    <ChartCard
      title="Bars behind"
      description="Complete windows still waiting after each successful run."
      testId="chart-bars-behind"
      empty={drawable.length === 0 ? 'No successful run reported bars_behind yet.' : null}
    >
      <AreaChart data={drawable} {...parts.chart}>
        <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" />
        <XAxis {...parts.timeAxis} />
        <YAxis allowDecimals={false} tick={AXIS_TICK} width={48} />
        <Tooltip labelFormatter={parts.tooltipLabel} />
        {lagBars !== null && (
          <ReferenceLine
            y={lagBars}
            stroke="var(--chart-muted)"
            strokeDasharray="2 2"
            label={{
              value: `lag threshold ${lagBars} bars`,
              position: 'insideBottomRight',
              fontSize: 11,
              fill: 'var(--chart-axis)',
            }}
          />
        )}
        {parts.failureLines}
        <Area
          name="Bars behind"
          dataKey="barsBehind"
          type="stepAfter"
          stroke={BEHIND_COLOR}
          fill={BEHIND_COLOR}
          fillOpacity={0.2}
          strokeWidth={2}
          isAnimationActive={false}
        />
      </AreaChart>
    </ChartCard>
  );
}
