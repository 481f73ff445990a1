import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { sealSession } from '../lib/auth/session';
import { e2eEnvironment } from './fixtures/environment';
import { startOidcProvider } from './fixtures/oidc-provider';
import { guardPage, unexpectedCspViolations } from './fixtures/page-guards';
import { expectedCounts, HISTORY_PAIR } from './fixtures/seed';

/**
 * AUTH_MODE=oidc end to end in Chromium: the "oidc" app server of playwright.config.ts against a
 * real OpenID provider started here (authorization code + PKCE), the role from the groups claim,
 * signing out, an expired session and a tampered cookie.
 */
const environment = e2eEnvironment();
const APP = environment.oidcBaseUrl;
const PAIR_PATH = `/pairs/${HISTORY_PAIR.symbol}/${HISTORY_PAIR.timeframe}`;
const UNAUTHORIZED = { error: { code: 'unauthorized', message: 'authentication required' } };

let provider: Awaited<ReturnType<typeof startOidcProvider>>;
test.beforeAll(async () => {
  provider = await startOidcProvider({
    port: environment.oidcProviderPort,
    clientId: environment.oidcClientId,
    clientSecret: environment.oidcClientSecret,
    redirectUri: `${APP}/api/auth/callback`,
  });
});
test.afterAll(async () => provider?.close());

