import { createHash, randomBytes } from 'node:crypto';
import { ROLES, type Identity } from './identity';

/**
 * API tokens (sql/016_api_tokens.sql): `fm_` and 43 base64url characters (256 random bits).
 * Only their SHA-256 is stored; a fast hash is enough for a random 256-bit secret, which no
 * dictionary holds (bcrypt is for the passwords people choose).
 */
export const TOKEN_PATTERN = /^fm_[A-Za-z0-9_-]{43}$/;
export const TOKEN_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

export function newApiToken(): string {
  return `fm_${randomBytes(32).toString('base64url')}`;
}

export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** The token of an `Authorization: Bearer …` header, when it has a token's shape. */
export function bearerToken(header: string | null): string | undefined {
  const match = header ? /^bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match && TOKEN_PATTERN.test(match[1]!) ? match[1] : undefined;
}

export type TokenLookup = (hash: string) => Promise<{ name: string; role: string } | undefined>;

export async function identifyToken(header: string | null, lookup: TokenLookup): Promise<Identity | undefined> {
  const token = bearerToken(header);
  if (!token) return undefined;
  const row = await lookup(hashApiToken(token));
  const role = ROLES.find((candidate) => candidate === row?.role);
  return row && role ? { actor: `token:${row.name}`, role, source: 'token' } : undefined;
}
