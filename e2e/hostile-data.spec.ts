import { expect, test, type Page } from '@playwright/test';
import { e2eEnvironment } from './fixtures/environment';
import { guardPage, injectedElements, type PageGuards } from './fixtures/page-guards';
import {
  addPairs,
  HOSTILE_ERROR,
  HOSTILE_PAIRS,
  HOSTILE_SYMBOLS,
  PROBLEM_PAIRS,
  removeSymbols,
  SEEDED_PAIRS,
  type SeededPair,
} from './fixtures/seed';

/**
 * Symbols and an error text made of HTML, script and quotes (e2e/fixtures/seed.ts) must be
 * shown as the text they are, everywhere: overview, pair page, wall, API, metrics.
 *
 * The CSP is bypassed here: with it, an injected <script> or onerror= would be blocked anyway
 * and a missing escape would go unseen. Without it, anything that reached the DOM as markup
 * runs and sets window.__xss, opens a dialog, or leaves an element behind. (The CSP itself is
 * tested in e2e/security.spec.ts.)
 */
test.use({ bypassCSP: true });

const environment = e2eEnvironment();
const AUTH_HEADERS = {
  authorization: `Basic ${Buffer.from(`${environment.basicUser}:${environment.basicPassword}`).toString('base64')}`,
};

/**
 * Pairs both servers report, once their caches have caught up with the database: the
 * snapshot behind the list, the summary and the metrics text lives 2 s.
 */
async function expectPairsServed(total: number): Promise<void> {
  const get = (base: string, path: string, headers: Record<string, string>) => fetch(`${base}${path}`, { headers });
  for (const [base, headers] of [
    [environment.baseUrl, {}],
    [environment.authBaseUrl, AUTH_HEADERS],
  ] as const) {
    await expect
      .poll(async () => ((await (await get(base, '/api/health/summary', headers)).json()) as { total: number }).total, {
        timeout: 15_000,
      })
      .toBe(total);
    await expect
      .poll(
        async () => {
          const text = await (await get(base, '/api/metrics', headers)).text();
          return [...text.matchAll(/^frontier_pairs\{state="\w+",timeframe="\w+"\} (\d+)$/gm)].reduce(
            (sum, match) => sum + Number(match[1]),
            0,
          );
        },
        { timeout: 25_000 },
      )
      .toBe(total);
  }
}

// The hostile pairs exist only while this file runs: the other specs count SEEDED_PAIRS.
test.beforeAll(async () => {
  await addPairs(environment.databaseUrl, HOSTILE_PAIRS);
  await expectPairsServed(SEEDED_PAIRS.length + HOSTILE_PAIRS.length);
});
test.afterAll(async () => {
  await removeSymbols(
    environment.databaseUrl,
    HOSTILE_PAIRS.map((pair) => pair.symbol),
  );
  await expectPairsServed(SEEDED_PAIRS.length);
});

const FAILING = HOSTILE_PAIRS.find((pair) => pair.state === 'FAILING')!;
const ERROR_FIRST_LINE = HOSTILE_ERROR.split('\n')[0]!;
const FAILING_REASON = `3 consecutive failed runs: ${ERROR_FIRST_LINE}`;
const WALL_PROBLEMS = PROBLEM_PAIRS.filter((pair) => pair.state !== 'DISABLED').length + 1;

const pairPath = (pair: SeededPair) =>
  `/pairs/${encodeURIComponent(pair.symbol)}/${encodeURIComponent(pair.timeframe)}`;

async function expectNothingRan(page: Page, guards: PageGuards): Promise<void> {
  expect(await guards.xssMarker(), 'window.__xss').toBeUndefined();
  expect(guards.dialogs, 'dialogs opened').toEqual([]);
  expect(guards.pageErrors, 'uncaught page errors').toEqual([]);
  expect(await injectedElements(page), 'elements made from data').toEqual([]);
}

test('the overview shows hostile symbols and errors as text: heatmap, table, search', async ({ page }) => {
  const guards = await guardPage(page);
  await page.goto('/');
  const heatmap = page.getByTestId('heatmap');
  for (const pair of HOSTILE_PAIRS) {
    await expect(heatmap.getByText(pair.symbol, { exact: true })).toBeVisible();
    await expect(
      heatmap.getByRole('link', { name: `${pair.symbol} ${pair.timeframe}: `, exact: false }),
    ).toHaveAttribute('href', pairPath(pair));
  }
  await expect(
    heatmap.getByRole('link', { name: `${FAILING.symbol} 5m: Failing — ${FAILING_REASON}`, exact: true }),
  ).toBeVisible();
  await expectNothingRan(page, guards);

  // Each symbol as the search, from the URL: one row, its name as typed, the search box too.
  for (const pair of HOSTILE_PAIRS) {
    await page.goto(`/?q=${encodeURIComponent(pair.symbol)}`);
    const rows = page.getByTestId('health-row');
    await expect(rows).toHaveCount(1);
    await expect(rows.getByRole('link', { name: pair.symbol, exact: true })).toBeVisible();
    await expect(page.getByRole('searchbox', { name: 'Search symbols' })).toHaveValue(pair.symbol);
    await expectNothingRan(page, guards);
  }
});

