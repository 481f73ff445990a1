// The overview under live load: N pairs with a worker running (every pair's row changes every
// pass) and a feed inserting the current minute's bar for every symbol, against the built
// dashboard. Prints, in one run: kB per minute per viewer on the wire (a real Chromium viewer),
// the dashboard's CPU per viewer-minute (simulated viewers polling as the browser does, read
// from /proc), first usable overview at N pairs against 60 pairs, search to rows, main thread
// blocked per minute, the same viewer with the worker stopped (the idle-poll figure), and the
// full-list protocol the overview used before (GET /api/health paged) as the baseline.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { chromium, type Browser, type Page } from '@playwright/test';
import { median, round, startDashboard, type BenchDatabase, type RunningDashboard } from './support';
import { seedVariety } from './browser';
import { seedPairs } from './worker-pass';
import { blockedMs, traceMainThread } from './main-thread-trace';
import { followPasses, overlapsAPass, type PassSpan } from './worker-passes';

export interface LiveOptions {
  symbols: number;
  /** one measurement window, seconds */
  seconds: number;
  simulatedViewers: number;
  loadRuns: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const chromiumPath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const viewport = { width: 1920, height: 1080 };
/** components/hooks/polling.ts OVERVIEW_POLL_MS */
const POLL_MS = 15_000;
const TICKS_PER_SECOND = 100; // USER_HZ on Linux
/** How long the set-up and a load may take: a minute per 30,000 pairs (100,000 pairs on a loaded machine needed more than one). */
const waitMs = (pairs: number) => Math.max(60_000, Math.ceil(pairs / 30_000) * 60_000);

/** utime + stime of every process in a process group, in seconds. */
export function groupCpuSeconds(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // after the command: state(0) ppid(1) pgrp(2) … utime(11) stime(12)
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      /* the process ended meanwhile */
    }
  }
  return ticks / TICKS_PER_SECOND;
}

/**
 * The worker as `npm run worker` runs it, in its own process group; passes: when its passes ran,
 * from its log (bench/worker-passes.ts), each added as it ends.
 */
export function startWorker(databaseUrl: string): {
  child: ChildProcess;
  passes: PassSpan[];
  stop: () => Promise<void>;
} {
  const child = spawn('npx', ['tsx', 'scripts/worker.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'info', HISTORY_WRITER: 'on' },
    stdio: ['ignore', 'pipe', 'ignore'],
    detached: true,
  });
  const passes = followPasses(child.stdout!);
  const stop = async () => {
    const ended = () => child.exitCode !== null || child.signalCode !== null;
    if (!child.pid || ended()) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return; // the group is gone already
    }
    for (let waited = 0; !ended() && waited < 20_000; waited += 100) await sleep(100);
  };
  return { child, passes, stop };
}

