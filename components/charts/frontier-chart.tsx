'use client';

import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from 'recharts';
import type { SourceFrontierSample } from '@/lib/shared/types';
import { AXIS_TICK, CHART_HEIGHT, ChartCard, FAILURE_COLOR, GRID_COLOR } from './chart-card';
import { timeTickFormatter, timeTicks, timeValueDomain, type RunSeries } from './run-series';

const CURSOR_COLOR = 'var(--chart-cursor)';
const SOURCE_COLOR = 'var(--chart-source)';

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

interface Props {
  series: RunSeries;
  /** the source frontier sampled from bars_1m across the span (GET /api/pairs/…: sourceFrontier) */
  sourceFrontier: readonly SourceFrontierSample[];
  /** the cursor as it stands now, drawn at `atMs` even when no run recorded it */
  cursorNow: { atMs: number; cursorMs: number | null };
}

/**
 * The cursor against the source frontier over time. The frontier comes from bars_1m, not from
 * the runs, so the gap shows on a pair whose runs fail or that never ran; the cursor is drawn
 * where it is, also when it is days ahead. The cursor line should trail the source by about one
 * window; above it is the AHEAD bug.
 */
export function FrontierChart({ series, sourceFrontier, cursorNow }: Props) {
  const source = sourceFrontier.map((sample) => ({
    atMs: Date.parse(sample.atUtc),
    sourceMs: sample.sourceMaxTsUtc === null ? null : Date.parse(sample.sourceMaxTsUtc),
  }));
  const cursor = series.points
    .filter((point) => point.cursorMs !== null)
    .map((point) => ({ atMs: point.atMs, cursorMs: point.cursorMs }));
  if (cursorNow.cursorMs !== null) cursor.push(cursorNow);
  const times = [...source.map((point) => point.atMs), ...cursor.map((point) => point.atMs)];
  const xDomain: [number, number] = times.length ? [Math.min(...times), Math.max(...times)] : series.domain;
  const [low, high] = timeValueDomain([
    ...source.map((point) => point.sourceMs),
    ...cursor.map((point) => point.cursorMs),
  ]);
  // A little room beyond the ends, so a cursor on the lowest or highest tick is not cut in half.
  const yDomain: [number, number] = [low - (high - low) * 0.04, high + (high - low) * 0.04];
  const nothing = source.every((point) => point.sourceMs === null) && cursor.length === 0;
  return (
    <ChartCard
      title="Cursor vs source frontier"
      description="The cursor (last finished window) and the newest 1m source bar, over time; all times UTC."
      testId="chart-frontier"
      empty={nothing ? 'No source bars and no cursor yet.' : null}
    >
      <LineChart
        responsive
        style={{ width: '100%', height: CHART_HEIGHT }}
        margin={{ top: 4, right: 12, bottom: 0, left: 4 }}
      >
        <CartesianGrid stroke={GRID_COLOR} strokeDasharray="3 3" />
        <XAxis
          dataKey="atMs"
          type="number"
          scale="time"
          domain={xDomain}
          ticks={timeTicks(xDomain)}
          tickFormatter={timeTickFormatter(xDomain)}
          tick={AXIS_TICK}
          minTickGap={24}
          allowDuplicatedCategory={false}
        />
        <YAxis
          type="number"
          domain={yDomain}
          ticks={timeTicks(yDomain, 5)}
          tickFormatter={timeTickFormatter(yDomain)}
          tick={AXIS_TICK}
          width={76}
          label={{
            value: 'UTC',
            angle: -90,
            position: 'insideLeft',
            style: { fontSize: 11, fill: 'var(--chart-axis)' },
          }}
        />
        <Tooltip
          labelFormatter={(label) => (typeof label === 'number' ? utc(label) : label)}
          formatter={(value) => (typeof value === 'number' ? utc(value) : value)}
        />
        <Legend verticalAlign="top" height={22} iconType="plainline" wrapperStyle={{ fontSize: 12 }} />
        {series.failures.map((at) => (
          <ReferenceLine key={at} x={at} stroke={FAILURE_COLOR} strokeDasharray="4 3" ifOverflow="hidden" />
        ))}
        <Line
          name="Source frontier"
          data={source}
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
          data={cursor}
          dataKey="cursorMs"
          type="stepAfter"
          stroke={CURSOR_COLOR}
          strokeWidth={2}
          // A few points (a pair that never ran, or only just failed) would be a line too short to see.
          dot={cursor.length <= 5 ? { r: 4, fill: CURSOR_COLOR } : false}
          connectNulls
          isAnimationActive={false}
        />
      </LineChart>
    </ChartCard>
  );
}
