'use client';

import { Bar, BarChart, CartesianGrid, Cell, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, ChartCard, GRID_COLOR } from './chart-card';
import { runChartParts } from './run-chart-parts';
import type { RunSeries } from './run-series';

const BAR_COLOR = 'var(--chart-bars)';

/** Bars written by each run; failed runs wrote nothing and are marked instead of drawn as 0. */
export function BarsPerRunChart({ series }: { series: RunSeries }) {
  const parts = runChartParts(series);
  const drawable = series.points.filter((point) => point.ok);
  return (
    <ChartCard
      title="Bars written per run"
      description="A run that has work but writes nothing is the 'inefficient' pattern."
      testId="chart-bars-per-run"
      empty={drawable.length === 0 ? 'No successful runs yet.' : null}
    >
      <BarChart data={drawable} {...parts.chart}>
        <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" vertical={false} />
        <XAxis {...parts.timeAxis} padding={{ left: 6, right: 6 }} />
        <YAxis allowDecimals={false} tick={AXIS_TICK} width={48} />
        <Tooltip labelFormatter={parts.tooltipLabel} />
        {parts.failureLines}
        <Bar
          name="Bars written"
          dataKey="barsWritten"
          fill={BAR_COLOR}
          maxBarSize={14}
          minPointSize={1}
          isAnimationActive={false}
        >
          {drawable.map((point) => (
            <Cell key={point.runId} fill={point.barsWritten === 0 ? 'var(--chart-idle)' : BAR_COLOR} />
          ))}
        </Bar>
      </BarChart>
    </ChartCard>
  );
}
