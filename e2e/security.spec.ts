import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { e2eEnvironment } from './fixtures/environment';
import { guardPage, unexpectedCspViolations } from './fixtures/page-guards';
import { expectedCounts, HISTORY_PAIR, PROBLEM_PAIRS, SEEDED_PAIRS } from './fixtures/seed';

/**
 * Access rules and security headers over real HTTP, on two servers of the same build and
 * database: the default one (nothing configured: open) and the "auth" one (basic auth and a
 * kiosk token, see playwright.config.ts). The rules themselves are unit-tested in
 * test/unit/security.test.ts; this checks that proxy.ts applies them to every route.
 */
const environment = e2eEnvironment();
const AUTH = environment.authBaseUrl;
const OPEN = environment.baseUrl;
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const CREDENTIALS = { authorization: basic(environment.basicUser, environment.basicPassword) };
const PAIR = `${HISTORY_PAIR.symbol}/${HISTORY_PAIR.timeframe}`;
const PAGES = ['/', '/wall', `/pairs/${PAIR}`];
const API = ['/api/health', '/api/health/summary', `/api/pairs/${PAIR}`, `/api/pairs/${PAIR}/runs`, '/api/metrics'];
const WALL_PROBLEMS = PROBLEM_PAIRS.filter((pair) => pair.state !== 'DISABLED').length;
const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'authentication required' } };

/** Secrets that must never come back in a response. */
const SECRETS = [
  environment.dashboardPassword,
  environment.basicPassword,
  environment.kioskToken,
  'postgres://',
  'postgres:postgres',
];

async function expectUnauthorized(response: APIResponse, what: string): Promise<void> {
  expect(response.status(), what).toBe(401);
  expect(response.headers()['www-authenticate'], what).toBe('Basic realm="Frontier Monitor", charset="UTF-8"');
  expect(response.headers()['content-type'], what).toMatch(/^application\/json/);
  expect(await response.json(), what).toEqual(UNAUTHORIZED);
  expect(response.headers()['set-cookie'], what).toBeUndefined();
}

/** The security headers every response carries; returns the CSP nonce. */
function expectSecurityHeaders(response: APIResponse, what: string): string {
  const headers = response.headers();
  const csp = headers['content-security-policy'] ?? '';
  const nonce = /script-src 'self' 'nonce-([A-Za-z0-9+/=]{16,})' 'strict-dynamic'(;|$)/.exec(csp)?.[1];
  expect(nonce, `${what}: CSP ${csp}`).toBeDefined();
  for (const directive of [
    "default-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
    "connect-src 'self'",
  ]) {
    expect(csp.split('; '), what).toContain(directive);
  }
  expect(csp, what).not.toContain('unsafe-eval');
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['referrer-policy'], what).toBe('no-referrer');
  expect(headers['x-frame-options'], what).toBe('DENY');
  return nonce!;
}

async function withContext<T>(
  playwright: { request: { newContext: (options?: { baseURL?: string }) => Promise<APIRequestContext> } },
  baseURL: string,
  run: (context: APIRequestContext) => Promise<T>,
): Promise<T> {
  const context = await playwright.request.newContext({ baseURL });
  try {
    return await run(context);
  } finally {
    await context.dispose();
  }
}

