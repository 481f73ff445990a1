import type { Role } from './identity';

export interface RoleGroup {
  role: Role;
  group: string;
}

/**
 * The role a set of groups earns: the highest role one of the groups is mapped to
 * (OIDC_ROLE_GROUPS / PROXY_ROLE_GROUPS), else viewer. Everyone the provider or the proxy lets
 * in may read; writing takes a group that says so.
 */
export function roleFromGroups(groups: readonly string[], mapping: readonly RoleGroup[]): Role {
  const held = new Set(groups);
  if (mapping.some((entry) => entry.role === 'admin' && held.has(entry.group))) return 'admin';
  if (mapping.some((entry) => entry.role === 'operator' && held.has(entry.group))) return 'operator';
  return 'viewer';
}

/** A groups claim as providers send it: an array of strings, or one string of names separated by commas or spaces. */
export function groupsFromClaim(claim: unknown): string[] {
  if (Array.isArray(claim)) return claim.filter((item): item is string => typeof item === 'string');
  if (typeof claim === 'string') return claim.split(/[,\s]+/).filter(Boolean);
  return [];
}
