import path from 'node:path';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { HealthListResponse, HealthSummaryResponse } from '../lib/shared/types';
import type { IncidentsResponse } from '../lib/shared/history-types';
import { e2eEnvironment } from './fixtures/environment';
import {
  addFeedOutage,
  OUTAGE_SYMBOLS,
  OUTAGE_TIMEFRAMES,
  recordOutageHistory,
  removeFeedOutage,
  type HistoryBefore,
} from './fixtures/outage-seed';
import { PROBLEM_PAIRS, SEEDED_PAIRS } from './fixtures/seed';

/**
 * A feed outage over 500 symbols (3,000 SOURCE_STALE pairs) grouped by the history writer's own
 * function into one global incident: the wall shows it as one tile, beside the seed's other
 * incidents, on one screen without scrolling, at 1920×1080 and at 1280×720.
 */
const environment = e2eEnvironment();
const OUTAGE_PAIRS = OUTAGE_SYMBOLS * OUTAGE_TIMEFRAMES.length;
const SEEDED_PROBLEMS = PROBLEM_PAIRS.filter((pair) => pair.state !== 'DISABLED');
// The seed's own stale feed, XAGUSD 5m, has the same cause: its incident merges into the global one.
const SEEDED_STALE = SEEDED_PROBLEMS.filter((pair) => pair.state === 'SOURCE_STALE');
const OPEN_INCIDENTS = SEEDED_PROBLEMS.length - SEEDED_STALE.length + 1;
const SCREENSHOTS = path.resolve(import.meta.dirname, '..', 'docs', 'screenshots');

let before: HistoryBefore | undefined;

async function summary(request: APIRequestContext): Promise<HealthSummaryResponse> {
  return (await (await request.get('/api/health/summary')).json()) as HealthSummaryResponse;
}

test.beforeAll(async ({ request }) => {
  before = await addFeedOutage(environment.databaseUrl);
  // The health rules (the API's snapshot, refreshed within seconds) call every outage pair stale…
  await expect
    .poll(async () => (await summary(request)).byState.SOURCE_STALE, { timeout: 20_000 })
    .toBe(OUTAGE_PAIRS + SEEDED_STALE.length);
  const list = (await (await request.get('/api/health?q=FEED&state=SOURCE_STALE')).json()) as HealthListResponse;
  const outage = list.rows.filter((row) => row.symbol.startsWith('FEED'));
  expect(outage).toHaveLength(OUTAGE_PAIRS);
  // …and the history writer's function records them in those states and groups them.
  await recordOutageHistory(environment.databaseUrl, outage);
  // A page opened afresh may be answered from a snapshot up to 15 s old (docs/HEALTH.md, "the first
  // look"): wait until the held one has the history just recorded, every problem in an incident.
  await expect.poll(async () => (await summary(request)).ungroupedCount, { timeout: 30_000 }).toBe(0);
});

test.afterAll(async ({ request }) => {
  if (before) await removeFeedOutage(environment.databaseUrl, before);
  // The next spec sees the seed again, not a snapshot cached before the clean-up.
  await expect.poll(async () => (await summary(request)).total, { timeout: 20_000 }).toBe(SEEDED_PAIRS.length);
  await expect
    .poll(async () => ((await (await request.get('/api/incidents?status=open')).json()) as IncidentsResponse).open)
    .toBe(SEEDED_PROBLEMS.length);
});

/** Nothing scrolls, every tile is inside the screen, no text runs past its box (nothing cut mid-word). */
async function expectOneScreen(page: Page) {
  const layout = await page.evaluate(() => {
    const overflowing = [
      ...document.querySelectorAll(
        '[data-testid="wall-tile"] *, [data-testid="wall-summary"], [aria-label="Pairs per state"] li, [aria-label="Pairs per state"] li *',
      ),
    ]
      .filter((element) => element.scrollWidth > element.clientWidth + 1 && element.clientWidth > 0)
      .map((element) => element.textContent);
    return {
      scrollHeight: document.documentElement.scrollHeight,
      scrollWidth: document.documentElement.scrollWidth,
      innerHeight: window.innerHeight,
      innerWidth: window.innerWidth,
      tiles: [...document.querySelectorAll('[data-testid="wall-tile"]')].map((tile) => tile.getBoundingClientRect()),
      overflowing,
    };
  });
  expect(layout.scrollHeight).toBeLessThanOrEqual(layout.innerHeight);
  expect(layout.scrollWidth).toBeLessThanOrEqual(layout.innerWidth);
  for (const box of layout.tiles) {
    expect(box.bottom).toBeLessThanOrEqual(layout.innerHeight);
    expect(box.right).toBeLessThanOrEqual(layout.innerWidth);
  }
  expect(layout.overflowing).toEqual([]);
}

for (const viewport of [
  { width: 1920, height: 1080 },
  { width: 1280, height: 720 },
]) {
  test(`a 500-symbol feed outage is one tile at ${viewport.width}×${viewport.height}, beside every other open incident`, async ({
    page,
  }) => {
    await page.setViewportSize(viewport);
    await page.goto('/wall');
    const tiles = page.getByTestId('wall-tile');
    const outage = tiles.and(page.locator('[data-scope="global"]'));
    await expect(outage).toHaveCount(1);
    await expect(outage.getByTestId('wall-incident-who')).toHaveText('501 symbols');
    await expect(outage.getByTestId('wall-incident-width')).toContainText(/^3,001 pairs · since \d\d:\d\d UTC$/);
    await expect(outage).toHaveAttribute('data-state', 'SOURCE_STALE');
    await expect(outage).toContainText('Source stale');
    await expect(page.getByTestId('wall-count-value-SOURCE_STALE')).toHaveText('3,001');

    // Every open incident has its tile on this one screen: no page to turn.
    await expect(tiles).toHaveCount(OPEN_INCIDENTS);
    expect(await tiles.evaluateAll((list) => list.map((tile) => tile.getAttribute('data-kind')))).toEqual(
      Array(OPEN_INCIDENTS).fill('incident'),
    );
    await expect(page.getByTestId('wall-page')).toHaveCount(0);
    await expect(page.getByTestId('wall-summary')).toHaveText(
      `${OPEN_INCIDENTS} incidents · ${(SEEDED_PROBLEMS.length + OUTAGE_PAIRS).toLocaleString('en-US')} problems of ${(SEEDED_PAIRS.length + OUTAGE_PAIRS).toLocaleString('en-US')} pairs`,
    );
    await expectOneScreen(page);

    // Readable across a room: no text in the tiles or the footer under 16 px.
    const smallest = await page.evaluate(() =>
      Math.min(
        ...[...document.querySelectorAll('[data-testid="wall-tile"] *, [data-testid="wall-summary"]')]
          .filter((element) => (element.textContent ?? '').trim() !== '')
          .map((element) => parseFloat(getComputedStyle(element).fontSize)),
      ),
    );
    expect(smallest).toBeGreaterThanOrEqual(16);

    if (process.env.SCREENSHOTS) {
      await page.evaluate(() => document.fonts.ready);
      await page.screenshot({
        path: path.join(SCREENSHOTS, `wall-grouped-${viewport.width}.png`),
        caret: 'hide',
        animations: 'disabled',
      });
    }
  });
}
