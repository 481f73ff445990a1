import { describe, expect, test } from 'vitest';
import { kioskCookieValue, safeEqual, securityHeaders } from '../../lib/server/security';

// The access decisions themselves: test/unit/auth-access.test.ts.
describe('primitives', () => {
  test('safeEqual compares values of any length', () => {
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'a'.repeat(1000))).toBe(false);
    expect(safeEqual('', '')).toBe(true);
  });

  test('the kiosk cookie stands for the token without being it', () => {
    expect(kioskCookieValue('wall-token')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(kioskCookieValue('wall-token')).not.toContain('wall-token');
    expect(kioskCookieValue('wall-token')).not.toBe(kioskCookieValue('wall-token2'));
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
