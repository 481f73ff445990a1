import { compareWorstFirst, derivePairHealth, DEFAULT_THRESHOLDS } from '../lib/health/rules';
import type { HealthSnapshot } from '../lib/api/snapshot';
import { renderMetrics } from '../lib/api/metrics';
import type { FrontierRow } from '../lib/shared/types';
import { renderLegacyMetrics } from './legacy-metrics';
import { median, round } from './support';

/**
 * /api/metrics at scale (issue 12): the text renderMetrics makes from a health snapshot of
 * `symbols` × 6 pairs, all OK or with `failing` of them FAILING, against the renderer it
 * replaced, in the same run. The snapshot is built in memory through the real health rules
 * (derivePairHealth): the route adds nothing but the cached snapshot read.
 */
const TIMEFRAMES = [
  ['5m', 5],
  ['15m', 15],
  ['30m', 30],
  ['1h', 60],
  ['4h', 240],
  ['1d', 1440],
] as const;

export interface MetricsBenchRow {
  scenario: string;
  renderer: 'new' | 'old';
  bytes: number;
  series: number;
  medianMs: number;
  /** the fastest run: on a shared machine the one least disturbed by other processes */
  minMs: number;
  /** median CPU time of the process (user + system): what the render costs, whoever else runs */
  cpuMs: number;
}

function snapshot(symbols: number, failing: number): HealthSnapshot {
  const now = Date.now();
  const rows = [];
  // The failing pairs spread evenly over the symbols and timeframes.
  const stride = failing > 0 ? Math.floor((symbols * TIMEFRAMES.length) / failing) : Infinity;
  for (let s = 0; s < symbols; s += 1) {
    for (const [timeframe, stepMinutes] of TIMEFRAMES) {
      const index = rows.length;
      const fails = index % stride === 0 && index / stride < failing;
      const row: FrontierRow = {
        symbol: `S${String(s).padStart(5, '0')}`,
        timeframe,
        stepMinutes,
        enabled: true,
        cursorUtc: new Date(now - 2 * stepMinutes * 60_000).toISOString(),
        sourceMaxTsUtc: new Date(now - 60_000).toISOString(),
        cursorStatus: 'OK',
        gapMinutes: stepMinutes,
        barsBehind: 0,
        sourceAgeMinutes: 1,
        lastAttemptUtc: new Date(now).toISOString(),
        lastSuccessUtc: new Date(now - (fails ? 20 : 0.5) * 60_000).toISOString(),
        registeredAtUtc: new Date(now - 86_400_000).toISOString(),
        minutesSinceSuccess: fails ? 20 : 0.5,
        lastError: fails ? 'corrupt source data for …' : null,
        lastErrorUtc: fails ? new Date(now).toISOString() : null,
        consecutiveFailures: fails ? 3 : 0,
        lastErrorSqlstate: fails ? '22000' : null,
        lastErrorHint: fails ? 'fix or delete the bad bars_1m rows, then the next run carries on' : null,
        totalRuns: 100,
        totalBarsWritten: 100,
        barsPerRun: 1,
        recentBars: [1, 1, 1],
        auditUnrepaired: 0,
        auditUnrepairedFromUtc: null,
        auditUnrepairedToUtc: null,
        auditRepaired24h: 0,
        auditLastUtc: null,
      };
      rows.push(derivePairHealth(row, DEFAULT_THRESHOLDS));
    }
  }
  rows.sort(compareWorstFirst);
  return {
    generatedAt: new Date(now).toISOString(),
    thresholds: DEFAULT_THRESHOLDS,
    runIntervalMinutes: 0.25,
    history: new Map(),
    rows,
    replication: {
      role: 'primary',
      lagSeconds: 0,
      replayPaused: false,
      stale: false,
      dataAsOf: new Date(now).toISOString(),
    },
  };
}

const seriesIn = (text: string) => text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;

export async function benchMetrics(symbols: number, failingCounts: number[], runs: number): Promise<MetricsBenchRow[]> {
  const out: MetricsBenchRow[] = [];
  for (const failing of failingCounts) {
    const snap = snapshot(symbols, failing);
    const states = snap.rows.filter((row) => row.state === 'FAILING').length;
    if (states !== failing) throw new Error(`bench setup: ${states} FAILING pairs instead of ${failing}`);
    const scenario = `${snap.rows.length} pairs, ${failing} FAILING`;
    const renderers = {
      new: () => renderMetrics({ snapshot: snap, timeframes: TIMEFRAMES.map(([tf]) => tf), pairSeriesCap: 500 }),
      old: () => renderLegacyMetrics(snap),
    } as const;
    for (const renderer of ['new', 'old'] as const) {
      const times: number[] = [];
      const cpu: number[] = [];
      let text = '';
      for (let run = 0; run < runs; run += 1) {
        const started = performance.now();
        const cpuStarted = process.cpuUsage();
        text = await renderers[renderer]();
        const used = process.cpuUsage(cpuStarted);
        times.push(performance.now() - started);
        cpu.push((used.user + used.system) / 1000);
      }
      out.push({
        scenario,
        renderer,
        bytes: Buffer.byteLength(text),
        series: seriesIn(text),
        medianMs: round(median(times), 1),
        minMs: round(Math.min(...times), 1),
        cpuMs: round(median(cpu), 1),
      });
    }
  }
  return out;
}
