'use client';

import { Bar, BarChart, CartesianGrid, Cell, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, CHART_HEIGHT, ChartCard, FAILURE_COLOR, GRID_COLOR } from './chart-card';
import { timeTickFormatter, timeTicks, type RunSeries } from './run-series';

const BAR_COLOR = 'var(--chart-bars)';

/** Bars written by each run; failed runs wrote nothing and are marked instead of drawn as 0. */
export function BarsPerRunChart({ series }: { series: RunSeries }) {
  const tick = timeTickFormatter(series.domain);
  const xTicks = timeTicks(series.domain);
  const drawable = series.points.filter((point) => point.ok);
  return (
    <ChartCard
      title="Bars written per run"
      description="A run that has work but writes nothing is the 'inefficient' pattern."
      testId="chart-bars-per-run"
      empty={drawable.length === 0 ? 'No successful runs yet.' : null}
    >
      <BarChart
        data={drawable}
        syncId="pair-runs"
        syncMethod="value"
        responsive
        style={{ width: '100%', height: CHART_HEIGHT }}
        margin={{ top: 4, right: 12, bottom: 0, left: 4 }}
      >
        <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" vertical={false} />
        <XAxis
          dataKey="atMs"
          type="number"
          scale="time"
          domain={series.domain}
          ticks={xTicks}
          tickFormatter={tick}
          tick={AXIS_TICK}
          minTickGap={24}
          padding={{ left: 6, right: 6 }}
        />
        <YAxis allowDecimals={false} tick={AXIS_TICK} width={48} />
        <Tooltip labelFormatter={(label) => (typeof label === 'number' ? tick(label) + ' UTC' : label)} />
        {series.failures.map((at) => (
          <ReferenceLine key={at} x={at} stroke={FAILURE_COLOR} strokeDasharray="4 3" ifOverflow="hidden" />
        ))}
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
