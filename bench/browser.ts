// The dashboard in a real Chromium against the built app and a seeded database (127.0.0.1):
// overview time-to-usable at N pairs vs at 60 pairs, scrolling the virtualised table vs idle
// frames, first-load JavaScript per page (gzip), and the wall polled every second for minutes
// (JS heap growth vs the heap at start).
import { existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { chromium, type Browser, type Page } from '@playwright/test';
import { median, percentile, round, startDashboard, type BenchDatabase } from './support';
import { seedPairs } from './worker-pass';

export interface BrowserOptions {
  symbols: number;
  loadRuns: number;
  scrollRows: number;
  scrollSeconds: number;
  pollSeconds: number;
  wallSeconds: number;
  heapEveryMs: number;
}
export interface LoadTimes {
  pairs: number;
  usableMs: number[];
  longTasks: number;
  longTaskMs: number;
}
export interface ScrollResult {
  rows: number;
  rowsReached: number;
  seconds: number;
  frames: number;
  medianFrameMs: number;
  p95FrameMs: number;
  maxFrameMs: number;
  idleMedianFrameMs: number;
  idleP95FrameMs: number;
  longTasks: number;
  longTaskMs: number;
  maxRowsInDom: number;
}
export interface PageJs {
  path: string;
  files: number;
  rawKb: number;
  gzipKb: number;
  sharedGzipKb: number;
}
export interface WallResult {
  seconds: number;
  pollMs: number;
  polls: number;
  failedPolls: number;
  meanPollRequestMs: number;
  heapMb: Array<{ atS: number; mb: number }>;
  startMb: number;
  endMb: number;
  growthMb: number;
  growthPct: number;
}
export interface SearchTimes {
  pairs: number;
  symbol: string;
  ms: number[];
  fromCallMs: number[];
}
export interface PollingBytes {
  seconds: number;
  polls: number;
  notModified: number;
  bytes: number;
  encoding: string;
  kbPerMinute: number;
}
export interface BrowserResult {
  chromium: string;
  states: Record<string, number>;
  small: LoadTimes;
  large: LoadTimes;
  smallSearch: SearchTimes;
  largeSearch: SearchTimes;
  scroll: ScrollResult;
  polling: PollingBytes;
  pollingUnconditional: PollingBytes;
  js: PageJs[];
  wall: WallResult;
}

const ROW_HEIGHT = 52; // components/tables/health-table.tsx
const WALL_POLL_MS = 1_000;
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

/** A mix of problems on top of seedPairs' caught-up pairs, so the table is not all OK. */
export async function seedVariety(db: BenchDatabase): Promise<void> {
  await db.pool.query(`
    UPDATE data_agg_state SET
      last_agg_bar_ts_utc = CASE WHEN n % 37 = 0 AND timeframe = '5m' THEN NULL
                                 WHEN n % 53 = 0 AND timeframe = '1h' THEN now() + interval '1 day'
                                 ELSE last_agg_bar_ts_utc END,
      consecutive_failures = CASE WHEN n % 41 = 0 AND timeframe = '15m' THEN 3 ELSE consecutive_failures END,
      last_error = CASE WHEN n % 41 = 0 AND timeframe = '15m' THEN 'canceling statement due to statement timeout' ELSE last_error END,
      last_error_utc = CASE WHEN n % 41 = 0 AND timeframe = '15m' THEN now() ELSE last_error_utc END,
      enabled = NOT (n % 29 = 0 AND timeframe = '1d')
      FROM (SELECT canonical_symbol AS sym, substr(canonical_symbol, 2)::int AS n FROM data_agg_state GROUP BY 1) s
     WHERE canonical_symbol = s.sym AND (n % 29 = 0 OR n % 37 = 0 OR n % 41 = 0 OR n % 53 = 0)`);
}

/** Seeds `symbols` × 6 pairs and waits for the API's snapshot (2 s TTL) to show them. */
async function seed(db: BenchDatabase, base: string, symbols: number): Promise<Record<string, number>> {
  await seedPairs(db.pool, symbols, 30, true);
  await seedVariety(db);
  for (const started = Date.now(); Date.now() - started < 30_000; await sleep(500)) {
    const summary = (await (await fetch(`${base}/api/health/summary`)).json()) as {
      total: number;
      byState: Record<string, number>;
    };
    if (summary.total === symbols * 6) {
      await fetch(`${base}/api/health?limit=10000`); // serialise the snapshot's first page once, as any viewer would
      return Object.fromEntries(Object.entries(summary.byState).filter(([, n]) => n > 0));
    }
  }
  throw new Error(`the API did not show ${symbols * 6} pairs within 30 s`);
}

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport }); // a fresh context: cold HTTP cache
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
    { polling: 'raf', timeout: 60_000 },
  );
  return handle.jsonValue();
}