/** The provider's development sign-in form (any password), then its consent page. */
async function signInAtProvider(page: Page, login: string): Promise<void> {
  await page.waitForURL(`${environment.oidcIssuer}/interaction/**`);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function sessionCookie(context: BrowserContext) {
  return (await context.cookies(APP)).find((cookie) => cookie.name === 'fm_session');
}

for (const [login, role] of [
  ['ada', 'admin'],
  ['otto', 'operator'],
  ['vera', 'viewer'],
] as const) {
  test(`${login} signs in at the provider and is a(n) ${role} by the groups claim`, async ({ browser }) => {
    const context = await browser.newContext({ baseURL: APP });
    const page = await context.newPage();
    const guards = await guardPage(page);
    // A deep link: back to it after the sign-in.
    await page.goto(PAIR_PATH);
    await signInAtProvider(page, login);
    await page.waitForURL(`${APP}${PAIR_PATH}`);
    await expect(page.getByTestId('session-actor')).toHaveText(`${login}@example.com`);
    await expect(page.getByTestId('session-role')).toHaveText(role);
    // This server's first data request builds its snapshot cold: allowed more than the default.
    await expect(page.getByTestId('pair-verdict')).toContainText('30 bars behind, threshold 3 bars', {
      timeout: 30_000,
    });
    // For a person to look at: the header's session element (test-results/playwright/…).
    await page.screenshot({
      path: test.info().outputPath('signed-in.png'),
      clip: { x: 0, y: 0, width: 1920, height: 120 },
    });

    const me = await page.request.get('/api/auth/me');
    expect(me.status()).toBe(200);
    expect(await me.json()).toEqual({ actor: `${login}@example.com`, role, source: 'oidc', mode: 'oidc' });
    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // Encrypted: neither the user nor the role can be read from it.
    expect(cookie!.value).toMatch(/^[\w-]+\.\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(Buffer.from(cookie!.value.replace(/\./g, ''), 'base64url').toString('latin1')).not.toContain(login);
    expect(await page.evaluate(() => document.cookie)).not.toContain('fm_session');
    // The sign-in's own cookie is gone once used.
    expect((await context.cookies(APP)).map((c) => c.name)).not.toContain('fm_login');
    expect(await unexpectedCspViolations(guards)).toEqual([]);
    expect(guards.pageErrors).toEqual([]);
    await context.close();
  });
}

test('signing out ends the session: /signed-out, the cookie gone, the API 401 and pages back to the provider', async ({
  browser,
}) => {
  const context = await browser.newContext({ baseURL: APP });
  const page = await context.newPage();
  await page.goto('/');
  await signInAtProvider(page, 'otto');
  await page.waitForURL(`${APP}/`);
  await expect(page.getByTestId('count-value-OK')).toHaveText(String(expectedCounts().OK));
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${APP}/signed-out`);
  await expect(page.getByRole('heading', { name: 'You are signed out' })).toBeVisible();
  await expect(page.getByTestId('sign-in')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('signed-out.png') });
  expect(await sessionCookie(context)).toBeUndefined();
  const me = await page.request.get('/api/auth/me');
  expect(me.status()).toBe(401);
  expect(await me.json()).toEqual(UNAUTHORIZED);
  const overview = await page.request.get('/', { maxRedirects: 0 });
  expect(overview.status()).toBe(303);
  expect(overview.headers()['location']).toBe('/api/auth/login?next=%2F');
  await context.close();
});

test('an expired session and a tampered cookie open nothing: the API answers 401, a page goes to the sign-in', async ({
  browser,
  playwright,
}) => {
  const context = await browser.newContext({ baseURL: APP });
  const page = await context.newPage();
  await page.goto('/');
  await signInAtProvider(page, 'ada');
  await page.waitForURL(`${APP}/`);
  const good = (await sessionCookie(context))!.value;
  const expired = await sealSession(
    { actor: 'ada@example.com', role: 'admin', source: 'oidc' },
    environment.sessionSecret,
    60,
    Date.now() - 120_000,
  );
  // One character of the ciphertext changed: the authentication tag no longer matches.
  const cut = good.lastIndexOf('.') - 5;
  const tampered = `${good.slice(0, cut)}${good[cut] === 'A' ? 'B' : 'A'}${good.slice(cut + 1)}`;
  const forged = await sealSession(
    { actor: 'mallory', role: 'admin', source: 'oidc' },
    'a different secret of forty characters..',
    3600,
  );

  const api = await playwright.request.newContext({ baseURL: APP });
  const as = (value: string) => ({ headers: { cookie: `fm_session=${value}` }, maxRedirects: 0 });
  expect((await api.get('/api/auth/me', as(good))).status()).toBe(200);
  for (const [what, value] of [
    ['expired', expired],
    ['tampered', tampered],
    ['sealed with another secret', forged],
  ] as const) {
    const me = await api.get('/api/auth/me', as(value));
    expect(me.status(), what).toBe(401);
    expect(await me.json(), what).toEqual(UNAUTHORIZED);
    expect((await api.get('/api/health/summary', as(value))).status(), what).toBe(401);
    const overview = await api.get('/', as(value));
    expect(overview.status(), what).toBe(303);
    expect(overview.headers()['location'], what).toBe('/api/auth/login?next=%2F');
  }
  await api.dispose();

  await context.close();

  // In a browser the provider does not know yet, the expired cookie sends the page to its sign-in form.
  const fresh = await browser.newContext({ baseURL: APP });
  await fresh.addCookies([{ name: 'fm_session', value: expired, url: APP, httpOnly: true, sameSite: 'Lax' }]);
  const another = await fresh.newPage();
  await another.goto('/');
  await another.waitForURL(`${environment.oidcIssuer}/interaction/**`);
  await expect(another.locator('input[name="login"]')).toBeVisible();
  await fresh.close();
});

test('a callback with a wrong state, or without the sign-in cookie, is refused with a JSON 400', async ({
  playwright,
}) => {
  const api = await playwright.request.newContext({ baseURL: APP });
  const callback = await api.get('/api/auth/callback?code=forged&state=forged', { maxRedirects: 0 });
  expect(callback.status()).toBe(400);
  expect(await callback.json()).toEqual({
    error: { code: 'login_failed', message: 'the sign-in expired or was started elsewhere; sign in again' },
  });
  // The sign-in page of another site cannot be the place to come back to.
  const login = await api.get('/api/auth/login?next=//evil.example/x', { maxRedirects: 0 });
  expect(login.status()).toBe(303);
  const location = new URL(login.headers()['location']!);
  expect(`${location.origin}${location.pathname}`).toBe(`${environment.oidcIssuer}/auth`);
  expect(location.searchParams.get('code_challenge_method')).toBe('S256');
  expect(location.searchParams.get('redirect_uri')).toBe(`${APP}/api/auth/callback`);
  expect(login.headers()['set-cookie']).toMatch(
    /^fm_login=[^;]+; Path=\/api\/auth; Expires=[^;]+; Max-Age=600; HttpOnly; SameSite=lax$/i,
  );
  await api.dispose();
});
