import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { describe, expect, test } from 'vitest';
import { decideAccess } from '../../lib/auth/access';
import { hashApiToken, newApiToken, type TokenLookup } from '../../lib/auth/api-tokens';
import { authConfig } from '../../lib/auth/config';
import { resolveIdentity } from '../../lib/auth/resolve';
import { sealSession } from '../../lib/auth/session';
import { parseEnv } from '../../lib/server/env';
import { kioskCookieValue } from '../../lib/server/security';

/**
 * Who gets in, as whom, under each AUTH_MODE: the identity lib/auth/resolve.ts finds and the
 * decision lib/auth/access.ts takes on it, which proxy.ts applies to every request. Tokens are
 * looked up in a table here; test/sql/api-tokens.test.ts checks the database's side.
 */
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const SECRET = 'a-session-secret-of-at-least-32-characters';
const directory = mkdtempSync(path.join(tmpdir(), 'fm-auth-'));
const USERS_FILE = path.join(directory, 'users');
writeFileSync(
  USERS_FILE,
  [
    '# user:bcrypt-hash:role',
    `vera:${bcrypt.hashSync('vera-pw', 4)}:viewer`,
    `otto:${bcrypt.hashSync('otto-pw', 4)}:operator`,
    '',
    `ada:${bcrypt.hashSync('ada:pw', 4)}:admin`,
  ].join('\n'),
);
const TOKENS = { viewer: newApiToken(), operator: newApiToken(), revoked: newApiToken() };
const live = new Map([
  [hashApiToken(TOKENS.viewer), { name: 'prometheus', role: 'viewer' }],
  [hashApiToken(TOKENS.operator), { name: 'runbook-bot', role: 'operator' }],
]);
const lookup: TokenLookup = async (hash) => live.get(hash);
const bearer = (token: string) => `Bearer ${token}`;

const ENVS = {
  none: {},
  kioskOnly: { KIOSK_TOKEN: 'wall-token' },
  basic: { BASIC_AUTH_USER: 'ops', BASIC_AUTH_PASSWORD: 'pw', KIOSK_TOKEN: 'wall-token' },
  usersFile: { AUTH_MODE: 'basic', BASIC_AUTH_USERS_FILE: USERS_FILE },
  oidc: {
    AUTH_MODE: 'oidc',
    OIDC_ISSUER: 'http://127.0.0.1:1/',
    OIDC_CLIENT_ID: 'frontier',
    SESSION_SECRET: SECRET,
  },
  proxy: {
    AUTH_MODE: 'proxy',
    PROXY_SECRET: 'proxy-shared-secret',
    PROXY_TRUSTED_ADDRESSES: '10.0.0.5, ::1',
    PROXY_ROLE_GROUPS: 'admin=frontier-admins,operator=frontier-ops,operator=sre',
  },
} as const;

interface Case {
  path?: string;
  method?: string;
  headers?: Record<string, string>;
}

async function decide(envName: keyof typeof ENVS, request: Case) {
  const auth = authConfig(parseEnv(ENVS[envName]));
  const url = new URL(request.path ?? '/', 'http://127.0.0.1:3000');
  const standard = new Request(url, { method: request.method ?? 'GET', headers: request.headers });
  const identity = await resolveIdentity(standard, auth, lookup);
  const tokenParam = url.searchParams.get('token');
  const decision = decideAccess({
    mode: auth.mode,
    kioskConfigured: Boolean(auth.kioskToken),
    pathname: url.pathname,
    method: standard.method,
    identity,
    kioskTokenParamValid: tokenParam !== null && tokenParam === auth.kioskToken,
  });
  return {
    who: identity ? `${identity.actor}/${identity.role}/${identity.source}` : '-',
    answer: decision.allow
      ? decision.setKioskCookie
        ? 'allow+kiosk-cookie'
        : 'allow'
      : `${decision.status}${decision.challenge ? `+${decision.challenge}` : ''}`,
  };
}

