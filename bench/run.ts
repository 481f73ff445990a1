// npm run bench [-- --full] [-- --only=catchup,view,worker,api,adoption,browser,replicas] — benchmarks that print ratios against a
// baseline measured in the same run. Quick sizes by default; --full for the issue's sizes.
import os from 'node:os';
import { benchCatchupThroughput } from './catchup-throughput';
import { benchFrontierView } from './frontier-view';
import { benchMarketSessions } from './market-sessions';
import { benchBacklog, benchWorkerPass } from './worker-pass';
import { benchApiLoad } from './api-load';
import { benchBrowser } from './browser';
import { benchSnapshot } from './snapshot';
import { benchAdoption } from './adoption';
import { benchMetrics } from './metrics';
import { benchAudit, benchWorkerAudit } from './audit';
import { benchHistory } from './history';
import { benchLive, benchLivePages, printLive, printLivePages } from './live';
import { benchReplicas, printReplicas } from './replicas';
import { median, round, startBenchDatabase } from './support';

const args = process.argv.slice(2);
const full = args.includes('--full');
const only = args
  .find((a) => a.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const selected = (name: string) => !only || only.includes(name);

async function main(): Promise<void> {
  console.log(
    `machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  console.log(`mode: ${full ? 'full' : 'quick'}; command: npm run bench${args.length ? ' -- ' + args.join(' ') : ''}`);
  const db = await startBenchDatabase();
  try {
    if (selected('catchup')) {
      console.log(
        '\n## catch-up throughput: 30-day backfill of one symbol vs one set-based INSERT … SELECT … GROUP BY date_bin',
      );
      const rows = await benchCatchupThroughput(db, full ? 9 : 5);
      for (const r of rows) {
        console.log(
          `${r.timeframe.padEnd(3)} ${r.sourceRows} source rows → ${r.bars} bars: set-based ${r.baselineMs} ms, ` +
            `catch-up (one call) ${r.catchupMs} ms → ratio ${r.ratio} (target ≥ 0.5); ` +
            `in 1,000-window calls ${r.catchupBatchedMs} ms → ratio ${r.ratioBatched}`,
        );
      }
    }
    if (selected('audit')) {
      console.log(
        '\n## audit: 30 days of one symbol, all six timeframes, vs one set-based INSERT … SELECT … GROUP BY date_bin per timeframe',
      );
      const r = await benchAudit(db, full ? 9 : 5);
      console.log(
        `${r.sourceRows} source rows, ${r.bars} bars: set-based recompute ${r.baselineMs} ms, audit with repair (clean) ${r.auditMs} ms → ratio ${r.ratio} (target ≥ 0.5); ` +
          `with ${r.driftedBars} drifted bars (1%) repaired ${r.auditDriftMs} ms → ratio ${r.ratioDrift}`,
      );
      const w = await benchWorkerAudit(db, full ? 1_000 : 200, 500);
      console.log(
        `worker: catch-up pass of ${w.pairs} caught-up pairs ${w.passMs} ms → ${w.pairsPerSecond} pairs/s (target ≥ 2000; the audit is not inside the pass); ` +
          `then one audit round of ${w.audited} pairs × 24 h lookback ${w.auditMs} ms → ${w.auditedPerSecond} pairs audited/s`,
      );
    }
    if (selected('view')) {
      const size = full ? { symbols: 5_000, minutesPerSymbol: 4_000 } : { symbols: 1_000, minutesPerSymbol: 2_000 };
      console.log(
        `\n## frontier view: ${size.symbols} symbols × 6 timeframes over ${size.symbols * size.minutesPerSymbol} bars_1m rows`,
      );
      const r = await benchFrontierView(db, size, full ? 9 : 5);
      console.log(
        `full read of ${r.pairs} pairs over ${r.sourceRows} rows: view ${r.viewMs} ms (server ${r.viewServerMs} ms), ` +
          `seed formulation ${r.seedMs} ms (server ${r.seedServerMs} ms) → ${r.ratio}× faster (target: < 50 ms and ≥ 40×)`,
      );
    }
    if (selected('sessions')) {
      const symbols = full ? 5_000 : 1_000;
      console.log(
        `\n## market sessions in the health snapshot: ${symbols * 6} pairs, server time with v_symbol_market_session joined vs without`,
      );
      for (const r of await benchMarketSessions(db, symbols, full ? 9 : 5)) {
        console.log(
          `${r.setup}: ${r.pairs} pairs, with sessions ${r.withMs} ms, without ${r.withoutMs} ms → ${r.addedMs >= 0 ? '+' : ''}${r.addedMs} ms; ` +
            `v_symbol_market_session alone ${r.viewMs} ms (target: < 30 ms at 30,000 pairs); ` +
            `read by node-postgres ${r.withReadMs} ms vs ${r.withoutReadMs} ms`,
        );
      }
    }
    if (selected('worker')) {
      const symbols = full ? 5_000 : 1_000;
      console.log(`\n## worker pass: ${symbols * 6} caught-up pairs, one full pass`);
      for (const concurrency of [4, 8]) {
        const r = await benchWorkerPass(db, symbols, concurrency);
        console.log(
          `concurrency ${r.concurrency}: ${r.pairs} pairs in ${r.passMs} ms → ${r.pairsPerSecond} pairs/s (target ≥ 2000); ` +
            `floor (SELECT 1 per pair) ${r.floorPairsPerSecond}/s → ${r.ratioToFloor} of the floor`,
        );
      }
      const backlogSymbols = full ? 1_000 : 200;
      const b = await benchBacklog(db, backlogSymbols, 4);
      console.log(
        `1-day backlog on ${b.symbols} symbols (${b.pairs} pairs, ${b.sourceRows} source rows): cleared in ${b.minutes} min, ${b.passes} passes, ${b.bars} bars`,
      );
    }
    if (selected('api')) {
      const symbols = full ? 5_000 : 1_000;
      const seconds = full ? 30 : 5;
      console.log(`\n## API under many viewers: ${symbols * 6} pairs, ${seconds} s per level, built app on 127.0.0.1`);
      const rows = await benchApiLoad(db, symbols, seconds);
      for (const r of rows) {
        console.log(
          `${r.path.padEnd(24)} ${String(r.clients).padStart(3)} clients: ${r.requests} requests, p50 ${r.p50} ms, p99 ${r.p99} ms, ` +
            `errors ${r.errors}, database transactions ${r.dbTransactions}`,
        );
      }
      for (const path of new Set(rows.map((r) => r.path))) {
        const one = rows.find((r) => r.path === path && r.clients === 1)!;
        const many = rows.find((r) => r.path === path && r.clients === 200)!;
        console.log(
          `${path}: transactions at 200 clients / at 1 client = ${round(many.dbTransactions / Math.max(1, one.dbTransactions))} (target ≤ 1.5); p99 at 200 clients ${many.p99} ms (target < 100)`,
        );
      }
    }
    if (selected('adoption')) {
      // --full: 20,000,000 bars_1m rows (200 symbols × ~69 days); quick: 2,000,000.
      const size = full ? { symbols: 200, minutes: 100_000 } : { symbols: 20, minutes: 100_000 };
      console.log(
        `\n## adoption: db:migrate on a legacy database of ${size.symbols * size.minutes} bars_1m rows (partitioned by month) while a writer inserts into bars_1m`,
      );
      const r = await benchAdoption(db, size.symbols, size.minutes);
      console.log(
        `legacy database built in ${r.loadSeconds} s (${r.sourceRows} bars_1m rows, ${r.aggRows} bars_agg rows); adoption + ${r.applied.length} later migration(s) took ${r.adoptionMs} ms`,
      );
      console.log(
        `insert latency alone: ${r.baseline.inserts} inserts, median ${r.baseline.medianMs} ms, p99 ${r.baseline.p99Ms} ms, max ${r.baseline.maxMs} ms; ` +
          `during db:migrate: ${r.during.inserts} inserts, median ${r.during.medianMs} ms, p99 ${r.during.p99Ms} ms, max ${r.during.maxMs} ms ` +
          `→ max ${round(r.during.maxMs / r.baseline.maxMs)}× the baseline's max`,
      );
      console.log(
        `blocked by locks (the inserter sampled every 10 ms, ${r.samples} samples, in wait_event_type 'Lock'): ${r.lockWaitMs} ms in total (target: under 1 s); ` +
          `inserts over 100 ms: ${r.slowInserts}; time beyond the baseline median, summed: ${r.totalStallMs} ms, longest ${r.maxStallMs} ms ` +
          `(CPU and I/O shared with the adoption's own work on ${os.cpus().length} cores, not locks)`,
      );
    }
    if (selected('metrics')) {
      console.log(
        `\n## /api/metrics size at 30,000 pairs; load ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      console.log(
        'renderMetrics over an in-memory snapshot through the health rules; old = the renderer before issue 12',
      );
      const rows = await benchMetrics(5_000, [0, 2_000], full ? 9 : 5);
      for (const r of rows) {
        console.log(
          `${r.scenario.padEnd(28)} ${r.renderer}: ${r.bytes} bytes, ${r.series} series, render median ${r.medianMs} ms (fastest ${r.minMs} ms), CPU ${r.cpuMs} ms`,
        );
      }
      for (const scenario of new Set(rows.map((r) => r.scenario))) {
        const [now, old] = (['new', 'old'] as const).map((renderer) =>
          rows.find((r) => r.scenario === scenario && r.renderer === renderer)!,
        );
        console.log(
          `${scenario}: new/old size ${round(now!.bytes / old!.bytes, 4)}, series ${round(now!.series / old!.series, 4)}, ` +
            `render CPU ${round(now!.cpuMs / old!.cpuMs, 4)} (target ≤ 1 MB: ${now!.bytes <= 1_000_000 ? 'met' : 'MISSED'})`,
        );
      }
    }
    if (selected('history')) {
      const symbols = full ? 5_000 : 1_000;
      const transitions = full ? 1_000_000 : 200_000;
      console.log(
        `\n## state history: ${symbols * 6} pairs, ${transitions} recorded transitions, one evaluation = one history_record_states call`,
      );
      const h = await benchHistory(db, symbols, transitions);
      console.log(
        `first evaluation (every pair new) ${h.firstMs} ms; steady (nothing changed) ${h.steadyMs} ms (server ${h.steadyServerMs} ms; target < 1000) ` +
          `vs the floor (arrays in, one join, nothing written) ${h.floorMs} ms → ${round(h.steadyMs / Math.max(1, h.floorMs))}× the floor`,
      );
      console.log(
        `storm: ${h.storm.pairs} pairs turn SOURCE_STALE: ${h.storm.ms} ms (server ${h.storm.serverMs} ms) → ${h.storm.openIncidents} open incident(s); ` +
          `every pair FAILING: ${h.fault.ms} ms (server ${h.fault.serverMs} ms) → ${h.fault.openIncidents} open incident(s), then ${h.fault.steadyMs} ms per evaluation while it lasts; all recover: ${h.recoveryMs} ms`,
      );
      console.log(
        `/api/incidents (50 open) ${h.incidentsMs} ms; a pair's 7-day timeline ${h.timelineMs} ms (targets < 50 ms); the wall's incidents per poll ${h.wallIncidentsKb} kB; ` +
          `state_since of every pair (the /api/health snapshot's extra query, run beside the frontier select) ${h.stateSinceMs} ms`,
      );
    }
    if (selected('snapshot')) {
      const symbols = full ? 5_000 : 2_000;
      const s = await benchSnapshot(db, symbols, full ? 9 : 5);
      console.log(
        `\n## the API's snapshot: ${s.pairs} pairs, in process; load ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      console.log(
        `one build ${s.buildMs} ms (median): its queries ${s.queriesMs} ms, the health rules ${s.rulesMs} ms, the version for the ETag ${s.versionMs} ms ` +
          `→ the version is ${round(s.versionMs / Math.max(1, s.buildMs))}× the build; the list as JSON (${s.jsonMb} MB), which a 304 does not make, ${s.jsonMs} ms → ${round(s.jsonMs / Math.max(1, s.versionMs))}× the version`,
      );
    }
    if (selected('live')) {
      for (const symbols of full ? [5_000, 16_667] : [5_000]) {
        console.log(
          `\n## live: ${symbols * 6} pairs with a worker and a live feed, built app, Chromium 1920×1080; load ${os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')}`,
        );
        printLive(await benchLive(db, { symbols, seconds: 60, simulatedViewers: 100, loadRuns: 9 }));
        console.log(
          `load at the end: ${os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')}`,
        );
      }
    }
    if (selected('replicas')) {
      // --replicas-symbols=N for a smaller book on a busy machine (the size is printed).
      const symbols = Number(args.find((a) => a.startsWith('--replicas-symbols='))?.split('=')[1] ?? 5_000);
      const options = { symbols, seconds: 60, viewers: 100 };
      console.log(
        `\n## replicas: ${symbols * 6} pairs with a worker and a live feed, ${options.viewers} simulated viewers polling the overview, ` +
          `${options.seconds} s per arm; the dashboard's database time (pg_stat_statements, its role only); load ${os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')}`,
      );
      printReplicas(await benchReplicas(options));
    }
    if (selected('live-pages')) {
      console.log(`\n## live pages: 30000 pairs with a worker and a live feed, one Chromium viewer each`);
      printLivePages(await benchLivePages(db, { symbols: 5_000, seconds: 60, simulatedViewers: 0, loadRuns: 0 }));
    }
    if (selected('browser')) {
      const o = {
        symbols: 5_000,
        loadRuns: full ? 5 : 3,
        scrollRows: 5_000,
        scrollSeconds: full ? 180 : 25,
        pollSeconds: full ? 300 : 60,
        wallSeconds: full ? 600 : 60,
        heapEveryMs: full ? 60_000 : 15_000,
      };
      console.log(
        `\n## browser: ${o.symbols * 6} pairs, built app and Chromium on 127.0.0.1, 1920×1080; load ${os
          .loadavg()
          .map((l) => l.toFixed(2))
          .join(' ')}`,
      );
      const r = await benchBrowser(db, o);
      const ms = (l: { usableMs: number[] }) => `median ${median(l.usableMs)} ms (runs ${l.usableMs.join(', ')})`;
      console.log(`${r.chromium}; states ${JSON.stringify(r.states)}`);
      console.log(
        `overview usable (rows visible, count shows all): ${r.large.pairs} pairs ${ms(r.large)}, long tasks ${r.large.longTasks} (${r.large.longTaskMs} ms); ` +
          `${r.small.pairs} pairs ${ms(r.small)} → ${round(median(r.large.usableMs) / median(r.small.usableMs))}× the small overview`,
      );
      const search = (t: { ms: number[]; fromCallMs: number[] }) =>
        `median ${median(t.ms)} ms (runs ${t.ms.join(', ')}; from the fill() call ${median(t.fromCallMs)} ms)`;
      console.log(
        `search "${r.largeSearch.symbol}", from its input event to a frame with only its rows: ${r.largeSearch.pairs} pairs ${search(r.largeSearch)} (target ≤ 150 ms); ` +
          `${r.smallSearch.pairs} pairs ${search(r.smallSearch)} → ${round(median(r.largeSearch.ms) / Math.max(1, median(r.smallSearch.ms)))}× the small overview`,
      );
      const poll = (p: typeof r.polling) =>
        `${p.kbPerMinute} kB per minute (${p.polls} polls, ${p.notModified} answered 304, ${Math.round(p.bytes / 1024)} kB in ${p.seconds} s, ${p.encoding})`;
      console.log(
        `overview polling /api/health with nothing changed: ${poll(r.polling)} (target ≤ 200 kB per minute); ` +
          `without If-None-Match ${poll(r.pollingUnconditional)} → ${round(r.polling.kbPerMinute / Math.max(0.1, r.pollingUnconditional.kbPerMinute), 4)}× the unconditional polls`,
      );
      const s = r.scroll;
      console.log(
        `scroll by wheel, 10 rows per event: ${s.rowsReached} of ${s.rows} rows in ${s.seconds} s (limit ${o.scrollSeconds} s): ${s.frames} frames, median ${s.medianFrameMs} ms, p95 ${s.p95FrameMs} ms, max ${s.maxFrameMs} ms ` +
          `(idle: median ${s.idleMedianFrameMs}, p95 ${s.idleP95FrameMs} → p95 ${round(s.p95FrameMs / s.idleP95FrameMs)}× idle); long tasks ${s.longTasks} (${s.longTaskMs} ms); at most ${s.maxRowsInDom} rows in the DOM`,
      );
      for (const p of r.js)
        console.log(
          `first-load JS ${p.path.padEnd(17)} ${p.files} files, ${p.gzipKb} kB gzip (${p.rawKb} kB raw), of which ${p.sharedGzipKb} kB shared by all three pages`,
        );
      const w = r.wall;
      console.log(
        `wall ?poll=${w.pollMs} for ${w.seconds} s: ${w.polls} polls (${w.failedPolls} failed, mean request ${w.meanPollRequestMs} ms; the next starts ${w.pollMs} ms after one ends); JS heap after GC ${w.heapMb.map((h) => `${h.atS}s ${h.mb}`).join(', ')} MB; ` +
          `start ${w.startMb} MB → end ${w.endMb} MB: growth ${w.growthMb} MB = ${w.growthPct}% of the heap at start; load ${os
            .loadavg()
            .map((l) => l.toFixed(2))
            .join(' ')}`,
      );
    }
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