test('the failing hostile pair: its overview row shows the error as text and links to its page', async ({ page }) => {
  const guards = await guardPage(page);
  await page.goto(`/?q=${encodeURIComponent(FAILING.symbol)}`);
  const row = page.getByTestId('health-row');
  await expect(row).toHaveAttribute('data-state', 'FAILING');
  await expect(row.getByText(FAILING_REASON, { exact: true })).toBeVisible();
  await expect(row.getByRole('link', { name: FAILING.symbol, exact: true })).toHaveAttribute('href', pairPath(FAILING));
  await row.getByRole('link', { name: FAILING.symbol, exact: true }).click();
  await expect(page).toHaveURL((url) => decodeURIComponent(url.pathname) === `/pairs/${FAILING.symbol}/5m`);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await expectNothingRan(page, guards);
});

test('the page of every hostile pair builds no markup from its address', async ({ page }) => {
  const guards = await guardPage(page);
  for (const pair of HOSTILE_PAIRS) {
    const response = await page.goto(pairPath(pair));
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(
      page.getByTestId('pair-verdict').or(page.getByRole('alert').filter({ hasText: 'No such pair.' })),
    ).toBeVisible();
    await expectNothingRan(page, guards);
  }
});

test.describe('the pair page of a symbol with URL-escaped characters', () => {
  // Next.js 16 hands a page its dynamic segments still percent-encoded (vercel/next.js#48058);
  // the page decodes each once. These assertions guard that, as they do the overview and wall.

  test('finds its pair and shows its name, error and remediation SQL as text', async ({ page }) => {
    const guards = await guardPage(page);
    await page.goto(pairPath(FAILING));
    await expect(page.getByTestId('pair-verdict')).toContainText(FAILING_REASON);
    await expect(page.getByRole('heading', { level: 1 })).toContainText(FAILING.symbol);
    await expect(page).toHaveTitle(`${FAILING.symbol} 5m · Frontier Monitor`);
    // The whole error, both lines, character for character.
    await expect(page.getByTestId('last-error').locator('code')).toBeVisible();
    expect(await page.getByTestId('last-error').locator('code').textContent()).toBe(HOSTILE_ERROR);
    // The SQL to copy quotes the symbol as a literal: its single quotes doubled.
    await expect(page.getByTestId('remediation-sql')).toContainText(
      `WHERE canonical_symbol = '${FAILING.symbol.replaceAll("'", "''")}' AND timeframe = '5m' AND NOT ok`,
    );
    await expect(page.getByTestId('run-row').filter({ hasText: 'failed' })).toHaveCount(3);
    await expectNothingRan(page, guards);

    // And back: the "all timeframes" link searches for the symbol as typed.
    await page.getByRole('link', { name: `All ${FAILING.symbol} timeframes`, exact: true }).click();
    await expect(page.getByTestId('health-row')).toHaveCount(1);
    await expect(page.getByRole('searchbox', { name: 'Search symbols' })).toHaveValue(FAILING.symbol);
    await expectNothingRan(page, guards);

    for (const pair of HOSTILE_PAIRS) {
      await page.goto(pairPath(pair));
      await expect(page.getByTestId('pair-verdict')).toBeVisible();
      await expect(page.getByRole('heading', { level: 1 }).getByText(pair.symbol, { exact: true })).toBeVisible();
      await expect(page).toHaveTitle(`${pair.symbol} ${pair.timeframe} · Frontier Monitor`);
      await expectNothingRan(page, guards);
    }
  });
});

test('the wall shows the hostile failing pair and its error as text', async ({ page }) => {
  const guards = await guardPage(page);
  await page.goto('/wall');
  await expect(page.getByTestId('wall-tile')).toHaveCount(WALL_PROBLEMS);
  const tile = page.getByTestId('wall-tile').filter({ hasText: FAILING.symbol });
  await expect(tile).toHaveCount(1);
  await expect(tile).toHaveAttribute('data-state', 'FAILING');
  await expect(tile.getByText(FAILING.symbol)).toBeVisible();
  await expect(tile.getByText(FAILING_REASON, { exact: true })).toBeAttached();
  await expect(tile).toHaveAttribute('aria-label', `${FAILING.symbol} 5m: Failing — ${FAILING_REASON}`);
  await expectNothingRan(page, guards);
});

test('the API returns hostile names verbatim in JSON, and the metrics escape them as label values', async ({
  request,
}) => {
  const list = await request.get(`/api/health?q=${encodeURIComponent(HOSTILE_SYMBOLS.attribute)}`);
  expect(list.status()).toBe(200);
  expect(list.headers()['content-type']).toMatch(/^application\/json/);
  const body = (await list.json()) as { rows: Array<{ symbol: string; lastError: string | null }> };
  expect(body.rows.map((row) => row.symbol)).toEqual([HOSTILE_SYMBOLS.attribute]);

  const pair = await request.get(`/api/pairs/${encodeURIComponent(FAILING.symbol)}/5m`);
  expect(pair.status()).toBe(200);
  expect(JSON.stringify(await pair.json())).toContain(JSON.stringify(HOSTILE_ERROR));

  const metrics = await request.get('/api/metrics');
  expect(metrics.status()).toBe(200);
  expect(metrics.headers()['content-type']).toMatch(/^text\/plain/);
  const text = await metrics.text();
  // Exposition format: the label value as sent, one series per line. Only problem pairs get
  // per-pair series (docs/ALERTS.md); `"` and `\\` escaping: test/api/summary-metrics.test.ts.
  expect(text).toContain(`frontier_pair_state{symbol="${FAILING.symbol}",timeframe="5m",state="FAILING"} 1`);
  expect(text).toContain(`frontier_pair_consecutive_failures{symbol="${FAILING.symbol}",timeframe="5m"} 3`);
  expect(text).not.toContain(HOSTILE_SYMBOLS.script);
  expect(text).not.toContain(HOSTILE_SYMBOLS.attribute.replaceAll('"', '\\"'));
});