const kioskCookie = { cookie: `fm_kiosk=${kioskCookieValue('wall-token')}` };
const session = (role: 'viewer' | 'operator' | 'admin', maxAge = 3600, now = Date.now()) =>
  sealSession({ actor: 'alice@example.com', role, source: 'oidc' }, SECRET, maxAge, now);

describe('AUTH_MODE default keeps older configurations as they were', () => {
  test.each([
    [{}, 'none'],
    [{ KIOSK_TOKEN: 'k' }, 'none'],
    [{ BASIC_AUTH_USER: 'u', BASIC_AUTH_PASSWORD: 'p' }, 'basic'],
    [{ AUTH_MODE: 'none', BASIC_AUTH_USER: 'u', BASIC_AUTH_PASSWORD: 'p' }, 'none'],
  ])('%o → %s', (source, mode) => {
    expect(parseEnv(source).AUTH_MODE).toBe(mode);
  });

  test.each([
    [{ AUTH_MODE: 'basic' }, 'AUTH_MODE=basic needs BASIC_AUTH_USER and BASIC_AUTH_PASSWORD, or BASIC_AUTH_USERS_FILE'],
    [
      { AUTH_MODE: 'oidc', OIDC_ISSUER: 'https://id.example.com' },
      'AUTH_MODE=oidc needs OIDC_CLIENT_ID, SESSION_SECRET',
    ],
    [{ AUTH_MODE: 'proxy' }, 'AUTH_MODE=proxy needs PROXY_SECRET or PROXY_TRUSTED_ADDRESSES'],
    [{ AUTH_MODE: 'ldap' }, 'AUTH_MODE: Invalid option: expected one of "none"|"basic"|"oidc"|"proxy"'],
    [{ SESSION_SECRET: 'short' }, 'SESSION_SECRET: must be at least 32 characters'],
    [
      { OIDC_ROLE_GROUPS: 'root=wheel' },
      'OIDC_ROLE_GROUPS: not ROLE=GROUP with a role of viewer|operator|admin: "root=wheel"',
    ],
    [{ PROXY_ROLE_GROUPS: 'admin' }, 'PROXY_ROLE_GROUPS: not ROLE=GROUP'],
    [{ OIDC_ISSUER: 'id.example.com' }, 'OIDC_ISSUER: must be an http(s) URL'],
  ])('%o is refused: %s', (source, message) => {
    expect(() => parseEnv(source)).toThrow(message);
  });
});

