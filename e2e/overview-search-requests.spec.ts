import { expect, test } from '@playwright/test';
import { overviewReady } from './fixtures/overview-ready';

/**
 * A search or a filter asks for its view from the event that chose it, before React draws the
 * view (usePrefetchOverview); the query that draws it must find that request on its way and not
 * make a second one. Each view typed or clicked is asked for once (and again only for a wider
 * heatmap window, once the grid is measured for it), and its rows show.
 */
test('each view typed or clicked is asked for once, from the event that chose it', async ({ page }) => {
  const asked: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.pathname === '/api/health/overview') asked.push(url.searchParams.toString());
  });
  await page.goto('/');
  await overviewReady(page);
  await expect.poll(() => asked.length).toBeGreaterThan(0); // the poll the page makes once hydrated
  const before = asked.length;

  const box = page.getByRole('searchbox', { name: 'Search symbols' });
  await box.pressSequentially('xag', { delay: 50 });
  await expect(page.getByTestId('health-row').first()).toContainText('XAGUSD');
  await expect(page.getByTestId('table-count')).not.toContainText('updating');
  await page.getByTestId('count-FAILING').click();
  await expect(page).toHaveURL(/state=FAILING/);
  await expect(page.getByTestId('table-count')).not.toContainText('updating');

  // Per view, each request asks for a wider heatmap window than the one before (the grid,
  // measured for the new view, may want more symbols): no request made twice, none for a
  // window other than the one the view draws.
  const byView = new Map<string, number[]>();
  for (const search of asked.slice(before)) {
    const params = new URLSearchParams(search);
    const view = `q=${params.get('q') ?? ''} state=${params.get('state') ?? ''}`;
    byView.set(view, [...(byView.get(view) ?? []), Number(params.get('hlimit'))]);
  }
  expect([...byView.keys()]).toEqual(['q=x state=', 'q=xa state=', 'q=xag state=', 'q=xag state=FAILING']);
  for (const [view, hlimits] of byView) expect(hlimits, view).toEqual([...new Set(hlimits)].sort((a, b) => a - b));
});

/**
 * A view asked for again by a person (a chip clicked back) is a first look, not a poll: no
 * If-None-Match, so the server answers from the snapshot it holds rather than waiting for a
 * rebuild (lib/api/snapshot.ts FIRST_LOOK_STALE_MS). The polls that follow send the ETag.
 */
test('a view chosen again is asked for without its ETag; its polls send it', async ({ page }) => {
  const sent: Array<{ state: string; ifNoneMatch: string | null }> = [];
  page.on('request', async (request) => {
    const url = new URL(request.url());
    if (url.pathname !== '/api/health/overview') return;
    sent.push({ state: url.searchParams.get('state') ?? '', ifNoneMatch: await request.headerValue('if-none-match') });
  });
  await page.goto('/');
  await overviewReady(page);
  await expect.poll(() => sent.length).toBeGreaterThan(0);
  expect(sent[0]!.ifNoneMatch).toMatch(/^"o\./); // the page's answer, asked again once hydrated

  const failing = page.getByTestId('count-FAILING');
  await failing.click(); // a new view
  await expect(page).toHaveURL(/state=FAILING/);
  await failing.click(); // back to the first view, which the tab holds with its ETag
  await expect(page).not.toHaveURL(/state=FAILING/);
  await expect(page.getByTestId('table-count')).not.toContainText('updating');
  // (a view's heatmap may ask again for a wider window once measured: a new request, no ETag either)
  const chosen = sent.slice(1);
  expect([...new Set(chosen.map((request) => request.state))]).toEqual(['FAILING', '']);
  expect(chosen.every((request) => request.ifNoneMatch === null)).toBe(true);
});
