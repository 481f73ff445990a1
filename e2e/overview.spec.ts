import { expect, test, type Page } from '@playwright/test';
import { HEALTH_STATES } from '../lib/shared/types';
import { expectedCounts, PRESET_EXPECTED, PROBLEM_PAIRS, SEEDED_PAIRS } from './fixtures/seed';

/** "SYMBOL/TF" of every table row currently rendered, in order. */
async function rowKeys(page: Page): Promise<string[]> {
  return page.getByTestId('health-row').evaluateAll((rows) =>
    rows.map((row) => {
      const cells = row.querySelectorAll('td');
      return `${cells[1]?.textContent?.trim()}/${cells[2]?.textContent?.trim()}`;
    }),
  );
}

test('every health state appears on the overview: counts, heatmap and table', async ({ page }) => {
  const counts = expectedCounts();
  await page.goto('/');
  for (const state of HEALTH_STATES) {
    expect(counts[state], `the fixture data must produce ${state}`).toBeGreaterThan(0);
    await expect(page.getByTestId(`count-value-${state}`)).toHaveText(String(counts[state]));
    await expect(page.locator(`[data-testid="heatmap-cell"][data-state="${state}"]`)).toHaveCount(counts[state]);
  }
  await expect(page.getByTestId('heatmap-cell')).toHaveCount(SEEDED_PAIRS.length);
  await expect(page.getByTestId('table-count')).toHaveText(`${SEEDED_PAIRS.length} of ${SEEDED_PAIRS.length} pairs`);

  // Worst first: the problem pairs (severity order) lead the table, each with its reason.
  const problems = PROBLEM_PAIRS.filter((pair) => pair.state !== 'DISABLED');
  await expect
    .poll(async () => (await rowKeys(page)).slice(0, problems.length).sort())
    .toEqual(problems.map((pair) => `${pair.symbol}/${pair.timeframe}`).sort());
  const states = await page
    .getByTestId('health-row')
    .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-state')));
  expect(states.slice(0, problems.length)).toEqual(problems.map((pair) => pair.state));
  await expect(page.getByTestId('health-row').first()).toContainText('Cursor ahead');

  // Each heatmap square names its pair, state and reason for people who cannot see colour.
  await expect(
    page.getByRole('link', { name: /^USDCAD 5m: Stalled — no success for \d+ min, threshold 60 min, policy default$/ }),
  ).toBeVisible();
  await expect(
    page.getByRole('link', { name: /^SOLUSD 5m: No cursor — cursor is NULL: never bootstrapped$/ }),
  ).toBeVisible();
});

test('filters and search live in the URL: a reload restores the view', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('health-row').first()).toBeVisible();
  await page.getByTestId('count-FAILING').click();
  await page.getByTestId('count-SOURCE_STALE').click();
  await expect(page).toHaveURL(/\?state=FAILING%2CSOURCE_STALE$|\?state=FAILING,SOURCE_STALE$/);
  await expect(page.getByTestId('health-row')).toHaveCount(2); // XAGUSD/1h is DRIFT (e2e/fixtures/seed.ts)
  await page.getByRole('searchbox', { name: 'Search symbols' }).fill('xag');
  await expect(page).toHaveURL(/q=xag/);
  await expect(page.getByTestId('health-row')).toHaveCount(1);

  await page.reload();
  await expect(page.getByTestId('health-row')).toHaveCount(1);
  await expect(page.getByTestId('table-count')).toHaveText(`1 of ${SEEDED_PAIRS.length} pairs`);
  expect((await rowKeys(page)).sort()).toEqual(['XAGUSD/5m']);
  await expect(page.getByRole('searchbox', { name: 'Search symbols' })).toHaveValue('xag');
  await expect(page.getByTestId('count-FAILING')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('count-SOURCE_STALE')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('count-OK')).toHaveAttribute('aria-pressed', 'false');

  // A shared link: timeframe filter and a sort order.
  await page.goto('/?timeframe=1h&sort=symbol&dir=desc');
  const oneHour = SEEDED_PAIRS.filter((pair) => pair.timeframe === '1h').map((pair) => `${pair.symbol}/1h`);
  await expect(page.getByTestId('health-row')).toHaveCount(oneHour.length);
  await expect(page.getByTestId('table-count')).toHaveText(`${oneHour.length} of ${SEEDED_PAIRS.length} pairs`);
  expect(await rowKeys(page)).toEqual([...oneHour].sort().reverse());
  await expect(page.getByRole('button', { name: '1h', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByRole('columnheader', { name: /Symbol/ })).toHaveAttribute('aria-sort', 'descending');

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/\?sort=symbol&dir=desc$/);
  await expect(page.getByTestId('table-count')).toHaveText(`${SEEDED_PAIRS.length} of ${SEEDED_PAIRS.length} pairs`);
});

test('the monitoring queries are one-click presets', async ({ page }) => {
  await page.goto('/');
  for (const [preset, expected] of Object.entries(PRESET_EXPECTED)) {
    const button = page.getByTestId(`preset-${preset}`);
    await button.click();
    await expect(button).toHaveAttribute('aria-pressed', 'true');
    await expect(page).toHaveURL(new RegExp(`preset=${preset}`));
    await expect(page.getByTestId('health-row')).toHaveCount(expected.length);
    await expect(page.getByTestId('table-count')).toHaveText(`${expected.length} of ${SEEDED_PAIRS.length} pairs`);
    expect((await rowKeys(page)).sort()).toEqual([...expected].sort());
    await button.click(); // off again
    await expect(page.getByTestId('table-count')).toHaveText(`${SEEDED_PAIRS.length} of ${SEEDED_PAIRS.length} pairs`);
  }
});

test('a link with a timeframe no pair has says so instead of an empty table', async ({ page }) => {
  await page.goto('/?timeframe=2m');
  const notice = page.getByTestId('filter-notice');
  await expect(notice).toContainText('No pair has timeframe 2m (pairs have 5m, 15m, 30m, 1h, 4h, 1d)');
  await expect(page.getByTestId('health-row')).toHaveCount(0);
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(notice).toHaveCount(0);
  await expect(page.getByTestId('health-row').first()).toBeVisible();
});

test('a preset says how its pairs split across the state cards', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('count-value-STALLED')).toHaveText('1');
  const explanation = page.getByTestId('preset-explanation');
  await expect(explanation).toHaveCount(0);

  // The documented stall query also matches USDTRY's two disabled pairs (e2e/fixtures/seed.ts).
  await page.getByTestId('preset-stalled').click();
  await expect(explanation).toHaveText(
    '3 pairs match the query; 1 is Stalled and 2 are not: 2 Disabled. The cards count each pair once, under its worst state.',
  );
  await page.getByTestId('preset-ahead').click();
  await expect(explanation).toHaveText(
    '1 pair matches the query; 1 is Cursor ahead. The cards count each pair once, under its worst state.',
  );
  await page.getByTestId('preset-ahead').click();
  await expect(explanation).toHaveCount(0);
});