/** The current minute's bar for every symbol, every 10 s (a minute's bar arrives once, the rest are no-ops). */
export function startFeed(db: BenchDatabase): () => Promise<void> {
  let running = true;
  const loop = (async () => {
    while (running) {
      await db.pool.query(`
        INSERT INTO bars_1m (canonical_symbol, ts_utc, open, high, low, close, volume)
        SELECT canonical_symbol, date_trunc('minute', now()) - interval '1 minute', 10, 11, 9, 10.5, 1
          FROM (SELECT DISTINCT canonical_symbol FROM data_agg_state) s
        ON CONFLICT DO NOTHING`);
      for (let waited = 0; running && waited < 10_000; waited += 250) await sleep(250);
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

export async function waitForPairs(base: string, pairs: number): Promise<Record<string, number>> {
  for (const started = Date.now(); Date.now() - started < waitMs(pairs); await sleep(500)) {
    const summary = (await (await fetch(`${base}/api/health/summary`)).json()) as {
      total: number;
      byState: Record<string, number>;
    };
    if (summary.total === pairs) return Object.fromEntries(Object.entries(summary.byState).filter(([, n]) => n > 0));
  }
  throw new Error(`the API did not show ${pairs} pairs within ${waitMs(pairs) / 1000} s`);
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  await page.addInitScript(() => {
    const store = window as unknown as { benchLongTasks: number[] };
    store.benchLongTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) store.benchLongTasks.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  return page;
}

const takeLongTasks = (page: Page) =>
  page.evaluate(() => (window as unknown as { benchLongTasks: number[] }).benchLongTasks.splice(0));

/** ms from navigation start until rows are on screen and the count shows every pair. */
async function timeToUsable(page: Page, base: string, pairs: number): Promise<number> {
  const total = pairs.toLocaleString('en-US');
  await page.goto(`${base}/`, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    (expected) => {
      const count = document.querySelector('[data-testid="table-count"]')?.textContent;
      const row = document.querySelector('[data-testid="health-row"]');
      return count === expected && row !== null && row.getBoundingClientRect().height > 0 ? performance.now() : 0;
    },
    `${total} of ${total} pairs`,
    { polling: 'raf', timeout: waitMs(pairs) },
  );
  return handle.jsonValue();
}

export interface LoadTimes {
  usableMs: number[];
  /** per load: when it began, ms since the epoch (to compare with the worker's passes) */
  startedAt: number[];
  /** per load: when the page asked for its first overview answer, ms from navigation start */
  askedMs: number[];
  /** per load: from that request to the answer's first byte (the server's share) */
  answerMs: number[];
  /** per load: the page's HTML, first byte and DOMContentLoaded, ms from navigation start */
  htmlMs: number[];
  domReadyMs: number[];
}

/** Where a load's time went, from the browser's own timings: when the first overview answer was asked for, and how long it took to come. */
const overviewTiming = (page: Page) =>
  page.evaluate(() => {
    const entry = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).find((resource) =>
      resource.name.includes('/api/health/overview'),
    );
    const [navigation] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
    return {
      asked: entry ? entry.startTime : -1,
      answer: entry ? entry.responseStart - entry.startTime : -1,
      html: navigation?.responseStart ?? -1,
      domReady: navigation?.domContentLoadedEventEnd ?? -1,
    };
  });

/**
 * Between two loads: back to back, nine loads fell within one worker interval (15 s), all in one
 * phase of the worker's cycle (in the first --full run with the split, every load of both sizes
 * during a pass). Spaced, they span about two intervals and meet the worker as a user arriving at
 * any moment would; 1.7 s is no divisor of 15 s, so the phases do not repeat.
 */
const LOAD_GAP_MS = 1_700;

async function measureLoads(browser: Browser, base: string, pairs: number, runs: number): Promise<LoadTimes> {
  const times: LoadTimes = { usableMs: [], startedAt: [], askedMs: [], answerMs: [], htmlMs: [], domReadyMs: [] };
  for (let run = 0; run < runs; run += 1) {
    const page = await newPage(browser);
    times.startedAt.push(Date.now());
    times.usableMs.push(round(await timeToUsable(page, base, pairs), 0));
    const { asked, answer, html, domReady } = await overviewTiming(page);
    times.askedMs.push(round(asked, 0));
    times.answerMs.push(round(answer, 0));
    times.htmlMs.push(round(html, 0));
    times.domReadyMs.push(round(domReady, 0));
    await page.context().close();
    if (run < runs - 1) await sleep(LOAD_GAP_MS);
  }
  return times;
}

/** ms from the input event of a typed symbol until a frame shows only its rows. */
async function measureSearch(browser: Browser, base: string, pairs: number, symbol: string, runs: number) {
  const page = await newPage(browser);
  try {
    await timeToUsable(page, base, pairs);
    const box = page.getByRole('searchbox', { name: 'Search symbols' });
    await box.evaluate((element) =>
      element.addEventListener(
        'input',
        (event) => {
          (window as unknown as { benchInputAt: number }).benchInputAt = event.timeStamp;
        },
        { capture: true },
      ),
    );
    const all = `${pairs.toLocaleString('en-US')} of ${pairs.toLocaleString('en-US')} pairs`;
    const ms: number[] = [];
    for (let run = 0; run < runs; run += 1) {
      await box.fill('');
      await page.waitForFunction(
        (text) => document.querySelector('[data-testid="table-count"]')?.textContent === text,
        all,
        { timeout: 60_000 },
      );
      await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2_000 })));
      await box.fill(symbol);
      const handle = await page.waitForFunction(
        (wanted) => {
          const rows = [...document.querySelectorAll('[data-testid="health-row"]')];
          const count = document.querySelector('[data-testid="table-count"]')?.textContent ?? '';
          return rows.length > 0 &&
            !count.includes('updating') &&
            rows.every((row) => row.textContent?.includes(wanted))
            ? performance.now()
            : 0;
        },
        symbol,
        { polling: 'raf', timeout: 60_000 },
      );
      const shownAt = await handle.jsonValue();
      const inputAt = await page.evaluate(() => (window as unknown as { benchInputAt: number }).benchInputAt);
      ms.push(round(shownAt - inputAt, 0));
    }
    return ms;
  } finally {
    await page.context().close();
  }
}