test.describe('the server with basic auth and a kiosk token', () => {
  test('without credentials every page and data route answers 401 with a challenge and a JSON error; /api/healthz stays open', async ({
    playwright,
  }) => {
    await withContext(playwright, AUTH, async (anonymous) => {
      for (const path of [...PAGES, ...API]) await expectUnauthorized(await anonymous.get(path), `GET ${path}`);
      for (const [user, password] of [
        [environment.basicUser, 'wrong'],
        ['someone', environment.basicPassword],
        [environment.basicUser, ''],
      ]) {
        await expectUnauthorized(
          await anonymous.get('/api/health', { headers: { authorization: basic(user!, password!) } }),
          `${user}:${password}`,
        );
      }
      await expectUnauthorized(
        await anonymous.get('/', { headers: { authorization: 'Bearer whatever' } }),
        'a bearer token',
      );
      const healthz = await anonymous.get('/api/healthz');
      expect(healthz.status()).toBe(200);
      expect(await healthz.json()).toEqual({
        status: 'ok',
        database: 'up',
        replication: expect.objectContaining({ role: 'primary', lagSeconds: 0, stale: false }),
      });
    });
  });

  test('with the credentials every page and API route answers 200, and no secret comes back', async ({
    playwright,
  }) => {
    await withContext(playwright, AUTH, async (client) => {
      for (const path of [...PAGES, ...API]) {
        const response = await client.get(path, { headers: CREDENTIALS });
        expect(response.status(), path).toBe(200);
        expect(response.headers()['content-type'], path).toMatch(
          path === '/api/metrics' ? /^text\/plain/ : path.startsWith('/api/') ? /^application\/json/ : /^text\/html/,
        );
        const text = `${JSON.stringify(response.headers())}\n${await response.text()}`;
        for (const secret of SECRETS) expect(text.includes(secret), `${path} contains ${secret}`).toBe(false);
      }
    });
  });

  test('the kiosk link trades its token for an HttpOnly cookie that opens the wall and its data, nothing else', async ({
    playwright,
  }) => {
    const cookie = await withContext(playwright, AUTH, async (client) => {
      const redirect = await client.get(`/wall?token=${environment.kioskToken}`, { maxRedirects: 0 });
      expect(redirect.status()).toBe(303);
      const location = new URL(redirect.headers()['location'] ?? '', AUTH);
      expect(`${location.pathname}${location.search}`).toBe('/wall');
      const setCookie = redirect.headers()['set-cookie'] ?? '';
      expect(setCookie).toMatch(/^fm_kiosk=[A-Za-z0-9_-]{20,}; /);
      expect(setCookie).toMatch(/; HttpOnly(;|$)/i);
      expect(setCookie).toMatch(/; SameSite=strict(;|$)/i);
      expect(setCookie).toMatch(/; Path=\/(;|$)/);
      expect(setCookie).not.toContain(environment.kioskToken);
      expectSecurityHeaders(redirect, 'the 303');
      return /^fm_kiosk=([^;]+)/.exec(setCookie)![1]!;
    });

    await withContext(playwright, AUTH, async (kiosk) => {
      const headers = { cookie: `fm_kiosk=${cookie}` };
      expect((await kiosk.get('/wall', { headers })).status()).toBe(200);
      const summary = await kiosk.get('/api/health/summary', { headers });
      expect(summary.status()).toBe(200);
      expect(((await summary.json()) as { total: number }).total).toBe(SEEDED_PAIRS.length);
      expect((await kiosk.get('/api/health', { headers })).status()).toBe(200);
      for (const path of ['/', `/pairs/${PAIR}`, `/api/pairs/${PAIR}`, `/api/pairs/${PAIR}/runs`, '/api/metrics']) {
        await expectUnauthorized(await kiosk.get(path, { headers }), `kiosk cookie, GET ${path}`);
      }
      // Read-only: the cookie does not cover other methods, even on the wall's own routes.
      await expectUnauthorized(await kiosk.post('/api/health/summary', { headers }), 'kiosk cookie, POST');
    });
  });

  test('a wrong token or a forged cookie opens nothing, and the token opens only the wall', async ({ playwright }) => {
    await withContext(playwright, AUTH, async (client) => {
      await expectUnauthorized(await client.get('/wall?token=wrong', { maxRedirects: 0 }), 'a wrong token');
      await expectUnauthorized(
        await client.get(`/wall?token=${environment.kioskToken}x`, { maxRedirects: 0 }),
        'a longer token',
      );
      await expectUnauthorized(
        await client.get('/api/health/summary', { headers: { cookie: `fm_kiosk=${environment.kioskToken}` } }),
        'the raw token as the cookie',
      );
      await expectUnauthorized(
        await client.get('/api/health/summary', { headers: { cookie: 'fm_kiosk=forged' } }),
        'a forged cookie',
      );
      for (const path of ['/', `/pairs/${PAIR}`, '/api/metrics', `/api/pairs/${PAIR}`]) {
        await expectUnauthorized(
          await client.get(`${path}?token=${environment.kioskToken}`, { maxRedirects: 0 }),
          `token on ${path}`,
        );
      }
    });
  });

  test('in a browser, the kiosk link lands on /wall with the cookie set and the wall shows its data', async ({
    browser,
  }) => {
    const context = await browser.newContext({ baseURL: AUTH });
    const page = await context.newPage();
    const guards = await guardPage(page);
    await page.goto(`/wall?token=${environment.kioskToken}`);
    expect(page.url()).toBe(`${AUTH}/wall`);
    await expect(page.getByTestId('wall-tile')).toHaveCount(WALL_PROBLEMS);
    await expect(page.getByTestId('wall-count-OK')).toContainText(String(expectedCounts().OK));
    await expect(page.getByTestId('updated-ago')).toContainText(/updated \d+ s ago/);
    await expect(page.getByTestId('stale-banner')).toHaveCount(0);

    const cookies = await context.cookies();
    expect(cookies.map((cookie) => [cookie.name, cookie.httpOnly, cookie.sameSite, cookie.path])).toEqual([
      ['fm_kiosk', true, 'Strict', '/'],
    ]);
    expect(await page.evaluate(() => document.cookie)).not.toContain('fm_kiosk');
    expect(await unexpectedCspViolations(guards)).toEqual([]);
    expect(guards.pageErrors).toEqual([]);

    // The same browser's cookie jar, anywhere else: refused. (A navigation would end in
    // Chromium's own ERR_INVALID_AUTH_CREDENTIALS, as the 401 asks for basic auth.)
    for (const path of ['/', `/pairs/${PAIR}`, '/api/metrics'])
      await expectUnauthorized(await page.request.get(path), `browser cookie, ${path}`);
    expect((await page.request.get('/api/health/summary')).status()).toBe(200);
    await context.close();
  });

  test('in a browser with the credentials, the overview and the pair page render their data', async ({ browser }) => {
    const context = await browser.newContext({
      baseURL: AUTH,
      httpCredentials: { username: environment.basicUser, password: environment.basicPassword },
    });
    const page = await context.newPage();
    const guards = await guardPage(page);
    await page.goto('/');
    await expect(page.getByTestId('count-value-OK')).toHaveText(String(expectedCounts().OK));
    await page.goto(`/pairs/${PAIR}`);
    await expect(page.getByTestId('pair-verdict')).toContainText('30 bars behind, threshold 3 bars, policy default');
    expect(await unexpectedCspViolations(guards)).toEqual([]);
    expect(guards.pageErrors).toEqual([]);
    await context.close();
  });
});

