'use client';

import { Area, AreaChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, CHART_HEIGHT, ChartCard, FAILURE_COLOR, GRID_COLOR } from './chart-card';
import { timeTickFormatter, timeTicks, type RunSeries } from './run-series';

const BEHIND_COLOR = 'var(--color-state-lagging)';

/** Complete windows left after each run (result.bars_behind); the lag threshold as a line. */
export function BarsBehindChart({ series, lagBars }: { series: RunSeries; lagBars: number | null }) {
  const tick = timeTickFormatter(series.domain);
  const xTicks = timeTicks(series.domain);
  const drawable = series.points.filter((point) => point.barsBehind !== null);
  return (
    <ChartCard
      title="Bars behind"
      description="Complete windows still waiting after each successful run."
      testId="chart-bars-behind"
      empty={drawable.length === 0 ? 'No successful run reported bars_behind yet.' : null}
    >
      <AreaChart
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
        <YAxis allowDecimals={false} tick={AXIS_TICK} width={48} />
        <Tooltip labelFormatter={(label) => (typeof label === 'number' ? tick(label) + ' UTC' : label)} />
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
        {series.failures.map((at) => (
          <ReferenceLine key={at} x={at} stroke={FAILURE_COLOR} strokeDasharray="4 3" ifOverflow="hidden" />
        ))}
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
