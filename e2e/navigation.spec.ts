import { expect, test } from '@playwright/test';

test('filters replace the history entry, and "← Overview" on a pair page comes back to the same view', async ({
  page,
}) => {
  await page.goto('/');
  await expect(page.getByTestId('health-row').first()).toBeVisible();
  const entries = await page.evaluate(() => window.history.length);
  await page.getByTestId('count-FAILING').click();
  await expect(page).toHaveURL(/[?&]state=FAILING/);
  await page.getByTestId('count-LAGGING').click();
  await expect(page).toHaveURL(/state=FAILING%2CLAGGING|state=FAILING,LAGGING|state=FAILING&state=LAGGING/);
  expect(await page.evaluate(() => window.history.length)).toBe(entries);
  const view = new URL(page.url()).search;

  await page.getByTestId('health-row').first().getByRole('link').first().click();
  await expect(page).toHaveURL(/\/pairs\//);
  await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Overview' }).click();
  await expect(page).toHaveURL(new RegExp(`/${view.replace(/[?.*+()[\]\\]/g, '\\$&')}$`));
  await expect(page.getByTestId('count-FAILING')).toHaveAttribute('aria-pressed', 'true');
});

test('a click anywhere on a row opens its pair', async ({ page }) => {
  await page.goto('/');
  const row = page.getByTestId('health-row').first();
  const symbol = (await row.getByRole('link').first().textContent())!.trim();
  await row.getByTestId('state-for').or(row.locator('td').nth(2)).first().click();
  await expect(page).toHaveURL(new RegExp(`/pairs/${encodeURIComponent(symbol)}/`));
});
