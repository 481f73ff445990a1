import { expect, test, type Page } from '@playwright/test';

/** On a phone (390×844) nothing scrolls sideways, and what a page exists to say is on screen. */
test.use({ viewport: { width: 390, height: 844 }, hasTouch: true });

async function pageWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

test('a failing pair on a phone: its verdict and what to do are readable, no sideways scroll', async ({ page }) => {
  await page.goto('/pairs/NZDUSD/1h');
  const verdict = page.getByTestId('pair-verdict');
  await expect(verdict).toContainText('consecutive failed runs');
  await expect(verdict).toContainText('What to do');
  await expect(page.getByTestId('pair-facts')).toBeVisible();
  await expect(page.getByTestId('remediation-sql')).toBeAttached();
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
  const box = await verdict.boundingBox();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
});

test('the incidents page on a phone does not scroll sideways', async ({ page }) => {
  await page.goto('/incidents');
  await expect(page.getByTestId('incident-row').first()).toBeVisible();
  expect(await pageWidth(page)).toBeLessThanOrEqual(390);
});