export interface ViewerMinute {
  seconds: number;
  requests: number;
  notModified: number;
  rscRequests: number;
  bytes: number;
  kbPerMinute: number;
  longTasks: number;
  longTaskMsPerMinute: number;
  blockedMsPerMinute: number;
  /** the same window's trace: its long tasks, their wall time and the CPU time the main thread ran in them */
  traced: {
    longTasks: number;
    wallMs: number;
    cpuMs: number;
    blockedWallMsPerMinute: number;
    blockedCpuMsPerMinute: number;
  };
}

/** One Chromium viewer on the overview for `seconds` after it is usable: every request's headers and bodies, and its long tasks. */
async function measureViewer(
  browser: Browser,
  base: string,
  pairs: number,
  seconds: number,
  path = '/',
): Promise<ViewerMinute> {
  const page = await newPage(browser);
  try {
    if (path === '/') await timeToUsable(page, base, pairs);
    else await page.goto(base + path, { waitUntil: 'networkidle' });
    await sleep(2_000); // the first windows settle
    await takeLongTasks(page);
    let counting = true;
    const result = { requests: 0, notModified: 0, rscRequests: 0, bytes: 0 };
    const sized: Array<Promise<void>> = [];
    page.on('requestfinished', (request) => {
      if (!counting) return;
      sized.push(
        (async () => {
          const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
          result.requests += 1;
          if (response?.status() === 304) result.notModified += 1;
          if (new URL(request.url()).searchParams.has('_rsc')) result.rscRequests += 1;
          result.bytes +=
            sizes.requestHeadersSize + sizes.requestBodySize + sizes.responseHeadersSize + sizes.responseBodySize;
        })(),
      );
    });
    const stopTrace = await traceMainThread(browser, page);
    await sleep(seconds * 1000);
    counting = false;
    const traced = await stopTrace();
    await Promise.all(sized);
    const tasks = await takeLongTasks(page);
    const perMinute = (value: number) => round(value / (seconds / 60), 1);
    const blocked = blockedMs(traced);
    return {
      seconds,
      ...result,
      kbPerMinute: perMinute(result.bytes / 1024),
      longTasks: tasks.length,
      longTaskMsPerMinute: perMinute(tasks.reduce((sum, ms) => sum + ms, 0)),
      blockedMsPerMinute: perMinute(tasks.reduce((sum, ms) => sum + Math.max(0, ms - 50), 0)),
      traced: {
        longTasks: traced.length,
        wallMs: round(
          traced.reduce((sum, task) => sum + task.wallMs, 0),
          0,
        ),
        cpuMs: round(
          traced.reduce((sum, task) => sum + task.cpuMs, 0),
          0,
        ),
        blockedWallMsPerMinute: perMinute(blocked.wall),
        blockedCpuMsPerMinute: perMinute(blocked.cpu),
      },
    };
  } finally {
    await page.context().close();
  }
}

export interface ServerCost {
  viewers: number;
  seconds: number;
  cpuSeconds: number;
  requests: number;
  failed: number;
  bytes: number;
  /** CPU of the same window with no viewer, same run */
  idleCpuSeconds: number;
}

