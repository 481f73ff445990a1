import { expect, test } from '@playwright/test';
import pg from 'pg';
import { e2eEnvironment } from './fixtures/environment';
import { PROBLEM_PAIRS } from './fixtures/seed';

/**
 * A destructive action from the pair page: the preview lists
 * the AHEAD pair's single row, Apply needs a reason, the audit log shows it (the pair's list and
 * /audit). The app writes as frontier_actions (db/roles/actions.sql). The pair's cursor is put
 * back afterwards: the other specs expect the seeded AHEAD pair.
 */
const ahead = PROBLEM_PAIRS.find((pair) => pair.state === 'AHEAD')!;
const environment = e2eEnvironment();
let saved: Date | null = null;

// Two pages, a dry run and an apply, each a round trip to the database: more than one page's time.
test.slow();

async function owner<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

test.beforeAll(async () => {
  saved = await owner(async (client) => {
    const { rows } = await client.query<{ c: Date }>(
      'SELECT last_agg_bar_ts_utc AS c FROM data_agg_state WHERE canonical_symbol = $1 AND timeframe = $2',
      [ahead.symbol, ahead.timeframe],
    );
    return rows[0]!.c;
  });
});

test.afterAll(async () => {
  await owner((client) =>
    client.query('UPDATE data_agg_state SET last_agg_bar_ts_utc = $3 WHERE canonical_symbol = $1 AND timeframe = $2', [
      ahead.symbol,
      ahead.timeframe,
      saved,
    ]),
  );
});

test("reset from the pair page: the preview shows the AHEAD pair's single row, apply with a reason, the audit log shows it", async ({
  page,
}) => {
  await page.goto(`/pairs/${ahead.symbol}/${ahead.timeframe}`);
  const panel = page.getByTestId('pair-actions');
  await panel.getByRole('button', { name: 'Reset cursor…' }).click();

  const dialog = page.getByRole('dialog', { name: /Reset cursor/ });
  await expect(dialog).toBeVisible();
  const rows = dialog.getByTestId('preview-row');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText(`${ahead.symbol} ${ahead.timeframe}`);
  await expect(rows.first()).toContainText('ahead_of_source');
  await expect(rows.first()).toContainText(`${saved!.toISOString().slice(0, 19).replace('T', ' ')} UTC`);

  const apply = dialog.getByRole('button', { name: 'Apply reset cursor' });
  await expect(apply).toBeDisabled();
  await dialog.getByLabel(/Reason/).fill('e2e: vendor replayed a day');
  await expect(apply).toBeEnabled();
  await apply.click();
  await expect(dialog).toBeHidden();
  await expect(panel.getByTestId('action-message')).toContainText('Reset cursor: Cursor moved to');

  // The pair's list: the dry run the dialog ran, then the reset itself, from the UI.
  const list = panel.getByTestId('pair-audit').getByTestId('audit-row');
  await expect(list.first()).toContainText('reset');
  await expect(list.first()).toContainText('e2e: vendor replayed a day');
  await expect(list.first()).toContainText('anonymous');
  await expect(list.first()).toContainText('ui');
  await expect(list.nth(1)).toContainText('reset (dry run)');

  // The cursor moved in the database, to the previewed row's new position.
  const moved = await owner(async (client) => {
    const { rows: state } = await client.query<{ c: Date }>(
      'SELECT last_agg_bar_ts_utc AS c FROM data_agg_state WHERE canonical_symbol = $1 AND timeframe = $2',
      [ahead.symbol, ahead.timeframe],
    );
    return state[0]!.c;
  });
  expect(moved.getTime()).toBeLessThan(saved!.getTime());

  await page.goto('/audit');
  const row = page.getByTestId('audit-row').first();
  await expect(row).toContainText(`${ahead.symbol} ${ahead.timeframe}`);
  await expect(row).toContainText('e2e: vendor replayed a day');
  await expect(row).toHaveAttribute('data-ok', 'true');
});

test('an operator action runs at once and lands in the list', async ({ page }) => {
  await page.goto(`/pairs/${ahead.symbol}/${ahead.timeframe}`);
  const panel = page.getByTestId('pair-actions');
  await panel.getByRole('button', { name: 'Retry now' }).click();
  await expect(panel.getByTestId('action-message')).toContainText('Retry now: The pair was not in backoff.');
  await expect(panel.getByTestId('pair-audit').getByTestId('audit-row').first()).toContainText('retry');
});
