import { describe, expect, test } from 'vitest';
import { bearerToken, TOKEN_PATTERN, newApiToken } from '../../lib/auth/api-tokens';
import { parseUsersFile } from '../../lib/auth/basic';
import { safeNext } from '../../lib/auth/oidc';
import { groupsFromClaim, roleFromGroups } from '../../lib/auth/role-groups';

const HASH = `$2b$04$${'a'.repeat(53)}`;

describe('the users file', () => {
  test('reads user:hash:role lines, skipping comments and blank lines', () => {
    expect(parseUsersFile(`# who\n\nvera:${HASH}:viewer\r\n  otto:${HASH}:operator  \n`)).toEqual([
      { user: 'vera', hash: HASH, role: 'viewer' },
      { user: 'otto', hash: HASH, role: 'operator' },
    ]);
  });

  test.each([
    ['vera', 'BASIC_AUTH_USERS_FILE line 1: expected user:bcrypt-hash:role'],
    [`:${HASH}:viewer`, 'BASIC_AUTH_USERS_FILE line 1: expected user:bcrypt-hash:role'],
    [`# ok\nvera:secret:viewer`, 'BASIC_AUTH_USERS_FILE line 2: the hash of "vera" is not a bcrypt hash ($2b$…)'],
    [`vera:${HASH}:root`, 'BASIC_AUTH_USERS_FILE line 1: role must be one of viewer, operator, admin, not "root"'],
    [`vera:${HASH}:viewer\nvera:${HASH}:admin`, 'BASIC_AUTH_USERS_FILE line 2: "vera" is listed twice'],
  ])('%j is refused: %s', (text, message) => {
    expect(() => parseUsersFile(text)).toThrow(message);
  });
});

describe('where a sign-in may send the browser back to', () => {
  test.each([
    ['/pairs/EURUSD/5m?x=1', '/pairs/EURUSD/5m?x=1'],
    ['/', '/'],
    [null, '/'],
    ['', '/'],
    ['//evil.example/x', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['javascript:alert(1)', '/'],
    ['/a\nb', '/'],
    [`/${'x'.repeat(3000)}`, '/'],
  ])('%j → %j', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });
});

describe('groups to roles', () => {
  const mapping = [
    { role: 'admin', group: 'frontier-admins' },
    { role: 'operator', group: 'frontier-ops' },
    { role: 'operator', group: 'sre' },
  ] as const;
  test.each<[unknown, string]>([
    [['frontier-admins'], 'admin'],
    [['sre', 'frontier-admins'], 'admin'],
    ['sre dev', 'operator'],
    ['dev,frontier-ops', 'operator'],
    [['FRONTIER-ADMINS'], 'viewer'],
    [[], 'viewer'],
    [undefined, 'viewer'],
    [42, 'viewer'],
    [[7, 'frontier-ops'], 'operator'],
  ])('%j → %s', (claim, role) => {
    expect(roleFromGroups(groupsFromClaim(claim), mapping)).toBe(role);
  });
});

test('API tokens: 256 random bits in a recognisable shape; only that shape is looked up', () => {
  const token = newApiToken();
  expect(token).toMatch(TOKEN_PATTERN);
  expect(newApiToken()).not.toBe(token);
  expect(bearerToken(`Bearer ${token}`)).toBe(token);
  expect(bearerToken(`bearer   ${token}  `)).toBe(token);
  expect(bearerToken(`Bearer ${token}x`)).toBeUndefined();
  expect(bearerToken(`Basic ${token}`)).toBeUndefined();
  expect(bearerToken(`Bearer ${token} extra`)).toBeUndefined();
  expect(bearerToken(null)).toBeUndefined();
});
