/** Who is asking, as every write route and the audit log see it. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Where the identity came from: the auth mode, an API token, or the wall's kiosk token. */
export type IdentitySource = 'none' | 'basic' | 'oidc' | 'proxy' | 'token' | 'kiosk';

export interface Identity {
  /** A user name, an OIDC subject/email, or `token:NAME`. */
  actor: string;
  role: Role;
  source: IdentitySource;
}

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** Does `role` carry at least the rights of `needed`? */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}