/** A GET as it goes over the wire: status, ETag, and the bytes of the request and the response (headers and the encoded body). */
function wireGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; etag?: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { headers: { ...headers, connection: 'keep-alive' }, agent }, (response) => {
      let bytes = 0;
      for (let index = 0; index < response.rawHeaders.length; index += 2)
        bytes += response.rawHeaders[index]!.length + response.rawHeaders[index + 1]!.length + 4;
      bytes += 17; // the status line
      response.on('data', (chunk: Buffer) => (bytes += chunk.length));
      response.on('end', () => {
        const etag = response.headers.etag;
        resolve({ status: response.statusCode ?? 0, etag, bytes: bytes + requestBytes(url, headers) });
      });
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}
const agent = new http.Agent({ keepAlive: true, maxSockets: 1_000 });
const requestBytes = (url: string, headers: Record<string, string>) =>
  new URL(url).pathname.length +
  new URL(url).search.length +
  30 +
  Object.entries(headers).reduce((sum, [name, value]) => sum + name.length + value.length + 4, 0);

/** The overview's poll as the browser sends it at 1920×1080 (table window 0–100, heatmap 0–150). */
const OVERVIEW_POLL = '/api/health/overview?offset=0&limit=100&hoffset=0&hlimit=150';

/**
 * `viewers` simulated viewers, each polling as the overview does (one request, the next
 * POLL_MS after the previous ended, If-None-Match with its last ETag, gzip), starts spread over
 * one interval; the dashboard's CPU over `seconds`. `paths` are what one poll asks for (the
 * full-list baseline pages through GET /api/health).
 */
async function measureServer(
  dashboard: RunningDashboard,
  viewers: number,
  seconds: number,
  paths: (poll: number) => string[],
): Promise<Omit<ServerCost, 'idleCpuSeconds'>> {
  let running = true;
  const result = { requests: 0, failed: 0, bytes: 0 };
  const viewer = async (index: number) => {
    await sleep((index / viewers) * POLL_MS);
    const etags = new Map<string, string>();
    for (let poll = 0; running; poll += 1) {
      for (const path of paths(poll)) {
        if (!running) break;
        try {
          const etag = etags.get(path);
          const answer = await wireGet(dashboard.base + path, {
            'accept-encoding': 'gzip',
            ...(etag ? { 'if-none-match': etag } : {}),
          });
          if (answer.etag) etags.set(path, answer.etag);
          result.requests += 1;
          if (answer.status >= 400) result.failed += 1;
          result.bytes += answer.bytes;
        } catch {
          result.failed += 1;
        }
      }
      for (let waited = 0; running && waited < POLL_MS; waited += 250) await sleep(250);
    }
  };
  const started = groupCpuSeconds(dashboard.pgid);
  const all = Array.from({ length: viewers }, (_, index) => viewer(index));
  await sleep(seconds * 1000);
  const cpuSeconds = groupCpuSeconds(dashboard.pgid) - started;
  running = false;
  await Promise.all(all);
  return { viewers, seconds, cpuSeconds: round(cpuSeconds, 2), ...result };
}

export interface LiveResult {
  chromium: string;
  pairs: number;
  states: Record<string, number>;
  small: LoadTimes;
  large: LoadTimes;
  /** the worker's passes over the large book, while it ran */
  workerPasses: PassSpan[];
  searchMs: number[];
  viewer: ViewerMinute;
  idleViewer: ViewerMinute;
  server: ServerCost;
  fullList: ServerCost & { kbPerMinutePerViewer: number };
}

