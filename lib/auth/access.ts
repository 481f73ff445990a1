import type { AuthMode } from '../server/env';
import type { Identity } from './identity';

/**
 * Who may reach which path, given the identity lib/auth/resolve.ts found (pure, so it is tested
 * with tables of cases; proxy.ts applies it to every page and API route):
 * - /api/healthz (probes), static files and the sign-in routes are open to all;
 * - AUTH_MODE none with no KIOSK_TOKEN: everything is open (the embedded demo); with a
 *   KIOSK_TOKEN only: the wall and its data, to the kiosk, nothing else to anyone;
 * - otherwise an identity opens everything (what it may change is the write routes' to say);
 *   without one: 401, with a basic-auth challenge in basic mode, a redirect to the sign-in in
 *   oidc mode for a page.
 */
export const KIOSK_PATHS = [
  /^\/wall$/,
  /^\/api\/health$/,
  /^\/api\/health\/summary$/,
  // the wall's incident line (docs/HISTORY.md) and its "no worker running" banner
  /^\/api\/incidents$/,
  /^\/api\/workers$/,
];
const ALWAYS_OPEN = [
  /^\/api\/healthz$/,
  /^\/_next\/static\//,
  /^\/favicon\.ico$/,
  /^\/api\/auth\/(login|callback|logout)$/,
  /^\/signed-out$/,
];

export interface AccessInput {
  mode: AuthMode;
  kioskConfigured: boolean;
  pathname: string;
  method: string;
  identity: Identity | undefined;
  /** A right ?token= for the wall (traded for the kiosk cookie). */
  kioskTokenParamValid: boolean;
}

export type AccessDecision =
  | { allow: true; setKioskCookie?: boolean }
  | { allow: false; status: 401 | 403; reason: string; challenge?: 'basic' | 'login' };

export function isKioskRequest(pathname: string, method: string): boolean {
  return (method === 'GET' || method === 'HEAD') && KIOSK_PATHS.some((pattern) => pattern.test(pathname));
}

export function decideAccess(input: AccessInput): AccessDecision {
  if (ALWAYS_OPEN.some((pattern) => pattern.test(input.pathname))) return { allow: true };
  if (input.kioskConfigured && input.kioskTokenParamValid && isKioskRequest(input.pathname, input.method))
    return { allow: true, setKioskCookie: true };
  if (input.mode === 'none') {
    if (!input.kioskConfigured || input.identity?.source === 'kiosk') return { allow: true };
    return { allow: false, status: 403, reason: 'this path is not open to the kiosk token' };
  }
  if (input.identity) return { allow: true };
  const page = !input.pathname.startsWith('/api/') && (input.method === 'GET' || input.method === 'HEAD');
  const challenge = input.mode === 'basic' ? 'basic' : input.mode === 'oidc' && page ? 'login' : undefined;
  return { allow: false, status: 401, reason: 'authentication required', ...(challenge ? { challenge } : {}) };
}
