import fc from 'fast-check';
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GET as callbackGET } from '../../app/api/auth/callback/route';
import { GET as loginGET } from '../../app/api/auth/login/route';
import { POST as logoutPOST } from '../../app/api/auth/logout/route';
import { GET as meGET } from '../../app/api/auth/me/route';
import { parseOpsArgs, runOpsCommand } from '../../lib/ops/commands';
import { sealSession } from '../../lib/auth/session';
import { closePool } from '../../lib/server/db';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { pointApiAt } from './support';

/**
 * The identity routes called as Next.js calls them, on a real database (the API tokens): who
 * /api/auth/me says the caller is, and bad input of every kind answered 4xx JSON, never 500.
 */
const SECRET = 'the-session-secret-of-the-route-tests-0123456789';
const AUTH_ENV = {
  AUTH_MODE: 'oidc',
  // Nothing listens there: a login that gets as far as the provider is answered 502.
  OIDC_ISSUER: 'http://127.0.0.1:9/',
  OIDC_CLIENT_ID: 'frontier',
  SESSION_SECRET: SECRET,
  LOG_LEVEL: 'error',
};
const ORIGIN = 'http://127.0.0.1:3000';

let db: TestDatabase;
let tokens: Record<'viewer' | 'admin', string>;

beforeAll(async () => {
  db = await createTestDatabase();
  await pointApiAt(db.url, AUTH_ENV);
  const client = await db.pool.connect();
  try {
    const create = async (name: string, role: string) =>
      (await runOpsCommand(client, parseOpsArgs(['token', 'create', '--name', name, '--role', role]), () => {})).at(
        -1,
      )!;
    tokens = { viewer: await create('prometheus', 'viewer'), admin: await create('deploy-bot', 'admin') };
  } finally {
    client.release();
  }
});
afterAll(async () => {
  for (const name of Object.keys(AUTH_ENV)) delete process.env[name];
  await closePool();
  await db?.drop();
});

async function answer(response: Response): Promise<{ status: number; body: unknown; type: string | null }> {
  const type = response.headers.get('content-type');
  const text = await response.text();
  return { status: response.status, body: type?.includes('json') ? JSON.parse(text) : text, type };
}

describe('GET /api/auth/me', () => {
  test.each<[string, Record<string, string>, number, unknown]>([
    [
      'a viewer token',
      { authorization: 'Bearer TOKEN:viewer' },
      200,
      { actor: 'token:prometheus', role: 'viewer', source: 'token', mode: 'oidc' },
    ],
    [
      'an admin token, any case of "bearer"',
      { authorization: 'bEaReR TOKEN:admin' },
      200,
      { actor: 'token:deploy-bot', role: 'admin', source: 'token', mode: 'oidc' },
    ],
    ['no credentials', {}, 401, { error: { code: 'unauthorized', message: 'authentication required' } }],
    [
      'a token of the right shape that was never made',
      { authorization: `Bearer fm_${'A'.repeat(43)}` },
      401,
      { error: { code: 'unauthorized', message: 'authentication required' } },
    ],
    [
      'basic credentials in oidc mode',
      { authorization: `Basic ${btoa('ops:pw')}` },
      401,
      { error: { code: 'unauthorized', message: 'authentication required' } },
    ],
  ])('%s', async (_name, headers, status, body) => {
    const resolved = Object.fromEntries(
      Object.entries(headers).map(([key, value]) => [
        key,
        value.replace(/TOKEN:(viewer|admin)/, (_m, role: 'viewer' | 'admin') => tokens[role]),
      ]),
    );
    expect(await answer(await meGET(new Request(`${ORIGIN}/api/auth/me`, { headers: resolved })))).toMatchObject({
      status,
      body,
    });
  });

  test('a session cookie names its user; an expired one does not', async () => {
    const live = await sealSession({ actor: 'alice@example.com', role: 'operator', source: 'oidc' }, SECRET, 600);
    const expired = await sealSession(
      { actor: 'alice@example.com', role: 'operator', source: 'oidc' },
      SECRET,
      60,
      Date.now() - 120_000,
    );
    const me = (cookie: string) => meGET(new Request(`${ORIGIN}/api/auth/me`, { headers: { cookie } }));
    expect(await answer(await me(`fm_session=${live}`))).toMatchObject({
      status: 200,
      body: { actor: 'alice@example.com', role: 'operator', source: 'oidc', mode: 'oidc' },
    });
    expect((await me(`fm_session=${expired}`)).status).toBe(401);
  });
});

