import { expect, test } from '@playwright/test';
import pg from 'pg';
import { e2eEnvironment } from './fixtures/environment';
import { MAINTENANCE_PAIR, MAINTENANCE_REASON } from './fixtures/seed';

// Maintenance windows in the browser (docs/MAINTENANCE.md): the seeded pair in a window is
// MAINTENANCE on the overview and its page, quietly; "Maintenance…" on a SOURCE_STALE pair's
// page starts a window (the pair turns MAINTENANCE) and "End now" ends it (SOURCE_STALE again),
// each with its audit row.

const environment = e2eEnvironment();
const { symbol, timeframe } = MAINTENANCE_PAIR;

async function auditRows(): Promise<string[]> {
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ line: string }>(
      `SELECT action || ' ' || source || ' ' || actor || ' ' || ok AS line FROM operator_actions
        WHERE action LIKE 'maintenance.%' ORDER BY id`,
    );
    return rows.map((row) => row.line);
  } finally {
    await client.end();
  }
}

test('overview: the pair in a window is counted as Maintenance, below every problem', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByTestId('count-value-MAINTENANCE')).toHaveText('1');
  await expect(
    page.getByRole('link', {
      name: new RegExp(
        `^${symbol} ${timeframe}: Maintenance — maintenance until .* UTC \\(${MAINTENANCE_REASON}, by e2e\\); would be Source stale: source feed silent`,
      ),
    }),
  ).toBeVisible();
  await page.getByTestId('count-MAINTENANCE').click();
  await expect(page).toHaveURL(/\?state=MAINTENANCE$/);
  await expect(page.getByTestId('health-row')).toHaveCount(1);
  await expect(page.getByTestId('health-row').first()).toHaveAttribute('data-state', 'MAINTENANCE');
});

test('pair page: start maintenance from the form, then end it', async ({ page }) => {
  await page.goto(`/pairs/${symbol}/${timeframe}`);
  await expect(page.getByTestId('pair-verdict')).toContainText('Maintenance');
  await expect(page.getByTestId('maintenance-active')).toContainText(`(${MAINTENANCE_REASON}, by e2e)`);
  await page.screenshot({ path: 'test-results/maintenance-seeded-pair.png' });

  await page.goto('/pairs/XAGUSD/5m');
  await expect(page.getByTestId('pair-reason')).toContainText('source feed silent');
  await page.getByRole('button', { name: 'Maintenance…' }).click();
  const form = page.getByRole('form', { name: 'Plan maintenance' });
  await form.getByLabel('For').selectOption('4');
  await form.getByLabel('Reason').fill('feed vendor migration');
  await page.screenshot({ path: 'test-results/maintenance-form.png' });
  await form.getByRole('button', { name: 'Start maintenance' }).click();

  await expect(page.getByTestId('pair-reason')).toContainText(
    /^maintenance until .* UTC \(feed vendor migration, by anonymous\); would be Source stale: source feed silent/,
  );
  await expect(page.getByTestId('maintenance-active')).toContainText('feed vendor migration');
  await page.screenshot({ path: 'test-results/maintenance-started.png' });

  await page.getByRole('button', { name: 'End now' }).click();
  await expect(page.getByTestId('pair-reason')).toContainText(/^source feed silent/);
  await expect(page.getByRole('button', { name: 'Maintenance…' })).toBeVisible();
  expect(await auditRows()).toEqual(['maintenance.add ui anonymous true', 'maintenance.end ui anonymous true']);
});