async function measureLoads(
  browser: Browser,
  base: string,
  pairs: number,
  runs: number,
): Promise<{ load: LoadTimes; page: Page }> {
  const load: LoadTimes = { pairs, usableMs: [], longTasks: 0, longTaskMs: 0 };
  for (let run = 0; ; run += 1) {
    const page = await newPage(browser);
    load.usableMs.push(round(await timeToUsable(page, base, pairs), 0));
    const tasks = await takeLongTasks(page);
    load.longTasks += tasks.length;
    load.longTaskMs += Math.round(tasks.reduce((sum, ms) => sum + ms, 0));
    if (run === runs - 1) return { load, page }; // the last page stays open for the scroll
    await page.context().close();
  }
}

/**
 * ms from the input event of a symbol typed into the overview's search box (its timeStamp, as
 * INP counts from it) until a frame shows only that symbol's rows, `runs` times (the box is
 * cleared, every pair shown again, and the page idle, in between). fromCallMs counts from
 * Playwright's fill() call instead, which adds its own round trips to the browser.
 */
async function measureSearch(page: Page, pairs: number, symbol: string, runs: number): Promise<SearchTimes> {
  const box = page.getByRole('searchbox', { name: 'Search symbols' });
  const all = `${pairs.toLocaleString('en-US')} of ${pairs.toLocaleString('en-US')} pairs`;
  await box.evaluate((element) =>
    element.addEventListener(
      'input',
      (event) => {
        (window as unknown as { benchInputAt: number }).benchInputAt = event.timeStamp;
      },
      { capture: true },
    ),
  );
  const showAll = async () => {
    await box.fill('');
    await page.waitForFunction(
      (text) => document.querySelector('[data-testid="table-count"]')?.textContent === text,
      all,
      { timeout: 60_000 },
    );
  };
  const result: SearchTimes = { pairs, symbol, ms: [], fromCallMs: [] };
  for (let run = 0; run < runs; run += 1) {
    await showAll();
    // Typed into a page at rest, as a person types: not while the cleared search still renders.
    await page.evaluate(() => new Promise((resolve) => requestIdleCallback(resolve, { timeout: 2_000 })));
    const started = await page.evaluate(() => performance.now());
    await box.fill(symbol);
    const handle = await page.waitForFunction(
      (wanted) => {
        const rows = [...document.querySelectorAll('[data-testid="health-row"]')];
        const count = document.querySelector('[data-testid="table-count"]')?.textContent ?? '';
        return rows.length > 0 && !count.includes('updating') && rows.every((row) => row.textContent?.includes(wanted))
          ? performance.now()
          : 0;
      },
      symbol,
      { polling: 'raf', timeout: 60_000 },
    );
    const shownAt = await handle.jsonValue();
    const inputAt = await page.evaluate(() => (window as unknown as { benchInputAt: number }).benchInputAt);
    result.ms.push(round(shownAt - inputAt, 0));
    result.fromCallMs.push(round(shownAt - started, 0));
  }
  await showAll(); // for what is measured next on this page (the scroll)
  return result;
}

/**
 * Bytes the overview's polls of /api/health move (headers and encoded bodies) over `seconds`
 * after it is usable, with nothing changing in the database. `unconditional` strips the
 * If-None-Match header from each poll: the same page as it polled before the ETag.
 */
async function measurePolling(
  browser: Browser,
  base: string,
  pairs: number,
  seconds: number,
  unconditional: boolean,
): Promise<PollingBytes> {
  const page = await newPage(browser);
  try {
    if (unconditional) {
      await page.route(/\/api\/health\?/, (route) => {
        const headers = { ...route.request().headers() };
        delete headers['if-none-match'];
        return route.continue({ headers });
      });
    }
    await timeToUsable(page, base, pairs);
    let counting = false;
    const result = { seconds, polls: 0, notModified: 0, bytes: 0, encoding: 'identity', kbPerMinute: 0 };
    const sized: Array<Promise<void>> = [];
    page.on('requestfinished', (request) => {
      if (!counting || !new URL(request.url()).pathname.endsWith('/api/health')) return;
      sized.push(
        (async () => {
          const [sizes, response] = await Promise.all([request.sizes(), request.response()]);
          if (new URL(request.url()).searchParams.get('offset') === '0') result.polls += 1;
          if (response?.status() === 304) result.notModified += 1;
          result.encoding = response?.headers()['content-encoding'] ?? result.encoding;
          result.bytes += sizes.responseHeadersSize + sizes.responseBodySize;
        })(),
      );
    });
    counting = true;
    await sleep(seconds * 1000);
    counting = false;
    await Promise.all(sized);
    result.kbPerMinute = round(result.bytes / 1024 / (seconds / 60), 1);
    return result;
  } finally {
    await page.context().close();
  }
}

