import { expect, test } from '@playwright/test';
import { overviewBody, scriptedRows } from './fixtures/scripted-api';

/**
 * The stall rule's boundary minute on the overview (lib/health/stall-rule.ts: strictly more than the
 * threshold). The rows are the server's own derivation of 60.0 and 60.1 minutes since success,
 * served in place of the API (through the server's own overview function, lib/health/overview.ts)
 * so that the minute does not tick while the page looks: the "Stalled aggregation" preset
 * (lib/health/list-contract.ts) must agree with the state each row shows. The SQL and API sides:
 * test/sql/frontier-view.test.ts, test/api/stall-boundary.test.ts.
 */
test('at 60.0 min a pair is neither STALLED nor in the "stalled" preset; at 60.1 it is both', async ({
  page,
  request,
}) => {
  const { sample, rows } = await scriptedRows(request, [
    { symbol: 'EDGE61', timeframe: '1d', stepMinutes: 1440, minutesSinceSuccess: 60.1 },
    { symbol: 'EDGE60', timeframe: '1d', stepMinutes: 1440, minutesSinceSuccess: 60 },
  ]);
  await page.route(/\/api\/health\/overview\?/, (route) =>
    route.fulfill({ json: overviewBody(sample, rows, route.request().url()) }),
  );

  await page.goto('/');
  const row = (symbol: string) => page.getByTestId('health-row').filter({ hasText: symbol });
  await expect(row('EDGE60')).toHaveAttribute('data-state', 'OK');
  await expect(row('EDGE61')).toHaveAttribute('data-state', 'STALLED');
  await expect(row('EDGE61')).toContainText('no success for 60 min, threshold 60 min, policy default');

  await page.getByTestId('preset-stalled').click();
  await expect(page).toHaveURL(/preset=stalled/);
  await expect(page.getByTestId('table-count')).toHaveText('1 of 2 pairs');
  await expect(page.getByTestId('health-row')).toHaveCount(1);
  await expect(row('EDGE61')).toBeVisible();
});