describe('who gets in, as whom', () => {
  test.each<[string, keyof typeof ENVS, Case, string, string]>([
    ['none: open, an anonymous admin', 'none', { path: '/api/health' }, 'anonymous/admin/none', 'allow'],
    [
      'none: a bearer token is not looked at',
      'none',
      { headers: { authorization: bearer(TOKENS.viewer) } },
      'anonymous/admin/none',
      'allow',
    ],
    ['kiosk only: the rest is forbidden', 'kioskOnly', { path: '/' }, 'anonymous/admin/none', '403'],
    [
      'kiosk only: the wall with its token',
      'kioskOnly',
      { path: '/wall?token=wall-token' },
      'anonymous/admin/none',
      'allow+kiosk-cookie',
    ],
    [
      'kiosk only: the cookie opens the summary',
      'kioskOnly',
      { path: '/api/health/summary', headers: kioskCookie },
      'kiosk/viewer/kiosk',
      'allow',
    ],
    ['healthz is open to probes', 'basic', { path: '/api/healthz' }, '-', 'allow'],
    ['the sign-in routes are open', 'oidc', { path: '/api/auth/login' }, '-', 'allow'],
    ['basic: a page without credentials', 'basic', { path: '/' }, '-', '401+basic'],
    ['basic: the API without credentials', 'basic', { path: '/api/metrics' }, '-', '401+basic'],
    [
      'basic: the single user is an admin',
      'basic',
      { headers: { authorization: basic('ops', 'pw') } },
      'ops/admin/basic',
      'allow',
    ],
    ['basic: a wrong password', 'basic', { headers: { authorization: basic('ops', 'nope') } }, '-', '401+basic'],
    [
      'basic: user names are case-sensitive',
      'basic',
      { headers: { authorization: basic('OPS', 'pw') } },
      '-',
      '401+basic',
    ],
    ['basic: not base64', 'basic', { headers: { authorization: 'Basic !!!' } }, '-', '401+basic'],
    ['basic: no colon', 'basic', { headers: { authorization: `Basic ${btoa('ops')}` } }, '-', '401+basic'],
    [
      'users file: a viewer',
      'usersFile',
      { headers: { authorization: basic('vera', 'vera-pw') } },
      'vera/viewer/basic',
      'allow',
    ],
    [
      'users file: an operator',
      'usersFile',
      { headers: { authorization: basic('otto', 'otto-pw') } },
      'otto/operator/basic',
      'allow',
    ],
    [
      'users file: a colon in the password',
      'usersFile',
      { headers: { authorization: basic('ada', 'ada:pw') } },
      'ada/admin/basic',
      'allow',
    ],
    [
      'users file: a wrong password',
      'usersFile',
      { headers: { authorization: basic('otto', 'vera-pw') } },
      '-',
      '401+basic',
    ],
    [
      'users file: nobody of that name',
      'usersFile',
      { headers: { authorization: basic('eve', 'x') } },
      '-',
      '401+basic',
    ],
    [
      'token: a viewer token in basic mode',
      'basic',
      { path: '/api/metrics', headers: { authorization: bearer(TOKENS.viewer) } },
      'token:prometheus/viewer/token',
      'allow',
    ],
    [
      'token: an operator token in oidc mode',
      'oidc',
      { path: '/api/health', headers: { authorization: bearer(TOKENS.operator) } },
      'token:runbook-bot/operator/token',
      'allow',
    ],
    [
      'token: in proxy mode, without the proxy',
      'proxy',
      { path: '/api/health', headers: { authorization: bearer(TOKENS.viewer) } },
      'token:prometheus/viewer/token',
      'allow',
    ],
    [
      'token: revoked or unknown',
      'basic',
      { path: '/api/metrics', headers: { authorization: bearer(TOKENS.revoked) } },
      '-',
      '401+basic',
    ],
    [
      "token: not a token's shape",
      'basic',
      { path: '/api/metrics', headers: { authorization: 'Bearer whatever' } },
      '-',
      '401+basic',
    ],
    [
      'kiosk: the cookie opens the wall',
      'basic',
      { path: '/wall', headers: kioskCookie },
      'kiosk/viewer/kiosk',
      'allow',
    ],
    [
      'kiosk: the cookie opens the incidents the wall shows',
      'basic',
      { path: '/api/incidents', headers: kioskCookie },
      'kiosk/viewer/kiosk',
      'allow',
    ],
    ['kiosk: not the overview', 'basic', { path: '/', headers: kioskCookie }, '-', '401+basic'],
    [
      'kiosk: not a pair timeline',
      'basic',
      { path: '/api/pairs/EURUSD/5m/timeline', headers: kioskCookie },
      '-',
      '401+basic',
    ],
    ['kiosk: not metrics', 'basic', { path: '/api/metrics', headers: kioskCookie }, '-', '401+basic'],
    [
      'kiosk: not the bulk actions (the acks it shows are read through the summary and incidents)',
      'basic',
      { path: '/api/actions/bulk', method: 'POST', headers: kioskCookie },
      '-',
      '401+basic',
    ],
    ['kiosk: only reads', 'basic', { path: '/api/health', method: 'POST', headers: kioskCookie }, '-', '401+basic'],
    [
      'kiosk: the raw token is no cookie',
      'basic',
      { path: '/wall', headers: { cookie: 'fm_kiosk=wall-token' } },
      '-',
      '401+basic',
    ],
    ['kiosk: a wrong token', 'basic', { path: '/wall?token=guess' }, '-', '401+basic'],
    ['kiosk: the token opens only the wall', 'basic', { path: '/api/metrics?token=wall-token' }, '-', '401+basic'],
    ['oidc: a page without a session goes to the sign-in', 'oidc', { path: '/pairs/EURUSD/5m' }, '-', '401+login'],
    ['oidc: the API without a session is a plain 401', 'oidc', { path: '/api/health' }, '-', '401'],
    ['oidc: a write without a session is a plain 401', 'oidc', { path: '/', method: 'POST' }, '-', '401'],
    [
      'proxy: the headers with the secret',
      'proxy',
      {
        headers: {
          'x-proxy-secret': 'proxy-shared-secret',
          'x-forwarded-user': 'bob',
          'x-forwarded-groups': 'sre,dev',
        },
      },
      'bob/operator/proxy',
      'allow',
    ],
    [
      'proxy: the highest group wins',
      'proxy',
      {
        headers: {
          'x-proxy-secret': 'proxy-shared-secret',
          'x-forwarded-user': 'root',
          'x-forwarded-groups': 'frontier-ops, frontier-admins',
        },
      },
      'root/admin/proxy',
      'allow',
    ],
    [
      'proxy: no mapped group is a viewer',
      'proxy',
      { headers: { 'x-proxy-secret': 'proxy-shared-secret', 'x-forwarded-user': 'bob' } },
      'bob/viewer/proxy',
      'allow',
    ],
    [
      'proxy: a wrong secret',
      'proxy',
      { headers: { 'x-proxy-secret': 'guess', 'x-forwarded-user': 'bob' } },
      '-',
      '401',
    ],
    [
      'proxy: no secret, from a listed address',
      'proxy',
      { headers: { 'x-forwarded-for': '10.0.0.5', 'x-forwarded-user': 'bob' } },
      'bob/viewer/proxy',
      'allow',
    ],
    [
      'proxy: IPv4 over IPv6 from a listed address',
      'proxy',
      { headers: { 'x-forwarded-for': '::ffff:10.0.0.5', 'x-forwarded-user': 'bob' } },
      'bob/viewer/proxy',
      'allow',
    ],
    [
      'proxy: no secret, another address',
      'proxy',
      { headers: { 'x-forwarded-for': '10.0.0.6', 'x-forwarded-user': 'bob' } },
      '-',
      '401',
    ],
    ['proxy: trusted but no user', 'proxy', { headers: { 'x-proxy-secret': 'proxy-shared-secret' } }, '-', '401'],
    [
      'proxy: a control character in the user',
      'proxy',
      { headers: { 'x-proxy-secret': 'proxy-shared-secret', 'x-forwarded-user': 'bob\tadmin' } },
      '-',
      '401',
    ],
  ])('%s', async (_name, envName, request, who, answer) => {
    expect(await decide(envName, request)).toEqual({ who, answer });
  });

  test.each<[string, () => Promise<string>, string]>([
    ['a live session', () => session('operator'), 'alice@example.com/operator/oidc'],
    ['an expired session', () => session('admin', 60, Date.now() - 61_000), '-'],
    [
      'a tampered session',
      async () => {
        const value = await session('viewer');
        return `${value.slice(0, 60)}${value[60] === 'A' ? 'B' : 'A'}${value.slice(61)}`;
      },
      '-',
    ],
    [
      'a session sealed with another secret',
      () => sealSession({ actor: 'mallory', role: 'admin', source: 'oidc' }, 'x'.repeat(40), 3600),
      '-',
    ],
    ['garbage', async () => 'not-a-jwe', '-'],
  ])('oidc: %s', async (_name, value, who) => {
    const outcome = await decide('oidc', { path: '/api/health', headers: { cookie: `fm_session=${await value()}` } });
    expect(outcome).toEqual({ who, answer: who === '-' ? '401' : 'allow' });
  });
});
