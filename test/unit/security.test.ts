import { describe, expect, test } from 'vitest';
import {
  basicAuthMatches,
  decideAccess,
  kioskCookieValue,
  safeEqual,
  securityHeaders,
  type AccessRequest,
} from '../../lib/server/security';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const request = (over: Partial<AccessRequest>): AccessRequest => ({
  pathname: '/',
  method: 'GET',
  authorization: null,
  kioskCookie: undefined,
  tokenParam: null,
  ...over,
});

describe('basic auth', () => {
  test.each([
    [basic('ops', 's3cret:with:colons'), true],
    [basic('ops', 'wrong'), false],
    [basic('OPS', 's3cret:with:colons'), false],
    [basic('ops', 's3cret:with:colon'), false],
    ['Basic !!!not-base64', false],
    ['Bearer abc', false],
    [null, false],
    ['Basic ' + Buffer.from('no-colon').toString('base64'), false],
  ])('%s → %s', (header, expected) => {
    expect(basicAuthMatches(header, 'ops', 's3cret:with:colons')).toBe(expected);
  });

  test('safeEqual compares values of any length', () => {
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'a'.repeat(1000))).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });
});

describe('access decisions', () => {
  const auth = { basicUser: 'ops', basicPassword: 'pw' };
  const kiosk = { ...auth, kioskToken: 'wall-token' };
  test.each<[string, object, Partial<AccessRequest>, boolean | number]>([
    ['open by default (embedded demo)', {}, { pathname: '/api/health' }, true],
    ['open by default: pages', {}, { pathname: '/pairs/EURUSD/5m' }, true],
    ['auth: page without credentials', auth, { pathname: '/' }, 401],
    ['auth: API without credentials', auth, { pathname: '/api/metrics' }, 401],
    ['auth: healthz stays open for probes', auth, { pathname: '/api/healthz' }, true],
    ['auth: right credentials', auth, { pathname: '/api/health', authorization: basic('ops', 'pw') }, true],
    ['auth: wrong password', auth, { pathname: '/api/health', authorization: basic('ops', 'nope') }, 401],
    ['kiosk: token opens the wall', kiosk, { pathname: '/wall', tokenParam: 'wall-token' }, true],
    ['kiosk: wrong token', kiosk, { pathname: '/wall', tokenParam: 'guess' }, 401],
    [
      'kiosk: cookie opens the summary',
      kiosk,
      { pathname: '/api/health/summary', kioskCookie: kioskCookieValue('wall-token') },
      true,
    ],
    [
      'kiosk: cookie opens the health list',
      kiosk,
      { pathname: '/api/health', kioskCookie: kioskCookieValue('wall-token') },
      true,
    ],
    [
      'kiosk: cookie opens the incidents the wall shows',
      kiosk,
      { pathname: '/api/incidents', kioskCookie: kioskCookieValue('wall-token') },
      true,
    ],
    [
      'kiosk: cookie does not open a pair timeline',
      kiosk,
      { pathname: '/api/pairs/EURUSD/5m/timeline', kioskCookie: kioskCookieValue('wall-token') },
      401,
    ],
    [
      'kiosk: cookie does not open the overview',
      kiosk,
      { pathname: '/', kioskCookie: kioskCookieValue('wall-token') },
      401,
    ],
    [
      'kiosk: cookie does not open pair detail',
      kiosk,
      { pathname: '/api/pairs/EURUSD/5m', kioskCookie: kioskCookieValue('wall-token') },
      401,
    ],
    [
      'kiosk: cookie does not open metrics',
      kiosk,
      { pathname: '/api/metrics', kioskCookie: kioskCookieValue('wall-token') },
      401,
    ],
    ['kiosk: the raw token is not a valid cookie', kiosk, { pathname: '/wall', kioskCookie: 'wall-token' }, 401],
    [
      'kiosk: only reads',
      kiosk,
      { pathname: '/api/health', method: 'POST', kioskCookie: kioskCookieValue('wall-token') },
      401,
    ],
    ['kiosk only: the rest is forbidden', { kioskToken: 'wall-token' }, { pathname: '/' }, 403],
    [
      'kiosk only: the wall with its token',
      { kioskToken: 'wall-token' },
      { pathname: '/wall', tokenParam: 'wall-token' },
      true,
    ],
  ])('%s', (_name, config, over, expected) => {
    const decision = decideAccess(config, request(over));
    if (expected === true) expect(decision.allow).toBe(true);
    else expect(decision).toMatchObject({ allow: false, status: expected });
  });
});

test('security headers', () => {
  const headers = securityHeaders('abc', "'none'", false);
  expect(headers['Content-Security-Policy']).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
  expect(headers['Content-Security-Policy']).toContain("frame-ancestors 'none'");
  expect(headers['Content-Security-Policy']).not.toContain('unsafe-eval');
  expect(headers).toMatchObject({
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  });
  const embeddable = securityHeaders('abc', 'https://screens.example.com', false);
  expect(embeddable['Content-Security-Policy']).toContain('frame-ancestors https://screens.example.com');
  expect(embeddable['X-Frame-Options']).toBeUndefined();
});