export async function benchLive(db: BenchDatabase, options: LiveOptions): Promise<LiveResult> {
  const pairs = options.symbols * 6;
  await seedPairs(db.pool, 10, 30, true);
  const dashboard = await startDashboard(db.url);
  let worker = startWorker(db.url);
  let stopFeed = startFeed(db);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    await waitForPairs(dashboard.base, 60);
    await sleep(POLL_MS); // a worker pass over the small book
    const small = await measureLoads(browser, dashboard.base, 60, options.loadRuns);

    await stopFeed();
    await worker.stop();
    await seedPairs(db.pool, options.symbols, 30, true);
    await seedVariety(db);
    worker = startWorker(db.url);
    stopFeed = startFeed(db);
    const states = await waitForPairs(dashboard.base, pairs);
    await sleep(2 * POLL_MS); // the worker's first passes over the large book

    const large = await measureLoads(browser, dashboard.base, pairs, options.loadRuns);
    const workerPasses = worker.passes;
    const searchMs = await measureSearch(browser, dashboard.base, pairs, 'W01234', options.loadRuns);
    const viewer = await measureViewer(browser, dashboard.base, pairs, options.seconds);

    const idle = await measureServer(dashboard, 0, options.seconds, () => []);
    const served = await measureServer(dashboard, options.simulatedViewers, options.seconds, () => [OVERVIEW_POLL]);
    const server = { ...served, idleCpuSeconds: idle.cpuSeconds };
    // Before: the overview paged through the whole list every poll (10,000 rows a page), and with
    // the worker running every poll missed its ETag. One such viewer, same run.
    const pages = Math.ceil(pairs / 10_000);
    const fullListRun = await measureServer(dashboard, 1, options.seconds, () =>
      Array.from({ length: pages }, (_, page) => `/api/health?limit=10000&offset=${page * 10_000}`),
    );
    const fullList = {
      ...fullListRun,
      idleCpuSeconds: idle.cpuSeconds,
      kbPerMinutePerViewer: round(fullListRun.bytes / 1024 / (options.seconds / 60), 1),
    };

    await stopFeed();
    await worker.stop();
    await sleep(2 * 2_000 + 4_000); // the snapshot's TTL and stale window: what the viewer sees is what is in the database
    const idleViewer = await measureViewer(browser, dashboard.base, pairs, options.seconds);
    return {
      chromium: `${chromiumPath ?? "Playwright's chromium"} ${browser.version()}`,
      pairs,
      states,
      small,
      large,
      workerPasses,
      searchMs,
      viewer,
      idleViewer,
      server,
      fullList,
    };
  } finally {
    await browser?.close();
    await stopFeed();
    await worker.stop();
    dashboard.stop();
  }
}

export function printLive(r: LiveResult): void {
  const minutes = (cost: { seconds: number }) => cost.seconds / 60;
  const s = r.server;
  const perViewerMinute = s.cpuSeconds / (s.viewers * minutes(s));
  const marginal = (s.cpuSeconds - s.idleCpuSeconds) / (s.viewers * minutes(s));
  const f = r.fullList;
  const fullPerViewerMinute = (f.cpuSeconds - f.idleCpuSeconds) / minutes(f);
  const v = r.viewer;
  console.log(`${r.chromium}; ${r.pairs} pairs, states ${JSON.stringify(r.states)}; worker and feed running`);
  console.log(
    `viewer on the wire (Chromium, ${v.seconds} s): ${v.kbPerMinute} kB per minute (target ≤ 200; ${v.requests} requests, ${v.notModified} answered 304, ${v.rscRequests} to ?_rsc=) ` +
      `→ ${round(v.kbPerMinute / Math.max(0.1, f.kbPerMinutePerViewer), 3)}× the full-list protocol's ${f.kbPerMinutePerViewer} kB per minute (${f.requests} requests in ${f.seconds} s, same run)`,
  );
  console.log(
    `dashboard CPU with ${s.viewers} simulated viewers for ${s.seconds} s: ${s.cpuSeconds} CPU-s (${s.requests} requests, ${s.failed} failed), ` +
      `no viewer ${s.idleCpuSeconds} CPU-s → ${round(perViewerMinute, 3)} CPU-s per viewer-minute in total, ${round(marginal, 3)} per viewer-minute above no viewer (target ≤ 0.3) ` +
      `→ ${Math.round(60 / Math.max(0.0001, perViewerMinute))} viewers per core (${Math.round(60 / Math.max(0.0001, marginal))} counting only the cost above no viewer); ` +
      `the full-list protocol: ${round(fullPerViewerMinute, 3)} CPU-s per viewer-minute above no viewer → ${round(marginal / Math.max(0.0001, fullPerViewerMinute), 3)}×`,
  );
  const small = median(r.small.usableMs);
  const large = median(r.large.usableMs);
  console.log(
    `first usable overview: ${r.pairs} pairs median ${large} ms (runs ${r.large.usableMs.join(', ')}), 60 pairs median ${small} ms (runs ${r.small.usableMs.join(', ')}) → ${round(large / small)}× (target ≤ 1.5, ≤ 2 at 100,000)`,
  );
  const split = (t: LoadTimes) =>
    `HTML's first byte at ${t.htmlMs.join(', ')} ms, DOMContentLoaded at ${t.domReadyMs.join(', ')} ms; ` +
    // The page's HTML carries its first answer (app/page.tsx); the tab asks only when it came without.
    `asked for the first answer at ${t.askedMs.map((ms, run) => (ms < 0 || ms > t.usableMs[run]! ? 'no (in the HTML)' : `${ms} ms, its first byte after ${t.answerMs[run]} ms`)).join('; ')}`;
  console.log(`  where it went: ${r.pairs} pairs ${split(r.large)}; 60 pairs ${split(r.small)}`);
  console.log(`  ${loadsAgainstPasses(r.large, r.workerPasses, small)}`);
  console.log(
    `search "W01234" to its rows from the input event: median ${median(r.searchMs)} ms (runs ${r.searchMs.join(', ')}; target ≤ 150)`,
  );
  console.log(
    `main thread: ${v.longTasks} long tasks, ${v.longTaskMsPerMinute} ms of long tasks per minute, ${v.blockedMsPerMinute} ms blocked beyond 50 ms each (target ≤ 100)`,
  );
  const t = v.traced;
  console.log(
    `  the same minute's trace: ${t.longTasks} tasks over 50 ms, ${t.wallMs} ms long, in which the main thread ran ${t.cpuMs} ms on a CPU ` +
      `(the rest it waited for a core); blocked beyond 50 ms per minute: ${t.blockedWallMsPerMinute} ms by wall time, ${t.blockedCpuMsPerMinute} ms by the thread's CPU time`,
  );
  const i = r.idleViewer;
  console.log(
    `worker and feed stopped, nothing changing (the idle-poll figure): ${i.kbPerMinute} kB per minute (${i.requests} requests, ${i.notModified} answered 304)`,
  );
}

