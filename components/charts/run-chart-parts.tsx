import { ReferenceLine } from 'recharts';
import { AXIS_TICK, CHART_HEIGHT, FAILURE_COLOR } from './chart-card';
import { timeTickFormatter, timeTicks, type RunSeries } from './run-series';

/**
 * What the pair page's three run charts share: one time axis over the series' domain, synced
 * hovers, the same frame, and a dashed line at every failed run. Recharts reads its axes and
 * lines as direct children of the chart, so these are props to spread and elements to place,
 * not wrapper components.
 */
export function runChartParts(series: RunSeries) {
  const tick = timeTickFormatter(series.domain);
  return {
    /** Spread on the chart (AreaChart, LineChart, BarChart). */
    chart: {
      syncId: 'pair-runs',
      syncMethod: 'value',
      responsive: true,
      style: { width: '100%', height: CHART_HEIGHT },
      margin: { top: 4, right: 12, bottom: 0, left: 4 },
    } as const,
    /** Spread on the XAxis. */
    timeAxis: {
      dataKey: 'atMs',
      type: 'number',
      scale: 'time',
      domain: series.domain,
      ticks: timeTicks(series.domain),
      tickFormatter: tick,
      tick: AXIS_TICK,
      minTickGap: 24,
    } as const,
    /** The tooltip's label: the run's time in UTC. */
    tooltipLabel: (label: unknown) => (typeof label === 'number' ? tick(label) + ' UTC' : String(label)),
    failureLines: series.failures.map((at) => (
      <ReferenceLine key={at} x={at} stroke={FAILURE_COLOR} strokeDasharray="4 3" ifOverflow="hidden" />
    )),
  };
}
