import { log } from '../server/log';
import { kioskCookieValue, KIOSK_COOKIE, safeEqual } from '../server/security';
import { isKioskRequest } from './access';
import { identifyToken, type TokenLookup } from './api-tokens';
import { identifyBasic } from './basic';
import type { AuthConfig } from './config';
import type { Identity } from './identity';
import { identifyProxy } from './proxy-headers';
import { openSession, SESSION_COOKIE } from './session';

/**
 * Who sends this request, under the configured AUTH_MODE (README "Authentication and roles"):
 * 1. the wall's kiosk cookie, on the wall's own read-only paths: `kiosk`, a viewer;
 * 2. AUTH_MODE none: `anonymous`, an admin (the local demo has nobody to ask);
 * 3. `Authorization: Bearer fm_…`: an API token, in every other mode, and nothing else is
 *    tried when a bearer header is there (a wrong token is a wrong token);
 * 4. the mode's own: basic credentials, the OIDC session cookie, or the auth proxy's headers.
 * Undefined: nobody we know.
 */
export async function resolveIdentity(
  request: Request,
  config: AuthConfig,
  lookupToken: TokenLookup,
): Promise<Identity | undefined> {
  const { pathname } = new URL(request.url);
  const cookies = parseCookies(request.headers.get('cookie'));
  const kiosk = cookies.get(KIOSK_COOKIE);
  if (config.kioskToken && kiosk && isKioskRequest(pathname, request.method)) {
    if (safeEqual(kiosk, kioskCookieValue(config.kioskToken)))
      return { actor: 'kiosk', role: 'viewer', source: 'kiosk' };
  }
  if (config.mode === 'none') return { actor: 'anonymous', role: 'admin', source: 'none' };

  const authorization = request.headers.get('authorization');
  if (authorization && /^bearer\s/i.test(authorization)) {
    try {
      return await identifyToken(authorization, lookupToken);
    } catch (error) {
      // Fail closed: a token that cannot be checked opens nothing.
      log.warn('API token check failed', { error: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
  }
  switch (config.mode) {
    case 'basic':
      try {
        return await identifyBasic(authorization, config.basic);
      } catch (error) {
        // A users file that cannot be read or parsed lets nobody in, and says why in the log.
        log.error('BASIC_AUTH_USERS_FILE unusable', { error: error instanceof Error ? error.message : String(error) });
        return undefined;
      }
    case 'oidc':
      return config.sessionSecret ? openSession(cookies.get(SESSION_COOKIE), config.sessionSecret) : undefined;
    case 'proxy':
      return identifyProxy(config.proxy, { headers: request.headers, remoteAddress: peerAddress(request.headers) });
  }
}

/**
 * The peer as Next.js records it: x-forwarded-for, which it fills with the socket's address
 * only when the client sent none. Hence PROXY_TRUSTED_ADDRESSES is sound only where nothing but
 * the auth proxy can reach the app and the proxy sets that header itself (README).
 */
function peerAddress(headers: Headers): string | undefined {
  return headers.get('x-forwarded-for')?.split(',').at(-1)?.trim() || undefined;
}

export function parseCookies(header: string | null): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const equals = part.indexOf('=');
    if (equals <= 0) continue;
    const name = part.slice(0, equals).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(equals + 1).trim());
  }
  return cookies;
}
