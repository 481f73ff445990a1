import { safeEqual } from '../server/security';
import type { Identity } from './identity';
import { groupsFromClaim, roleFromGroups, type RoleGroup } from './role-groups';

/**
 * AUTH_MODE=proxy: an auth proxy in front (oauth2-proxy and the like) has signed the user in and
 * says who it is in headers. Anyone can send those headers, so they count only on a request that
 * carries the proxy's shared secret (x-proxy-secret, compared in constant time) or comes from one
 * of PROXY_TRUSTED_ADDRESSES.
 */
export const PROXY_SECRET_HEADER = 'x-proxy-secret';

export interface ProxyConfig {
  userHeader: string;
  groupsHeader: string;
  secret?: string;
  trustedAddresses: readonly string[];
  roleGroups: readonly RoleGroup[];
}

export interface ProxyRequest {
  headers: Headers;
  /** The peer's address as the server saw it, when known. */
  remoteAddress: string | undefined;
}

export function proxyTrusted(config: ProxyConfig, request: ProxyRequest): boolean {
  if (config.secret) {
    const given = request.headers.get(PROXY_SECRET_HEADER);
    if (given !== null && safeEqual(given, config.secret)) return true;
  }
  const address = normalizeAddress(request.remoteAddress);
  return address !== undefined && config.trustedAddresses.some((trusted) => normalizeAddress(trusted) === address);
}

/** `::ffff:10.0.0.5` is 10.0.0.5 arriving over IPv6. */
function normalizeAddress(address: string | undefined): string | undefined {
  const trimmed = address?.trim().toLowerCase();
  if (!trimmed) return undefined;
  return trimmed.startsWith('::ffff:') && trimmed.includes('.') ? trimmed.slice(7) : trimmed;
}

export function identifyProxy(config: ProxyConfig, request: ProxyRequest): Identity | undefined {
  if (!proxyTrusted(config, request)) return undefined;
  const user = request.headers.get(config.userHeader)?.trim();
  // A name a person could read in the audit log: printable, bounded.
  if (!user || user.length > 256 || /[\u0000-\u001f\u007f]/.test(user)) return undefined;
  const groups = groupsFromClaim(request.headers.get(config.groupsHeader) ?? '');
  return { actor: user, role: roleFromGroups(groups, config.roleGroups), source: 'proxy' };
}
