import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startDatabase, stopDatabase } from './fixtures/database-control';
import { e2eEnvironment } from './fixtures/environment';
import { HISTORY_PAIR } from './fixtures/seed';

/**
 * With the database down, both servers answer 503 with a fixed JSON error, and nothing they
 * send or log carries the database password or URL. Runs in the "outage" project (after
 * every page spec: it stops the shared database).
 */
const environment = e2eEnvironment();
const PAIR = `${HISTORY_PAIR.symbol}/${HISTORY_PAIR.timeframe}`;
const API = ['/api/health', '/api/health/summary', `/api/pairs/${PAIR}`, `/api/pairs/${PAIR}/runs`, '/api/metrics'];
const CREDENTIALS = {
  authorization: `Basic ${Buffer.from(`${environment.basicUser}:${environment.basicPassword}`).toString('base64')}`,
};
const SERVERS: Array<[string, string, Record<string, string>]> = [
  ['app', environment.baseUrl, {}],
  ['auth', environment.authBaseUrl, CREDENTIALS],
];
const UNAVAILABLE = { error: { code: 'db_unavailable', message: 'the database is unavailable; try again shortly' } };
const FORBIDDEN_TEXT = [
  environment.dashboardPassword,
  'postgres://',
  'postgresql://',
  'postgres:postgres',
  'frontier_dashboard:',
];

function expectNoSecret(text: string, what: string): void {
  for (const secret of FORBIDDEN_TEXT) expect(text.includes(secret), `${what} contains ${secret}`).toBe(false);
  expect(text, what).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/); // no stack trace
}

test('a database outage: 503 JSON errors without the database URL or password, in responses and in the server log', async ({
  request,
}) => {
  test.setTimeout(120_000);
  const logBefore = readFileSync(environment.authServerLog, 'utf8').length;
  await stopDatabase();
  try {
    for (const [name, base, headers] of SERVERS) {
      // The last good snapshot may answer for its 2 s TTL; then every route says 503.
      await expect
        .poll(async () => (await request.get(`${base}/api/health`, { headers })).status(), { timeout: 20_000 })
        .toBe(503);
      for (const path of API) {
        const what = `${name} ${path}`;
        // Each route has its own cache (2 s): wait for it to run out too.
        await expect
          .poll(async () => (await request.get(`${base}${path}`, { headers })).status(), {
            timeout: 20_000,
            message: what,
          })
          .toBe(503);
        const response = await request.get(`${base}${path}`, { headers });
        expect(response.status(), what).toBe(503);
        expect(await response.json(), what).toEqual(UNAVAILABLE);
        expectNoSecret(`${JSON.stringify(response.headers())}\n${await response.text()}`, what);
      }
      const healthz = await request.get(`${base}/api/healthz`);
      expect(healthz.status(), `${name} healthz`).toBe(503);
      const body = (await healthz.json()) as {
        status: string;
        database: string;
        error: { code: string; message: string };
      };
      expect(body).toMatchObject({ status: 'degraded', database: 'down', error: { code: 'db_unavailable' } });
      expectNoSecret(JSON.stringify(body), `${name} healthz`);
      // A page still renders (it needs no database) and says nothing about the connection.
      const page = await request.get(`${base}/`, { headers });
      expect(page.status()).toBe(200);
      expectNoSecret(await page.text(), `${name} /`);
    }
  } finally {
    await startDatabase();
  }
  for (const [, base, headers] of SERVERS) {
    await expect
      .poll(async () => (await request.get(`${base}/api/health/summary`, { headers })).status(), { timeout: 30_000 })
      .toBe(200);
  }

  // The auth server's output during the outage: the failures are logged, the secrets are not.
  const log = readFileSync(environment.authServerLog, 'utf8').slice(logBefore);
  expect(log).toContain('"msg":"database unavailable"');
  expectNoSecret(log, 'the auth server log');
});
