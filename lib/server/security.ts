import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The primitives of access control (the rules themselves: lib/auth/access.ts): constant-time
 * comparison, the kiosk cookie, and the security headers of every response.
 */
export const KIOSK_COOKIE = 'fm_kiosk';

/** Equal-length digests compared in constant time: no early exit, no length leak. */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The cookie value stands for the token without being it. */
export function kioskCookieValue(token: string): string {
  return createHash('sha256').update(`frontier-kiosk:${token}`).digest('base64url');
}

/** Security headers for every response; frame-ancestors comes from FRAME_ANCESTORS. */
export function securityHeaders(nonce: string, frameAncestors: string, isDev: boolean): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${isDev ? " 'unsafe-eval'" : ''}`,
    // Inline style attributes (React, recharts) are allowed; scripts are what the nonce guards.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    `frame-ancestors ${frameAncestors}`,
  ].join('; ');
  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
  };
  if (frameAncestors.trim() === "'none'") headers['X-Frame-Options'] = 'DENY';
  return headers;
}
