import { describe, expect, test } from 'vitest';
import { ROLES, roleAtLeast, type Role } from '../../lib/auth/identity';

// Every write route's role check (lib/auth/authorize.ts) and the action functions' (SQL
// agg_action_check) follow this order: viewer < operator < admin.
describe('roleAtLeast', () => {
  const table: [Role, Role, boolean][] = [
    ['viewer', 'viewer', true],
    ['viewer', 'operator', false],
    ['viewer', 'admin', false],
    ['operator', 'viewer', true],
    ['operator', 'operator', true],
    ['operator', 'admin', false],
    ['admin', 'viewer', true],
    ['admin', 'operator', true],
    ['admin', 'admin', true],
  ];
  test.each(table)('%s has the rights of %s: %s', (role, needed, expected) => {
    expect(roleAtLeast(role, needed)).toBe(expected);
  });

  test('the table covers every pair of roles', () => {
    expect(table.map(([role, needed]) => `${role}/${needed}`).sort()).toEqual(
      ROLES.flatMap((role) => ROLES.map((needed) => `${role}/${needed}`)).sort(),
    );
  });
});
