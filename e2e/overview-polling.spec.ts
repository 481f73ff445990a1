import { expect, test } from '@playwright/test';
import { GENERATED_AT_HEADER } from '../lib/health/clock';
import { OVERVIEW_POLL_MS } from '../components/hooks/polling';
import { listBody, scriptedRows, serveSummary } from './fixtures/scripted-api';

/**
 * The overview's conditional polls (lib/health/clock.ts), with the API's answers scripted: the
 * first poll gets rows and an ETag; the next sends that ETag back, gets a 304 dated a minute
 * later, and the page brings its rows forward by the health rules alone — the pair 59.5 min
 * past its last success turns STALLED without a byte of rows.
 */
test('a 304 brings the held rows forward: a pair turns STALLED with no new rows sent', async ({ page, request }) => {
  const { sample, rows } = await scriptedRows(request, [
    { symbol: 'CALM', timeframe: '5m', stepMinutes: 5, minutesSinceSuccess: 0.5 },
    { symbol: 'NEAR', timeframe: '5m', stepMinutes: 5, minutesSinceSuccess: 59.5 },
  ]);
  const generatedAt = sample.generatedAt;
  const aMinuteLater = new Date(Date.parse(generatedAt) + 60_000).toISOString();
  expect(rows.map((row) => row.state)).toEqual(['OK', 'OK']);
  await serveSummary(page, sample, rows);

  const etag = '"v1.all"';
  const sent: Array<string | null> = [];
  await page.route(/\/api\/health\?/, async (route) => {
    const ifNoneMatch = (await route.request().headerValue('if-none-match')) ?? null;
    sent.push(ifNoneMatch);
    if (ifNoneMatch === etag)
      return route.fulfill({ status: 304, headers: { etag, [GENERATED_AT_HEADER]: aMinuteLater }, body: '' });
    return route.fulfill({
      headers: { etag, [GENERATED_AT_HEADER]: generatedAt },
      json: listBody(sample, rows),
    });
  });

  await page.clock.install();
  await page.goto('/');
  const near = page.getByTestId('health-row').filter({ hasText: 'NEAR' });
  await expect(near).toHaveAttribute('data-state', 'OK');
  expect(sent).toEqual([null]);

  await page.clock.runFor(OVERVIEW_POLL_MS + 1_000);
  await expect(near).toHaveAttribute('data-state', 'STALLED');
  await expect(near).toContainText('no success for 60 min, threshold 60 min');
  expect(sent).toEqual([null, etag]);
  // Worst first still: the pair that turned STALLED leads; both rows are still there.
  await expect(page.getByTestId('health-row').first()).toContainText('NEAR');
  await expect(page.getByTestId('table-count')).toHaveText('2 of 2 pairs');
});