/** The large book's loads that shared the machine with a worker pass, and the others, against the 60-pair median. */
function loadsAgainstPasses(loads: LoadTimes, passes: PassSpan[], smallMedian: number): string {
  const during: number[] = [];
  const between: number[] = [];
  loads.usableMs.forEach((ms, run) => {
    const start = loads.startedAt[run]!;
    (overlapsAPass(start, start + ms, passes) ? during : between).push(ms);
  });
  const spans = passes.map((pass) => (pass.end - pass.start) / 1000);
  const part = (ms: number[]) =>
    ms.length === 0
      ? 'none'
      : `${ms.length} (${ms.join(', ')} ms; median ${median(ms)} → ${round(median(ms) / smallMedian)}×)`;
  return (
    `the worker's passes over the book: ${passes.length} logged, median ${spans.length ? round(median(spans), 1) : '–'} s each; ` +
    `loads during a pass ${part(during)}; between passes ${part(between)}`
  );
}

export interface PagesResult {
  pairs: number;
  pages: Array<{ path: string; viewer: ViewerMinute }>;
}

/** The wall, the incidents page and a pair page, each one Chromium viewer for `seconds`, with the worker and the feed running. */
export async function benchLivePages(db: BenchDatabase, options: LiveOptions): Promise<PagesResult> {
  const pairs = options.symbols * 6;
  await seedPairs(db.pool, options.symbols, 30, true);
  await seedVariety(db);
  const dashboard = await startDashboard(db.url);
  const worker = startWorker(db.url);
  const stopFeed = startFeed(db);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    await waitForPairs(dashboard.base, pairs);
    await sleep(2 * POLL_MS);
    const pages: PagesResult['pages'] = [];
    for (const path of ['/wall', '/incidents', '/pairs/W00041/15m'])
      pages.push({ path, viewer: await measureViewer(browser, dashboard.base, pairs, options.seconds, path) });
    return { pairs, pages };
  } finally {
    await browser?.close();
    await stopFeed();
    await worker.stop();
    dashboard.stop();
  }
}

export function printLivePages(r: PagesResult): void {
  for (const { path, viewer: v } of r.pages)
    console.log(
      `${path.padEnd(18)} ${v.kbPerMinute} kB per minute (${v.requests} requests in ${v.seconds} s, ${v.notModified} answered 304, ${v.rscRequests} to ?_rsc=); ` +
        `long tasks ${v.longTaskMsPerMinute} ms per minute (traced: ${v.traced.wallMs} ms long, ${v.traced.cpuMs} ms of it on a CPU)`,
    );
}
