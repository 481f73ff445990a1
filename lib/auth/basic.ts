import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import bcrypt from 'bcryptjs';
import { safeEqual } from '../server/security';
import { ROLES, type Identity, type Role } from './identity';

/**
 * AUTH_MODE=basic: the single BASIC_AUTH_USER (an admin, as it always could do everything), and
 * the users of BASIC_AUTH_USERS_FILE, one `user:bcrypt-hash:role` a line (# comments).
 */
export interface BasicUser {
  user: string;
  hash: string;
  role: Role;
}

export class UsersFileError extends Error {}

export function parseUsersFile(text: string, file = 'BASIC_AUTH_USERS_FILE'): BasicUser[] {
  const users: BasicUser[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const where = `${file} line ${index + 1}`;
    // The hash holds no colon ($2b$12$…), so user:hash:role splits unambiguously from both ends.
    const first = line.indexOf(':');
    const last = line.lastIndexOf(':');
    if (first <= 0 || last === first) throw new UsersFileError(`${where}: expected user:bcrypt-hash:role`);
    const [user, hash, role] = [line.slice(0, first), line.slice(first + 1, last), line.slice(last + 1)];
    if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash))
      throw new UsersFileError(`${where}: the hash of ${JSON.stringify(user)} is not a bcrypt hash ($2b$…)`);
    const known = ROLES.find((candidate) => candidate === role);
    if (!known)
      throw new UsersFileError(`${where}: role must be one of ${ROLES.join(', ')}, not ${JSON.stringify(role)}`);
    if (users.some((other) => other.user === user))
      throw new UsersFileError(`${where}: ${JSON.stringify(user)} is listed twice`);
    users.push({ user, hash, role: known });
  });
  return users;
}

let loaded: { file: string; mtimeMs: number; users: BasicUser[] } | undefined;

/** The file's users, read again when it changes (adding a user needs no restart). */
export function usersFromFile(file: string): BasicUser[] {
  const mtimeMs = statSync(file).mtimeMs;
  if (!loaded || loaded.file !== file || loaded.mtimeMs !== mtimeMs) {
    loaded = { file, mtimeMs, users: parseUsersFile(readFileSync(file, 'utf8'), file) };
    verified.clear();
  }
  return loaded.users;
}

export function parseBasicHeader(header: string | null): { user: string; password: string } | undefined {
  if (!header || !/^basic /i.test(header)) return undefined;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

// bcrypt is slow on purpose (tens of ms in JavaScript): a browser sends its credentials with
// every poll, so a pair that checked out is remembered for a minute, by a digest, never in clear.
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 1_000;
const verified = new Map<string, { role: Role; until: number }>();

export interface BasicConfig {
  user?: string;
  password?: string;
  usersFile?: string;
}

export async function identifyBasic(
  header: string | null,
  config: BasicConfig,
  now = Date.now(),
): Promise<Identity | undefined> {
  const given = parseBasicHeader(header);
  if (!given) return undefined;
  if (config.user && config.password) {
    // Both compared, always, so the time taken does not say which one was wrong.
    const userOk = safeEqual(given.user, config.user);
    const passwordOk = safeEqual(given.password, config.password);
    if (userOk && passwordOk) return { actor: config.user, role: 'admin', source: 'basic' };
  }
  if (!config.usersFile) return undefined;
  const users = usersFromFile(config.usersFile);
  const digest = createHash('sha256').update(`${given.user}\u0000${given.password}`).digest('base64');
  const remembered = verified.get(digest);
  if (remembered && remembered.until > now) return { actor: given.user, role: remembered.role, source: 'basic' };
  const entry = users.find((candidate) => candidate.user === given.user);
  if (!entry || !(await bcrypt.compare(given.password, entry.hash))) return undefined;
  if (verified.size >= VERIFIED_MAX) verified.clear();
  verified.set(digest, { role: entry.role, until: now + VERIFIED_TTL_MS });
  return { actor: entry.user, role: entry.role, source: 'basic' };
}
