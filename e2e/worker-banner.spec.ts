import { expect, test } from '@playwright/test';
import pg from 'pg';
import { e2eEnvironment } from './fixtures/environment';

/**
 * A worker that ran and stopped beating: the overview and the wall say since when (the seed has
 * no heartbeat, so no other spec sees the banner; this one removes its row again).
 */
const environment = e2eEnvironment();

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: environment.databaseUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

test.afterEach(async () => {
  await sql(`DELETE FROM worker_heartbeats WHERE worker_id = 'e2e:1:gone'`);
});

test('no worker has beaten for two intervals: "No worker running since …" on the overview and the wall', async ({
  page,
  request,
}) => {
  await sql(
    `INSERT INTO worker_heartbeats (worker_id, host, pid, version, started_at_utc, beat_utc)
     VALUES ('e2e:1:gone', 'e2e', 1, '0.1.0', now() - interval '3 hours', timestamptz '2026-01-05 09:30:00+00')`,
  );
  // The API answers from a cache of a couple of seconds: wait until it has seen the row.
  await expect
    .poll(
      async () =>
        ((await (await request.get('/api/workers')).json()) as { noWorkerSince: string | null }).noWorkerSince,
    )
    .toBe('2026-01-05T09:30:00.000Z');
  await page.goto('/');
  const banner = page.getByTestId('worker-banner');
  await expect(banner).toContainText('No worker running since 2026-01-05 09:30 UTC');
  await expect(banner).toContainText('no pair is being caught up');
  await page.goto('/wall');
  await expect(page.getByTestId('worker-banner')).toContainText('No worker running since 2026-01-05 09:30 UTC');
});