/** Frame intervals (rAF) while `work` runs. */
async function frames(page: Page, work: () => Promise<void>): Promise<number[]> {
  // A string, not a function: tsx would wrap a named inner function in a helper the page lacks.
  await page.evaluate(`(() => {
    window.benchFrames = [];
    window.benchRecording = true;
    let last = 0;
    const tick = (now) => {
      if (last) window.benchFrames.push(now - last);
      last = now;
      if (window.benchRecording) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  await work();
  return page.evaluate(() => {
    const store = window as unknown as { benchFrames: number[]; benchRecording: boolean };
    store.benchRecording = false;
    return store.benchFrames;
  });
}

async function measureScroll(page: Page, rows: number, deadlineSeconds: number): Promise<ScrollResult> {
  const scroller = page.getByTestId('health-table-scroll');
  await scroller.scrollIntoViewIfNeeded();
  const box = (await scroller.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const idle = await frames(page, () => sleep(2_000));
  await takeLongTasks(page);
  const target = rows * ROW_HEIGHT;
  let maxRowsInDom = 0;
  let top = 0;
  const started = Date.now();
  const scrolled = await frames(page, async () => {
    // A fast, steady scroll: ten rows per wheel event, about one event per frame.
    // Bounded in time: a slow table reports how far it got instead of holding up the run.
    for (let events = 0; events < rows && Date.now() - started < deadlineSeconds * 1000; events += 1) {
      await page.mouse.wheel(0, 10 * ROW_HEIGHT);
      await sleep(16);
      if (events % 10 === 0) {
        const state = await scroller.evaluate((element) => ({
          top: element.scrollTop,
          rows: element.querySelectorAll('[data-testid="health-row"]').length,
        }));
        maxRowsInDom = Math.max(maxRowsInDom, state.rows);
        top = state.top;
        if (top >= target) break;
      }
    }
    const reached = Math.min(rows, Math.floor(top / ROW_HEIGHT));
    await page.waitForFunction(
      (index) => {
        const rendered = document.querySelectorAll('[data-testid="health-row"]');
        return Number(rendered[rendered.length - 1]?.getAttribute('aria-rowindex')) > index;
      },
      reached,
      { timeout: 10_000 },
    );
  });
  const seconds = (Date.now() - started) / 1000;
  const tasks = await takeLongTasks(page);
  maxRowsInDom = Math.max(maxRowsInDom, await page.getByTestId('health-row').count());
  return {
    rows,
    rowsReached: Math.min(rows, Math.floor(top / ROW_HEIGHT)),
    seconds: round(seconds, 1),
    frames: scrolled.length,
    medianFrameMs: round(median(scrolled), 1),
    p95FrameMs: round(percentile(scrolled, 95), 1),
    maxFrameMs: round(Math.max(...scrolled), 0),
    idleMedianFrameMs: round(median(idle), 1),
    idleP95FrameMs: round(percentile(idle, 95), 1),
    longTasks: tasks.length,
    longTaskMs: Math.round(tasks.reduce((sum, ms) => sum + ms, 0)),
    maxRowsInDom,
  };
}

/** Every script each page loads from a cold cache until the network is quiet, gzipped here. */
async function measureJs(browser: Browser, base: string, paths: string[]): Promise<PageJs[]> {
  const perPage = new Map<string, Map<string, Buffer>>();
  for (const path of paths) {
    const page = await newPage(browser);
    const scripts = new Map<string, Buffer>();
    const bodies: Array<Promise<void>> = [];
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return;
      bodies.push(
        response.body().then(
          (body) => {
            scripts.set(new URL(response.url()).pathname, body);
          },
          () => {},
        ),
      );
    });
    await page.goto(base + path, { waitUntil: 'networkidle' });
    await Promise.all(bodies);
    await page.context().close();
    perPage.set(path, scripts);
  }
  const gzipKb = (bodies: Buffer[]) => round(bodies.reduce((sum, body) => sum + gzipSync(body).length, 0) / 1024, 1);
  const shared = [...perPage.values()]
    .map((scripts) => new Set(scripts.keys()))
    .reduce((a, b) => new Set([...a].filter((url) => b.has(url))));
  return paths.map((path) => {
    const scripts = perPage.get(path)!;
    return {
      path,
      files: scripts.size,
      rawKb: round([...scripts.values()].reduce((sum, body) => sum + body.length, 0) / 1024, 1),
      gzipKb: gzipKb([...scripts.values()]),
      sharedGzipKb: gzipKb([...shared].map((url) => scripts.get(url)!)),
    };
  });
}

async function measureWall(browser: Browser, base: string, seconds: number, heapEveryMs: number): Promise<WallResult> {
  const page = await newPage(browser);
  let polls = 0;
  let failedPolls = 0;
  let pollRequestMs = 0;
  page.on('requestfinished', (request) => {
    if (!request.url().endsWith('/api/health/summary')) return;
    polls += 1;
    pollRequestMs += request.timing().responseEnd; // ms from the request's start
  });
  page.on('requestfailed', (request) => {
    if (request.url().endsWith('/api/health/summary')) failedPolls += 1;
  });
  await page.goto(`${base}/wall?poll=${WALL_POLL_MS}`);
  await page.getByTestId('wall-content').waitFor();
  await sleep(10_000); // warm-up: first polls, fonts, the clock's first ticks
  const cdp = await page.context().newCDPSession(page);
  const heapMb = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return round((await cdp.send('Runtime.getHeapUsage')).usedSize / 2 ** 20, 2);
  };
  const started = Date.now();
  const samples = [{ atS: 0, mb: await heapMb() }];
  polls = 0;
  failedPolls = 0;
  pollRequestMs = 0;
  while (Date.now() - started < seconds * 1000) {
    await sleep(Math.min(heapEveryMs, seconds * 1000 - (Date.now() - started)));
    samples.push({ atS: Math.round((Date.now() - started) / 1000), mb: await heapMb() });
  }
  const elapsed = (Date.now() - started) / 1000;
  await page.context().close();
  const startMb = samples[0]!.mb;
  const endMb = samples[samples.length - 1]!.mb;
  return {
    seconds: round(elapsed, 0),
    pollMs: WALL_POLL_MS,
    polls,
    failedPolls,
    meanPollRequestMs: Math.round(pollRequestMs / Math.max(1, polls)),
    heapMb: samples,
    startMb,
    endMb,
    growthMb: round(endMb - startMb),
    growthPct: round((100 * (endMb - startMb)) / startMb, 1),
  };
}

export async function benchBrowser(db: BenchDatabase, options: BrowserOptions): Promise<BrowserResult> {
  const { base, stop } = await startDashboard(db.url);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    const smallSymbols = 10;
    await seed(db, base, smallSymbols);
    const small = await measureLoads(browser, base, smallSymbols * 6, options.loadRuns);
    const smallSearch = await measureSearch(small.page, smallSymbols * 6, 'W00007', options.loadRuns).finally(() =>
      small.page.context().close(),
    );
    const states = await seed(db, base, options.symbols);
    const large = await measureLoads(browser, base, options.symbols * 6, options.loadRuns);
    const largeSearch = await measureSearch(large.page, options.symbols * 6, 'W01234', options.loadRuns);
    const scroll = await measureScroll(
      large.page,
      Math.min(options.scrollRows, options.symbols * 6 - 30),
      options.scrollSeconds,
    ).finally(() => large.page.context().close());
    const polling = await measurePolling(browser, base, options.symbols * 6, options.pollSeconds, false);
    const pollingUnconditional = await measurePolling(browser, base, options.symbols * 6, options.pollSeconds, true);
    const js = await measureJs(browser, base, ['/', '/pairs/W00001/5m', '/wall']);
    const wall = await measureWall(browser, base, options.wallSeconds, options.heapEveryMs);
    return {
      chromium: `${chromiumPath ?? "Playwright's chromium"} ${browser.version()}`,
      states,
      small: small.load,
      large: large.load,
      smallSearch,
      largeSearch,
      scroll,
      polling,
      pollingUnconditional,
      js,
      wall,
    };
  } finally {
    await browser?.close();
    stop();
  }
}