describe('the sign-in routes refuse what they cannot use', () => {
  test("the callback without its login cookie, or with the provider's error, is a 400 that says why", async () => {
    const callback = (query: string, cookie?: string) =>
      callbackGET(new NextRequest(`${ORIGIN}/api/auth/callback${query}`, { headers: cookie ? { cookie } : {} }));
    expect(await answer(await callback('?code=abc&state=xyz'))).toEqual({
      status: 400,
      type: 'application/json',
      body: { error: { code: 'login_failed', message: 'the sign-in expired or was started elsewhere; sign in again' } },
    });
    expect(await answer(await callback('?error=access_denied'))).toMatchObject({
      status: 400,
      body: { error: { code: 'login_refused', message: 'the identity provider refused: access_denied' } },
    });
  });

  test('a login while the provider is down is a 502 JSON, not a 500', async () => {
    expect(await answer(await loginGET(new NextRequest(`${ORIGIN}/api/auth/login?next=/pairs/X/5m`)))).toEqual({
      status: 502,
      type: 'application/json',
      body: {
        error: { code: 'idp_unavailable', message: 'the identity provider could not be reached; try again shortly' },
      },
    });
  });

  test('logout clears the cookie and lands on /signed-out; from another site it is refused', async () => {
    const same = await logoutPOST(
      new NextRequest(`${ORIGIN}/api/auth/logout`, { method: 'POST', headers: { 'sec-fetch-site': 'same-origin' } }),
    );
    expect(same.status).toBe(303);
    expect(same.headers.get('location')).toBe('/signed-out');
    expect(same.headers.get('set-cookie')).toMatch(/^fm_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=lax$/i);
    const cross = await logoutPOST(
      new NextRequest(`${ORIGIN}/api/auth/logout`, { method: 'POST', headers: { origin: 'https://evil.example' } }),
    );
    expect(await answer(cross)).toMatchObject({ status: 403, body: { error: { code: 'cross_site' } } });
  });

  test('property: any query, cookie and header on these routes is 4xx JSON or a redirect to this site, never 500', async () => {
    const text = fc.string({ unit: 'binary', maxLength: 80 });
    const headerValue = fc.string({ unit: 'grapheme-ascii', maxLength: 120 });
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          route: fc.constantFrom('callback', 'me', 'logout'),
          query: fc.dictionary(fc.constantFrom('code', 'state', 'error', 'iss', 'next', 'x'), text, { maxKeys: 4 }),
          cookie: fc.option(fc.tuple(fc.constantFrom('fm_login', 'fm_session', 'fm_kiosk', 'x'), headerValue), {
            nil: undefined,
          }),
          authorization: fc.option(
            fc.oneof(
              headerValue,
              headerValue.map((value) => `Bearer ${value}`),
              headerValue.map((value) => `Basic ${value}`),
            ),
            { nil: undefined },
          ),
          origin: fc.option(fc.constantFrom('https://evil.example', ORIGIN, 'null', '::'), { nil: undefined }),
        }),
        async ({ route, query, cookie, authorization, origin }) => {
          const url = new URL(`/api/auth/${route}`, ORIGIN);
          for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
          const headers = new Headers();
          if (cookie) headers.set('cookie', `${cookie[0]}=${cookie[1]}`);
          if (authorization) headers.set('authorization', authorization);
          if (origin) headers.set('origin', origin);
          const request = new NextRequest(url, { method: route === 'logout' ? 'POST' : 'GET', headers });
          const response =
            route === 'callback'
              ? await callbackGET(request)
              : route === 'me'
                ? await meGET(request)
                : await logoutPOST(request);
          if (response.status === 303) {
            expect(response.headers.get('location')).toBe('/signed-out');
            return;
          }
          expect(response.status).toBeGreaterThanOrEqual(400);
          expect(response.status).toBeLessThan(500);
          expect(response.headers.get('content-type')).toBe('application/json');
          const body = (await response.json()) as { error: { code: string; message: string } };
          expect(Object.keys(body)).toEqual(['error']);
          expect(typeof body.error.code).toBe('string');
          expect(typeof body.error.message).toBe('string');
        },
      ),
      { numRuns: 300 },
    );
  });
});