test('the default server, nothing configured, is open: every page and route answers 200 without credentials', async ({
  request,
}) => {
  for (const path of [...PAGES, ...API, '/api/healthz']) {
    const response = await request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(200);
    expect(response.headers()['www-authenticate'], path).toBeUndefined();
  }
  // No kiosk token configured: a token in the URL is no redirect and sets no cookie.
  const wall = await request.get('/wall?token=anything', { maxRedirects: 0 });
  expect(wall.status()).toBe(200);
  expect(wall.headers()['set-cookie']).toBeUndefined();
});

test('every response carries the CSP with a fresh nonce, nosniff, no-referrer and DENY; page scripts carry the nonce', async ({
  request,
}) => {
  const responses: Array<[string, APIResponse]> = [
    ['open page', await request.get(`${OPEN}/`)],
    ['open pair page', await request.get(`${OPEN}/pairs/${PAIR}`)],
    ['open API', await request.get(`${OPEN}/api/health`)],
    ['open metrics', await request.get(`${OPEN}/api/metrics`)],
    ['open healthz', await request.get(`${OPEN}/api/healthz`)],
    ['open 400', await request.get(`${OPEN}/api/health?limit=0`)],
    ['open 404', await request.get(`${OPEN}/api/pairs/NOPE/5m`)],
    ['auth page', await request.get(`${AUTH}/wall`, { headers: CREDENTIALS })],
    ['auth API', await request.get(`${AUTH}/api/health/summary`, { headers: CREDENTIALS })],
    ['auth 401', await request.get(`${AUTH}/api/health`)],
  ];
  const nonces = new Set<string>();
  for (const [what, response] of responses) nonces.add(expectSecurityHeaders(response, what));
  expect(nonces.size, 'one nonce per response').toBe(responses.length);
  expect(responses.find(([what]) => what === 'open 400')![1].status()).toBe(400);

  // Every script tag of a page carries that response's nonce: none is left for the CSP to block.
  for (const [what, response] of responses.filter(([name]) => name.endsWith('page'))) {
    const nonce = expectSecurityHeaders(response, what);
    const scripts = (await response.text()).match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length, what).toBeGreaterThan(3);
    for (const tag of scripts) expect(tag, what).toContain(`nonce="${nonce}"`);
  }
});

test('under the CSP the pages run their own scripts: data rendered, no violation, no page error', async ({ page }) => {
  const guards = await guardPage(page);
  const cspConsole = () => guards.consoleErrors.filter((text) => /Content Security Policy/i.test(text));

  await page.goto('/');
  await expect(page.getByTestId('count-value-OK')).toHaveText(String(expectedCounts().OK));
  await expect(page.getByTestId('heatmap-cell')).toHaveCount(SEEDED_PAIRS.length);
  expect(await unexpectedCspViolations(guards)).toEqual([]);

  await page.goto(`/pairs/${PAIR}`);
  await expect(page.getByTestId('chart-frontier').locator('path.recharts-line-curve')).toHaveCount(2);
  await expect(page.getByTestId('run-row')).toHaveCount(25);
  expect(await unexpectedCspViolations(guards)).toEqual([]);

  await page.goto('/wall');
  await expect(page.getByTestId('wall-tile')).toHaveCount(WALL_PROBLEMS);
  expect(await unexpectedCspViolations(guards)).toEqual([]);

  expect(cspConsole()).toEqual([]);
  expect(guards.pageErrors).toEqual([]);
  expect(guards.dialogs).toEqual([]);
});
