import { apiTokenRole } from '../queries/api-tokens';
import { env } from '../server/env';
import { ApiError } from '../shared/api-error';
import { authConfig } from './config';
import { roleAtLeast, type Identity, type Role } from './identity';
import { resolveIdentity } from './resolve';

/**
 * The one check of every write route: who is asking (401 without identity), with what role
 * (403 when too small), and from where (403 for a cross-site request). Route handlers call it
 * first and use the identity it returns as the audit log's actor:
 *
 *   const identity = await authorizeWrite(request, 'operator');   // throws ApiError 401/403
 *
 * `identify` resolves the request under AUTH_MODE (lib/auth/resolve.ts): AUTH_MODE none (the
 * local demo) is an admin called "anonymous"; an API token is `token:NAME`.
 */
export async function identify(request: Request): Promise<Identity | undefined> {
  return resolveIdentity(request, authConfig(env()), apiTokenRole);
}

/** Same-origin check for writes: `Sec-Fetch-Site`, else `Origin` against the request's host. */
export function isCrossSite(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.get('origin');
  if (!origin) return false; // not a browser (curl, ops, a token client)
  const host = request.headers.get('x-forwarded-host') ?? request.headers.get('host');
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}

export async function authorizeWrite(request: Request, needed: Role): Promise<Identity> {
  if (isCrossSite(request)) throw new ApiError(403, 'cross_site', 'cross-site writes are refused');
  const identity = await identify(request);
  if (!identity) throw new ApiError(401, 'unauthorized', 'authentication required');
  if (!roleAtLeast(identity.role, needed))
    throw new ApiError(403, 'forbidden', `this needs the ${needed} role; you have ${identity.role}`);
  return identity;
}

export async function authorizeRead(request: Request): Promise<Identity> {
  const identity = await identify(request);
  if (!identity) throw new ApiError(401, 'unauthorized', 'authentication required');
  return identity;
}
