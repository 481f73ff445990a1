import { NextResponse, type NextRequest } from 'next/server';
import { decideAccess } from './lib/auth/access';
import { authorizeRead } from './lib/auth/authorize';
import { authConfig } from './lib/auth/config';
import { resolveIdentity } from './lib/auth/resolve';
import { apiTokenRole } from './lib/queries/api-tokens';
import { env } from './lib/server/env';
import { KIOSK_COOKIE, kioskCookieValue, safeEqual, securityHeaders } from './lib/server/security';
import { ApiError } from './lib/shared/api-error';
import { ACCESS_CHECK_HEADER, RAW_PATH_HEADER } from './lib/shared/request-headers';

/**
 * Access control and security headers for every page and API route (lib/auth/access.ts says
 * who may reach what). Next.js 16 runs proxy.ts on the Node.js runtime, so the identity is
 * resolved here in full, API tokens included; write routes check the role themselves
 * (lib/auth/authorize.ts).
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  const config = env();
  const auth = authConfig(config);
  const { pathname, searchParams } = request.nextUrl;
  if (!decodable(pathname)) {
    // Next.js would answer a bare 500 text page for a broken %-escape before any handler runs.
    return NextResponse.json(
      { error: { code: 'bad_request', message: 'the path has an invalid %-escape' } },
      { status: 400 },
    );
  }
  const tokenParam = searchParams.get('token');
  const decision = decideAccess({
    mode: auth.mode,
    kioskConfigured: Boolean(auth.kioskToken),
    pathname,
    method: request.method,
    identity: await resolveIdentity(request, auth, apiTokenRole),
    kioskTokenParamValid: Boolean(auth.kioskToken && tokenParam !== null && safeEqual(tokenParam, auth.kioskToken)),
  });
  const nonce = Buffer.from(crypto.randomUUID()).toString('base64');
  const headers = securityHeaders(nonce, config.FRAME_ANCESTORS, process.env.NODE_ENV === 'development');

  let response: NextResponse;
  if (!decision.allow && decision.challenge === 'login') {
    // On the host the browser used (NextRequest's URL says `localhost` for 127.0.0.1, where the
    // cookies would not follow); Next.js wants an absolute URL here and sends it as a path.
    const next = new URLSearchParams({ next: `${pathname}${request.nextUrl.search}` });
    const host = request.headers.get('host') ?? request.nextUrl.host;
    response = NextResponse.redirect(`${request.nextUrl.protocol}//${host}/api/auth/login?${next}`, 303);
  } else if (!decision.allow) {
    response = NextResponse.json(
      { error: { code: decision.status === 401 ? 'unauthorized' : 'forbidden', message: decision.reason } },
      { status: decision.status },
    );
    if (decision.challenge === 'basic')
      response.headers.set('WWW-Authenticate', 'Basic realm="Frontier Monitor", charset="UTF-8"');
  } else if (request.headers.get(ACCESS_CHECK_HEADER) === '1') {
    // deploy/nginx asks before it serves a cached answer: the same rules (and a route's own read
    // check) for this path and these credentials; 204 and the route does not run.
    response = await accessCheck(request);
  } else if (decision.setKioskCookie && request.method === 'GET' && pathname === '/wall') {
    // Trade the token in the URL for a cookie, so it leaves the address bar and the history.
    const clean = request.nextUrl.clone();
    clean.searchParams.delete('token');
    response = NextResponse.redirect(clean, 303);
    response.cookies.set(KIOSK_COOKIE, kioskCookieValue(auth.kioskToken!), {
      httpOnly: true,
      sameSite: 'strict',
      path: '/',
      maxAge: 60 * 60 * 24 * 365,
      secure: request.nextUrl.protocol === 'https:',
    });
  } else {
    const requestHeaders = new Headers(request.headers);
    requestHeaders.set('x-nonce', nonce);
    requestHeaders.set('Content-Security-Policy', headers['Content-Security-Policy']!);
    // The path as the browser sent it, still %-encoded: the pair page decodes its segments from
    // it exactly once (Next.js hands pages their params decoded for some characters, not others).
    requestHeaders.set(RAW_PATH_HEADER, pathname);
    response = NextResponse.next({ request: { headers: requestHeaders } });
  }
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

async function accessCheck(request: NextRequest): Promise<NextResponse> {
  try {
    await authorizeRead(request);
    return new NextResponse(null, { status: 204 });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return NextResponse.json({ error: { code: error.code, message: error.message } }, { status: error.status });
  }
}

function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export const config = {
  matcher: ['/((?!_next/static|_next/image|favicon.ico).*)'],
};
