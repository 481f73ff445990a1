import { createHash } from 'node:crypto';
import { EncryptJWT, jwtDecrypt } from 'jose';
import { ROLES, type Identity, type IdentitySource } from './identity';

/**
 * The signed-in session: an encrypted JWT (JWE, dir + A256GCM: encrypted and authenticated in
 * one, so a changed byte fails to open) in an HttpOnly, SameSite=Lax cookie. The key is the
 * SHA-256 of SESSION_SECRET; changing the secret signs everyone out.
 */
export const SESSION_COOKIE = 'fm_session';
const SESSION_SOURCES: readonly IdentitySource[] = ['basic', 'oidc', 'proxy'];

function key(secret: string): Uint8Array {
  return createHash('sha256').update(`frontier-session:${secret}`).digest();
}

export async function sealSession(
  identity: Identity,
  secret: string,
  maxAgeSeconds: number,
  now = Date.now(),
): Promise<string> {
  const issued = Math.floor(now / 1000);
  return new EncryptJWT({ role: identity.role, src: identity.source })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setSubject(identity.actor)
    .setIssuedAt(issued)
    .setExpirationTime(issued + maxAgeSeconds)
    .encrypt(key(secret));
}

/** The session's identity, or undefined when the cookie is missing, expired, tampered with or malformed. */
export async function openSession(
  value: string | undefined,
  secret: string,
  now = Date.now(),
): Promise<Identity | undefined> {
  if (!value || value.length > 8192) return undefined;
  try {
    const { payload } = await jwtDecrypt(value, key(secret), {
      currentDate: new Date(now),
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      requiredClaims: ['exp', 'sub'],
    });
    const role = ROLES.find((candidate) => candidate === payload.role);
    const source = SESSION_SOURCES.find((candidate) => candidate === payload.src);
    if (!role || !source || !payload.sub) return undefined;
    return { actor: payload.sub, role, source };
  } catch {
    return undefined;
  }
}

/** Sealing for the OIDC login's short-lived state (verifier, state, nonce, where to go back). */
export async function sealValue(value: Record<string, string>, secret: string, maxAgeSeconds: number): Promise<string> {
  return new EncryptJWT(value)
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt()
    .setExpirationTime(`${maxAgeSeconds}s`)
    .encrypt(key(`login:${secret}`));
}

export async function openValue(
  value: string | undefined,
  secret: string,
): Promise<Record<string, string> | undefined> {
  if (!value || value.length > 8192) return undefined;
  try {
    const { payload } = await jwtDecrypt(value, key(`login:${secret}`), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      requiredClaims: ['exp'],
    });
    const result: Record<string, string> = {};
    for (const [name, item] of Object.entries(payload)) if (typeof item === 'string') result[name] = item;
    return result;
  } catch {
    return undefined;
  }
}
