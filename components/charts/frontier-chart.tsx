'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import { AXIS_TICK, CHART_HEIGHT, ChartCard, FAILURE_COLOR, GRID_COLOR } from './chart-card';
import { timeTickFormatter, timeTicks, timeValueDomain, type RunSeries } from './run-series';

const CURSOR_COLOR = '#7c3aed';
const SOURCE_COLOR = '#0f766e';

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/**
 * Where the cursor stood after each run against where the source ended. The cursor line
 * should trail the source line by about one window; above it is the AHEAD bug.
 */
export function FrontierChart({ series }: { series: RunSeries }) {
  const tick = timeTickFormatter(series.domain);
  const xTicks = timeTicks(series.domain);
  const drawable = series.points.filter((point) => point.cursorMs !== null || point.sourceMs !== null);
  const yDomain = timeValueDomain(drawable.flatMap((point) => [point.cursorMs, point.sourceMs]));
  const yTick = timeTickFormatter(yDomain);
  return (
    <ChartCard
      title="Cursor vs source frontier"
      description="After each run: the cursor (last finished window) and the newest 1m source bar."
      testId="chart-frontier"
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
        <YAxis
          type="number"
          domain={yDomain}
          ticks={timeTicks(yDomain, 5)}
          tickFormatter={yTick}
          tick={AXIS_TICK}
          width={64}
        />
        <Tooltip
          labelFormatter={(label) => (typeof label === 'number' ? `Run finished ${utc(label)}` : label)}
          formatter={(value) => (typeof value === 'number' ? utc(value) : value)}
        />
        <Legend verticalAlign="top" height={22} iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
        {series.failures.map((at) => (
          <ReferenceLine key={at} x={at} stroke={FAILURE_COLOR} strokeDasharray="4 3" ifOverflow="hidden" />
        ))}
        <Line
          name="Source frontier"
          dataKey="sourceMs"
          type="stepAfter"
          stroke={SOURCE_COLOR}
          strokeWidth={2}
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
        <Line
          name="Cursor"
          dataKey="cursorMs"
          type="stepAfter"
          stroke={CURSOR_COLOR}
          strokeWidth={2}
          dot={false}
          connectNulls
          isAnimationActive={false}
        />
      </LineChart>
    </ChartCard>
  );
}
