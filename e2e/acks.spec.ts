import path from 'node:path';
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { sealSession } from '../lib/auth/session';
import { e2eEnvironment } from './fixtures/environment';
import { PROBLEM_PAIRS } from './fixtures/seed';

/**
 * Acknowledgements: an operator acks the STALLED pair from its page and
 * the badge shows, with Withdraw beside it, which ends it; on /incidents, acks the pair's
 * incident from its row and the badge shows there, and Withdraw ends it too. The app writes as frontier_actions. The acks it made are deleted afterwards: the other
 * specs expect the seeded incidents un-acked (the audit rows stay, as for e2e/actions.spec.ts).
 */
const stalled = PROBLEM_PAIRS.find((pair) => pair.state === 'STALLED')!;
const environment = e2eEnvironment();
const NOTE = 'e2e: restarting the worker';

test.slow();

test.afterAll(async () => {
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  try {
    await client.query(`DELETE FROM acknowledgements WHERE note LIKE 'e2e:%'`);
  } finally {
    await client.end();
  }
});

test('acknowledge from the pair page, then its incident from /incidents: each shows its badge', async ({ page }) => {
  await page.goto(`/pairs/${stalled.symbol}/${stalled.timeframe}`);
  const box = page.getByTestId('pair-ack');
  await expect(box.getByTestId('ack-badge')).toHaveCount(0);
  await box.getByRole('button', { name: 'Acknowledge…' }).click();
  const submit = box.getByTestId('ack-submit');
  await expect(submit).toBeDisabled();
  await box.getByTestId('ack-note').fill(NOTE);
  await box.getByLabel('Acknowledged for').selectOption({ label: '4 hours' });
  await submit.click();
  const badge = box.getByTestId('ack-badge');
  await expect(badge).toContainText(`Ack'd by anonymous: ${NOTE}`);
  await expect(badge).toContainText(/· until \d\d:\d\d UTC/);
  // The pair's audit list shows the ack, from the UI.
  const audit = page.getByTestId('pair-audit').getByTestId('audit-row').first();
  await expect(audit).toContainText('ack');
  await expect(audit).toContainText('ui');
  const withdraw = box.getByTestId('ack-withdraw');
  await expect(withdraw).toBeEnabled();
  await expect(withdraw).toHaveAttribute('title', /withdraw the acknowledgement of this pair/);
  if (process.env.SCREENSHOTS) {
    await page.evaluate(() => document.fonts.ready);
    await page.getByTestId('pair-ack').scrollIntoViewIfNeeded();
    await page.screenshot({
      path: path.resolve(import.meta.dirname, '..', 'docs', 'screenshots', 'pair-ack-withdraw.png'),
      caret: 'hide',
      animations: 'disabled',
    });
  }
  await withdraw.click();
  await expect(box.getByTestId('ack-badge')).toHaveCount(0);
  await expect(page.getByTestId('pair-audit').getByTestId('audit-row').first()).toContainText('unack');
  // Acked again, so the incident below is acked beside an acked pair, as before.
  await box.getByRole('button', { name: 'Acknowledge…' }).click();
  await box.getByTestId('ack-note').fill(NOTE);
  await box.getByTestId('ack-submit').click();
  await expect(box.getByTestId('ack-badge')).toContainText(`Ack'd by anonymous: ${NOTE}`);

  await page.goto('/incidents');
  const row = page
    .getByTestId('incident-row')
    .filter({ has: page.getByTestId('incident-cause').filter({ hasText: stalled.symbol }) })
    .and(page.locator('[data-status="open"]'));
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId('ack-badge')).toHaveCount(0);
  await row.getByRole('button', { name: 'Acknowledge…' }).click();
  await row.getByTestId('ack-note').fill('e2e: on it');
  await row.getByTestId('ack-submit').click();
  await expect(row.getByTestId('ack-badge')).toHaveText("Ack'd by anonymous: e2e: on it");
  await row.getByTestId('ack-withdraw').click();
  await expect(row.getByTestId('ack-badge')).toHaveCount(0);
  await expect(row.getByRole('button', { name: 'Acknowledge…' })).toBeVisible();
  // Resolved incidents have no ack and no button.
  await expect(
    page.locator('[data-testid="incident-row"][data-status="resolved"]').getByTestId('ack-open'),
  ).toHaveCount(0);
});

test('a viewer sees Withdraw beside the ack, disabled, saying why', async ({ browser }) => {
  const failing = PROBLEM_PAIRS.find((pair) => pair.state === 'FAILING')!;
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  try {
    await client.query(`SELECT action_ack_pair('otto', 'operator', 'api', $1, $2, 'e2e: vendor ticket open')`, [
      failing.symbol,
      failing.timeframe,
    ]);
  } finally {
    await client.end();
  }
  // The AUTH_MODE=oidc server, with a viewer's session sealed as its sign-in would.
  const app = environment.oidcBaseUrl;
  const viewer = await sealSession(
    { actor: 'vera@example.com', role: 'viewer', source: 'oidc' },
    environment.sessionSecret,
    3600,
  );
  const context = await browser.newContext({ baseURL: app });
  await context.addCookies([{ name: 'fm_session', value: viewer, url: app, httpOnly: true, sameSite: 'Lax' }]);
  const page = await context.newPage();
  const status = (await (await page.request.get('/api/actions/status')).json()) as {
    writable: boolean;
    reason?: string;
  };
  await page.goto(`/pairs/${failing.symbol}/${failing.timeframe}`);
  const box = page.getByTestId('pair-ack');
  await expect(box.getByTestId('ack-badge')).toContainText("Ack'd by otto: e2e: vendor ticket open", {
    timeout: 30_000,
  });
  const withdraw = box.getByTestId('ack-withdraw');
  await expect(withdraw).toBeDisabled();
  // This server writes nothing (no DATABASE_WRITE_URL), which is said first; else the role.
  await expect(withdraw).toHaveAttribute(
    'title',
    status.writable ? 'needs the operator role; you are viewer' : `actions are disabled: ${status.reason}`,
  );
  await page.screenshot({ path: test.info().outputPath('viewer-withdraw.png') });
  await context.close();
});
