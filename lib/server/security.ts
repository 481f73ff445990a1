import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Access rules, pure so they can be tested without a server:
 * - no BASIC_AUTH_USER: everything is open (the embedded demo);
 * - otherwise every page and API route needs basic auth, except /api/healthz (probes);
 * - a kiosk token opens /wall and the read-only data the wall polls, nothing else.
 */
export interface AccessConfig {
  basicUser?: string;
  basicPassword?: string;
  kioskToken?: string;
}

export type AccessDecision =
  { allow: true; setKioskCookie?: boolean } | { allow: false; status: 401 | 403; reason: string };

export const KIOSK_COOKIE = 'fm_kiosk';
const ALWAYS_OPEN = [/^\/api\/healthz$/, /^\/_next\/static\//, /^\/favicon\.ico$/];
// /api/incidents: the wall's incident line (docs/HISTORY.md); /api/workers: its "no worker running" banner.
const KIOSK_PATHS = [
  /^\/wall$/,
  /^\/api\/health$/,
  /^\/api\/health\/summary$/,
  /^\/api\/incidents$/,
  /^\/api\/workers$/,
];

/** Equal-length digests compared in constant time: no early exit, no length leak. */
export function safeEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function basicAuthMatches(header: string | null, user: string, password: string): boolean {
  if (!header || !header.toLowerCase().startsWith('basic ')) return false;
  let decoded: string;
  try {
    decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  } catch {
    return false;
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  // Both compared, always, so the time taken does not say which one was wrong.
  const userOk = safeEqual(decoded.slice(0, colon), user);
  const passwordOk = safeEqual(decoded.slice(colon + 1), password);
  return userOk && passwordOk;
}

/** The cookie value stands for the token without being it. */
export function kioskCookieValue(token: string): string {
  return createHash('sha256').update(`frontier-kiosk:${token}`).digest('base64url');
}

export interface AccessRequest {
  pathname: string;
  method: string;
  authorization: string | null;
  kioskCookie: string | undefined;
  tokenParam: string | null;
}

export function decideAccess(config: AccessConfig, request: AccessRequest): AccessDecision {
  if (ALWAYS_OPEN.some((pattern) => pattern.test(request.pathname))) return { allow: true };
  const authConfigured = Boolean(config.basicUser && config.basicPassword);
  if (!authConfigured && !config.kioskToken) return { allow: true };

  if (authConfigured && basicAuthMatches(request.authorization, config.basicUser!, config.basicPassword!)) {
    return { allow: true };
  }
  if (config.kioskToken && KIOSK_PATHS.some((pattern) => pattern.test(request.pathname))) {
    const readOnly = request.method === 'GET' || request.method === 'HEAD';
    if (readOnly && request.tokenParam !== null && safeEqual(request.tokenParam, config.kioskToken)) {
      return { allow: true, setKioskCookie: true };
    }
    if (readOnly && request.kioskCookie && safeEqual(request.kioskCookie, kioskCookieValue(config.kioskToken))) {
      return { allow: true };
    }
  }
  if (!authConfigured) {
    // Only a kiosk token is configured: everything but the wall is closed to everyone.
    return { allow: false, status: 403, reason: 'this path is not open to the kiosk token' };
  }
  return { allow: false, status: 401, reason: 'authentication required' };
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
