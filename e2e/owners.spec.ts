import { expect, test } from '@playwright/test';
import pg from 'pg';
import { e2eEnvironment } from './fixtures/environment';

// Owners in the browser (docs/HEALTH.md, "Owners"): with USD% owned by fx, the overview's filter
// bar offers the team, choosing it puts ?team=fx in the URL and leaves only fx's pairs; a link
// with ?team=fx opens the same view; /incidents?team=fx lists fx's incidents. The owner is removed afterwards (the database is shared).

const environment = e2eEnvironment();

async function sql(text: string, values: unknown[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  try {
    await client.query(text, values);
  } finally {
    await client.end();
  }
}

test.beforeAll(async () => {
  await sql(`SELECT owner_set('e2e', 'admin', 'ops', 'like', 'USD%', 'fx', 'owners.spec.ts')`);
});
test.afterAll(async () => {
  await sql(`SELECT owner_remove('e2e', 'admin', 'ops', 'like', 'USD%')`);
});

test('overview: the team select filters to the team, in the URL like the other filters', async ({ page, request }) => {
  // The server may serve a snapshot from before the owner for a moment (stale while it rebuilds):
  // wait until its answer has the team, then open the page.
  await expect
    .poll(async () => ((await (await request.get('/api/health/overview')).json()) as { teams?: string[] }).teams, {
      timeout: 20_000,
    })
    .toEqual(['fx']);
  await page.goto('/');
  const select = page.getByLabel('Team');
  await expect(select).toBeVisible();
  await expect(select.locator('option')).toHaveText(['Every team', 'fx']);
  const everyRow = await page.getByTestId('health-row').count();

  await select.selectOption('fx');
  await expect(page).toHaveURL(/\?team=fx$/);
  const rows = page.getByTestId('health-row');
  await expect.poll(async () => (await rows.allInnerTexts()).length).toBeGreaterThan(0);
  const symbols = await page.locator('[data-testid="health-row"] td:nth-child(2)').allInnerTexts();
  expect(symbols.length).toBeLessThan(everyRow);
  expect(symbols.filter((symbol) => !symbol.trim().startsWith('USD'))).toEqual([]);
  await page.screenshot({ path: 'test-results/owners-overview-fx.png', fullPage: true });

  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(select).toHaveValue('');

  await page.goto('/?team=fx');
  await expect(page.getByLabel('Team')).toHaveValue('fx');
  await expect.poll(() => page.getByTestId('health-row').count()).toBe(symbols.length);
});

test("/incidents?team=fx: the team's incidents only, counted as the API counts them", async ({ page, request }) => {
  const counts = async (path: string) => {
    const body = (await (await request.get(path)).json()) as { open: number; total: number };
    return `${body.open} open · ${body.total} in the history`;
  };
  const everyTeam = await counts('/api/incidents');
  const fx = await counts('/api/incidents?team=fx');
  expect(fx).not.toBe(everyTeam); // the seeded history has incidents of symbols fx does not own
  await page.goto('/incidents?team=fx');
  await expect(page.getByTestId('incidents-team')).toContainText('team fx');
  await expect(page.getByTestId('incident-counts')).toHaveText(fx);
  // The MTTR panel is the team's too: its 5m row counts fx's 5m pairs, as the API does.
  const fxStats = (await (await request.get('/api/incidents/stats?team=fx')).json()) as {
    byTimeframe: Array<{ timeframe: string; pairs: number }>;
  };
  await expect(page.getByTestId('problem-stats').getByRole('heading')).toHaveText('Time in problem and MTTR · team fx');
  const fx5m = fxStats.byTimeframe.find((row) => row.timeframe === '5m')!.pairs;
  expect(fx5m).toBeGreaterThan(0);
  const row5m = page.getByTestId('stats-by-timeframe').locator('tbody tr').filter({ hasText: /^5m/ });
  await expect(row5m.locator('td').nth(1)).toHaveText(fx5m.toLocaleString('en-US'));
  await page.screenshot({ path: 'test-results/owners-incidents-fx.png', fullPage: true });
  await page.getByRole('link', { name: 'every team' }).click();
  await expect(page).toHaveURL(/\/incidents$/);
  await expect(page.getByTestId('incident-counts')).toHaveText(everyTeam);
});

test("/wall?team=fx: the team in the title, the team's pairs counted, one screen at 1920×1080", async ({
  page,
  request,
}) => {
  const fx = (await (await request.get('/api/health/summary?team=fx')).json()) as { total: number };
  const all = (await (await request.get('/api/health/summary')).json()) as { total: number };
  expect(fx.total).toBeGreaterThan(0);
  expect(fx.total).toBeLessThan(all.total);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto('/wall?team=fx');
  await expect(page.getByTestId('wall-title')).toHaveText('Aggregation health · team fx');
  await expect(page.getByTestId('wall')).toContainText(`${fx.total} pairs`);
  await page.screenshot({ path: 'test-results/owners-wall-fx.png' });
});
