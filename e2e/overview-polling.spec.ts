import { expect, test } from '@playwright/test';
import { GENERATED_AT_HEADER } from '../lib/health/clock';
import { OVERVIEW_POLL_MS } from '../components/hooks/polling';
import { overviewBody, scriptedRows } from './fixtures/scripted-api';

/**
 * The overview's conditional polls of GET /api/health/overview, with the API's answers
 * scripted. The page comes with its first answer (app/page.tsx) and asks again once hydrated,
 * sending that answer's ETag: the scripted answer replaces it and brings an ETag; the next poll
 * sends that ETag back and a 304 keeps what is on screen; when the server's answer changes (the pair 59.5 min past its
 * last success is 60.5 min past it a minute later, and STALLED by the server's rules) the new
 * window replaces it.
 */
test('a 304 keeps the held window; a changed answer shows the pair turned STALLED', async ({ page, request }) => {
  const before = await scriptedRows(request, [
    { symbol: 'CALM', timeframe: '5m', stepMinutes: 5, minutesSinceSuccess: 0.5 },
    { symbol: 'NEAR', timeframe: '5m', stepMinutes: 5, minutesSinceSuccess: 59.5 },
  ]);
  const after = await scriptedRows(request, [
    { symbol: 'NEAR', timeframe: '5m', stepMinutes: 5, minutesSinceSuccess: 60.5 },
    { symbol: 'CALM', timeframe: '5m', stepMinutes: 5, minutesSinceSuccess: 1.5 },
  ]);
  expect(before.rows.map((row) => row.state)).toEqual(['OK', 'OK']);
  expect(after.rows.map((row) => row.state)).toEqual(['STALLED', 'OK']);
  const generatedAt = before.sample.generatedAt;

  const sent: Array<string | null> = [];
  let answers = 0;
  await page.route(/\/api\/health\/overview\?/, async (route) => {
    const ifNoneMatch = (await route.request().headerValue('if-none-match')) ?? null;
    sent.push(ifNoneMatch);
    answers += 1;
    if (answers === 2 && ifNoneMatch === '"v1"')
      return route.fulfill({ status: 304, headers: { etag: '"v1"', [GENERATED_AT_HEADER]: generatedAt }, body: '' });
    const { sample, rows } = answers === 1 ? before : after;
    return route.fulfill({
      headers: { etag: answers === 1 ? '"v1"' : '"v2"', [GENERATED_AT_HEADER]: generatedAt },
      json: overviewBody(sample, rows, route.request().url()),
    });
  });

  // A grid of one timeframe fits 7 symbols a line at this width, so the heatmap's first window
  // (150 symbols) covers what is in sight: every request is a poll of that one window.
  await page.setViewportSize({ width: 1000, height: 900 });
  await page.clock.install();
  await page.goto('/');
  const near = page.getByTestId('health-row').filter({ hasText: 'NEAR' });
  await expect(near).toHaveAttribute('data-state', 'OK');
  const pages = expect.stringMatching(/^"o\./); // the ETag of the answer the page came with
  expect(sent).toEqual([pages]);

  await page.clock.runFor(OVERVIEW_POLL_MS + 1_000);
  await expect.poll(() => sent).toEqual([pages, '"v1"']);
  await expect(near).toHaveAttribute('data-state', 'OK');

  await page.clock.runFor(OVERVIEW_POLL_MS + 1_000);
  await expect(near).toHaveAttribute('data-state', 'STALLED');
  await expect(near).toContainText(/no success for 6\d min, threshold 60 min/);
  expect(sent).toEqual([pages, '"v1"', '"v1"']);
  // Worst first: the pair that turned STALLED leads; both rows are still there.
  await expect(page.getByTestId('health-row').first()).toContainText('NEAR');
  await expect(page.getByTestId('table-count')).toHaveText('2 of 2 pairs');
});

/**
 * "Updated N s ago" is the age of the snapshot the answer came from (its frontier-generated-at),
 * not of the request: a first look (a search, a new filter) may be answered from a snapshot up to
 * a minute old (lib/api/snapshot.ts FIRST_LOOK_STALE_MS), and a 304 confirms the answer as of a
 * newer one.
 */
test('"Updated N s ago" says how old the snapshot behind the answer is', async ({ page, request }) => {
  const { sample, rows } = await scriptedRows(request, [
    { symbol: 'CALM', timeframe: '5m', stepMinutes: 5, minutesSinceSuccess: 0.5 },
  ]);
  let generatedAt = new Date(Date.now() - 45_000).toISOString();
  await page.route(/\/api\/health\/overview\?/, async (route) => {
    if ((await route.request().headerValue('if-none-match')) === '"old"')
      return route.fulfill({ status: 304, headers: { etag: '"old"', [GENERATED_AT_HEADER]: generatedAt }, body: '' });
    return route.fulfill({
      headers: { etag: '"old"', [GENERATED_AT_HEADER]: generatedAt },
      json: overviewBody(sample, rows, route.request().url()),
    });
  });
  await page.goto('/');
  await expect(page.getByTestId('health-row').filter({ hasText: 'CALM' })).toBeVisible();
  await expect(page.getByTestId('updated-ago')).toHaveText(/^Updated (4[5-9]|5\d) s ago$/);

  generatedAt = new Date().toISOString(); // the next poll's 304 confirms the answer as of now
  await page.getByRole('button', { name: 'Refresh' }).click();
  await expect(page.getByTestId('updated-ago')).toHaveText(/^Updated 1?\d s ago$/);
});

/**
 * react-virtual keeps row sizes by index, React keeps rows by pair (components/tables/health-table.tsx):
 * when a poll moves the focused row, the focus stays on its pair, so Enter opens the pair the
 * engineer chose, not whichever took its place.
 */
test('a poll that reorders the rows leaves the focus on the pair that had it', async ({ page, request }) => {
  const before = await scriptedRows(request, [
    { symbol: 'FIRST', timeframe: '5m', stepMinutes: 5, minutesSinceSuccess: 50 },
    { symbol: 'SECOND', timeframe: '5m', stepMinutes: 5, minutesSinceSuccess: 0.5 },
  ]);
  const after = await scriptedRows(request, [
    { symbol: 'SECOND', timeframe: '5m', stepMinutes: 5, minutesSinceSuccess: 61 },
    { symbol: 'FIRST', timeframe: '5m', stepMinutes: 5, minutesSinceSuccess: 51 },
  ]);
  let answers = 0;
  await page.route(/\/api\/health\/overview\?/, async (route) => {
    answers += 1;
    const { sample, rows } = answers === 1 ? before : after;
    return route.fulfill({
      headers: { etag: `"v${answers}"`, [GENERATED_AT_HEADER]: sample.generatedAt },
      json: overviewBody(sample, rows, route.request().url()),
    });
  });
  await page.setViewportSize({ width: 1000, height: 900 });
  await page.clock.install();
  await page.goto('/');
  const rows = page.getByTestId('health-row');
  await expect(rows.first()).toContainText('FIRST');
  await rows.filter({ hasText: 'FIRST' }).focus();

  await page.clock.runFor(OVERVIEW_POLL_MS + 1_000);
  await expect(rows.first()).toContainText('SECOND');
  await expect(rows.filter({ hasText: 'FIRST' })).toBeFocused();
});
