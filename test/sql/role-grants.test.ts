// db:migrate's check that the roles of db/roles/ hold what their files grant: a migration that
// adds an action function or a table the dashboard reads leaves an existing role without it.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeMissingGrants, missingRoleGrants, parseRoleGrants, ROLE_FILES } from '../../lib/server/role-grants';
import { createActionsRole } from '../actions/support';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { readFileSync } from 'node:fs';

const ACTIONS_FILE = ROLE_FILES.find((file) => file.endsWith('actions.sql'))!;

describe('parseRoleGrants', () => {
  test('reads every object of multi-line GRANT lists, signatures whole', () => {
    const grants = parseRoleGrants(`-- GRANT SELECT ON commented_out TO nobody;
      GRANT SELECT ON a, b TO r1;
      GRANT EXECUTE ON FUNCTION
        f(text, text),
        g(text, timestamptz, boolean)
        TO r2;
      GRANT pg_read_all_stats TO r1;
      REVOKE ALL ON ALL TABLES IN SCHEMA public FROM r1;`);
    expect(grants).toEqual([
      { role: 'r1', privilege: 'SELECT', object: 'a' },
      { role: 'r1', privilege: 'SELECT', object: 'b' },
      { role: 'r2', privilege: 'EXECUTE', object: 'f(text, text)' },
      { role: 'r2', privilege: 'EXECUTE', object: 'g(text, timestamptz, boolean)' },
    ]);
  });

  test('finds the grants of the shipped role files', () => {
    const grants = ROLE_FILES.flatMap((file) => parseRoleGrants(readFileSync(file, 'utf8')));
    expect(grants).toContainEqual({ role: 'frontier_dashboard', privilege: 'SELECT', object: 'acknowledgements' });
    expect(grants).toContainEqual({
      role: 'frontier_actions',
      privilege: 'EXECUTE',
      object: 'owner_remove(text, text, text, text, text)',
    });
  });
});

describe('missingRoleGrants', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db?.drop());

  test('a role that lost a grant is named with the file to run again; after running it, nothing', async () => {
    await createActionsRole(db);
    const client = await db.pool.connect();
    try {
      expect(await missingRoleGrants(client, [ACTIONS_FILE])).toEqual([]);
      // As after a migration that added the function: the role does not hold it yet.
      await db.sql('REVOKE EXECUTE ON FUNCTION owner_remove(text, text, text, text, text) FROM frontier_actions');
      const missing = await missingRoleGrants(client, [ACTIONS_FILE]);
      expect(missing).toEqual([
        {
          role: 'frontier_actions',
          file: path.join('db', 'roles', 'actions.sql'),
          missing: [
            { role: 'frontier_actions', privilege: 'EXECUTE', object: 'owner_remove(text, text, text, text, text)' },
          ],
        },
      ]);
      expect(describeMissingGrants(missing[0]!)).toBe(
        'frontier_actions lacks EXECUTE on owner_remove(text, text, text, text, text): run psql "$DATABASE_URL" -f db/roles/actions.sql again (it names each object it grants)',
      );
      await createActionsRole(db);
      expect(await missingRoleGrants(client, [ACTIONS_FILE])).toEqual([]);
    } finally {
      client.release();
    }
  });
});
