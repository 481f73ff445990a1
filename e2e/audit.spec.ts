import { expect, test } from '@playwright/test';

// XAGUSD/1h in the fixture data (e2e/fixtures/seed.ts): an audit run that repaired 3 windows an hour
// ago, and 2 drifted windows a later audit left.
test('a pair with unrepaired drift says so, gives the repairing SQL, and lists its audit run', async ({ page }) => {
  await page.goto('/pairs/XAGUSD/1h');
  await expect(page.getByTestId('pair-verdict')).toContainText(
    '2 finalized windows differ from bars_1m (audit, not repaired)',
  );
  await expect(page.getByTestId('pair-verdict')).toContainText(
    "repair them: SELECT audit_aggregation_range('XAGUSD', '1h', '",
  );
  await expect(page.getByTestId('audit-counts')).toHaveText('3 / 2');
  const audit = page.locator('[data-testid="run-row"][data-kind="audit"]');
  await expect(audit).toHaveCount(1);
  await expect(audit).toContainText('audit: 1 missing, 2 drifted, 0 orphaned, 3 repaired');
});

test('the overview filters to drift with one click', async ({ page }) => {
  await page.goto('/');
  await page.getByTestId('preset-drift').click();
  await expect(page).toHaveURL(/preset=drift/);
  await expect(page.getByTestId('health-row')).toHaveCount(1);
  await expect(page.getByTestId('health-row')).toContainText('XAGUSD');
});
