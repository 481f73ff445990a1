import { NextResponse, type NextRequest } from 'next/server';
import { authorizeRead, isCrossSite } from '../auth/authorize';
import { authConfig, type AuthConfig } from '../auth/config';
import { beginLogin, finishLogin, LOGIN_COOKIE, LOGIN_MAX_AGE_SECONDS, LoginError, safeNext } from '../auth/oidc';
import { sealSession, SESSION_COOKIE } from '../auth/session';
import { log } from '../server/log';
import { env } from '../server/env';
import { ApiError } from '../shared/api-error';
import type { MeResponse } from '../shared/types';
import { json } from './respond';

/** The sign-in routes of AUTH_MODE=oidc and GET /api/auth/me (README "Authentication and roles"). */
function oidcSettings(): { auth: AuthConfig; oidc: NonNullable<AuthConfig['oidc']>; secret: string } {
  const auth = authConfig(env());
  if (auth.mode !== 'oidc' || !auth.oidc || !auth.sessionSecret)
    throw new ApiError(
      404,
      'not_found',
      `signing in here is for AUTH_MODE=oidc; this server runs AUTH_MODE=${auth.mode}`,
    );
  return { auth, oidc: auth.oidc, secret: auth.sessionSecret };
}

function cookieOptions(request: NextRequest, maxAge: number, path = '/') {
  return {
    httpOnly: true,
    sameSite: 'lax' as const,
    path,
    maxAge,
    secure: request.nextUrl.protocol === 'https:',
  };
}

/**
 * A redirect within this site, as a relative Location: NextRequest's URL says `localhost` for
 * 127.0.0.1, and a browser that came by another name would lose its cookies there.
 */
function redirectHere(path: string): NextResponse {
  return new NextResponse(null, { status: 303, headers: { location: path, 'cache-control': 'no-store' } });
}

/** This server's origin as the browser addressed it (the Host header), for the OIDC redirect_uri. */
function requestOrigin(request: NextRequest): string {
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host') ?? request.nextUrl.host;
  const proto = request.headers.get('x-forwarded-proto') ?? request.nextUrl.protocol.replace(':', '');
  return `${proto === 'https' ? 'https' : 'http'}://${host}`;
}

export async function meResponse(request: Request): Promise<Response> {
  const identity = await authorizeRead(request);
  const body: MeResponse = { ...identity, mode: env().AUTH_MODE };
  return json(body);
}

export async function loginResponse(request: NextRequest): Promise<Response> {
  const { oidc, secret } = oidcSettings();
  const redirectUri = oidc.redirectUrl ?? `${requestOrigin(request)}/api/auth/callback`;
  const next = safeNext(request.nextUrl.searchParams.get('next'));
  let login;
  try {
    login = await beginLogin(oidc, secret, redirectUri, next);
  } catch (error) {
    log.warn('OIDC discovery failed', { error: error instanceof Error ? error.message : String(error) });
    throw new ApiError(502, 'idp_unavailable', 'the identity provider could not be reached; try again shortly');
  }
  const response = NextResponse.redirect(login.url, 303);
  response.cookies.set(LOGIN_COOKIE, login.cookie, cookieOptions(request, LOGIN_MAX_AGE_SECONDS, '/api/auth'));
  response.headers.set('cache-control', 'no-store');
  return response;
}

export async function callbackResponse(request: NextRequest): Promise<Response> {
  const { auth, oidc, secret } = oidcSettings();
  const providerError = request.nextUrl.searchParams.get('error');
  if (providerError)
    throw new ApiError(400, 'login_refused', `the identity provider refused: ${providerError.slice(0, 200)}`);
  let outcome;
  try {
    outcome = await finishLogin(oidc, secret, request.nextUrl.search, request.cookies.get(LOGIN_COOKIE)?.value);
  } catch (error) {
    if (error instanceof LoginError) {
      log.warn('OIDC sign-in refused', { error: error.message });
      throw new ApiError(400, 'login_failed', error.message.slice(0, 300), { cause: error });
    }
    // Discovery or userinfo could not reach the provider.
    log.warn('OIDC provider unreachable', { error: error instanceof Error ? error.message : String(error) });
    throw new ApiError(502, 'idp_unavailable', 'the identity provider could not be reached; try again shortly', {
      cause: error,
    });
  }
  const response = redirectHere(outcome.next);
  const session = await sealSession(outcome.identity, secret, auth.sessionMaxAgeSeconds);
  response.cookies.set(SESSION_COOKIE, session, cookieOptions(request, auth.sessionMaxAgeSeconds));
  response.cookies.set(LOGIN_COOKIE, '', cookieOptions(request, 0, '/api/auth'));
  log.info('signed in', { actor: outcome.identity.actor, role: outcome.identity.role });
  return response;
}

/** POST only, same-site only: another site cannot sign a user out either. */
export async function logoutResponse(request: NextRequest): Promise<Response> {
  if (isCrossSite(request)) throw new ApiError(403, 'cross_site', 'cross-site writes are refused');
  const response = redirectHere('/signed-out');
  response.cookies.set(SESSION_COOKIE, '', cookieOptions(request, 0));
  return response;
}
