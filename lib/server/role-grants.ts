import { readFileSync } from 'node:fs';
import path from 'node:path';
import type pg from 'pg';

/**
 * The role files of db/roles/ name each table and function they grant, so a migration that adds
 * one (a table the dashboard reads, an action function) leaves an existing role without it until
 * an operator runs the file again. `npm run db:migrate` says so (it never grants by itself: a DBA
 * may have left a grant out on purpose).
 */
export const ROLE_FILES = ['dashboard-readonly.sql', 'actions.sql'].map((name) =>
  path.resolve(process.cwd(), 'db', 'roles', name),
);

export interface RoleGrant {
  role: string;
  privilege: 'SELECT' | 'EXECUTE';
  /** a relation name, or a function's signature as the file writes it */
  object: string;
}

export interface MissingGrants {
  role: string;
  file: string;
  missing: RoleGrant[];
}

/** Splits on commas outside parentheses: `f(text, int), g(text)` → two signatures. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of list) {
    if (char === '(') depth += 1;
    if (char === ')') depth -= 1;
    if (char === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
    } else current += char;
  }
  if (current.trim()) parts.push(current.trim());
  return parts;
}

/** The `GRANT SELECT ON … TO role` and `GRANT EXECUTE ON FUNCTION … TO role` of a role file. */
export function parseRoleGrants(sql: string): RoleGrant[] {
  const text = sql.replace(/--[^\n]*/g, ' ').replace(/\s+/g, ' ');
  const grants: RoleGrant[] = [];
  for (const match of text.matchAll(/GRANT (SELECT|EXECUTE) ON (FUNCTION )?([^;]+?) TO (\w+)\s*;/gi)) {
    const privilege = match[1]!.toUpperCase() as RoleGrant['privilege'];
    if ((privilege === 'EXECUTE') !== Boolean(match[2])) continue;
    for (const object of splitTopLevel(match[3]!)) grants.push({ role: match[4]!, privilege, object });
  }
  return grants;
}

/**
 * For each role of `files` that exists in the database: the grants its file makes that it does
 * not hold, on objects that exist (an object a newer file names and this database lacks is not
 * the role's problem). Empty when every role is up to date or none was created.
 */
export async function missingRoleGrants(client: pg.ClientBase, files = ROLE_FILES): Promise<MissingGrants[]> {
  const result: MissingGrants[] = [];
  for (const file of files) {
    const grants = parseRoleGrants(readFileSync(file, 'utf8'));
    const roles = [...new Set(grants.map((grant) => grant.role))];
    for (const role of roles) {
      const { rows } = await client.query<{ missing: boolean[] }>(
        `SELECT array_agg(CASE
                  WHEN NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) THEN false
                  WHEN g.privilege = 'SELECT' THEN to_regclass(g.object) IS NOT NULL
                       AND NOT has_table_privilege($1, to_regclass(g.object), 'SELECT')
                  ELSE to_regprocedure(g.object) IS NOT NULL
                       AND NOT has_function_privilege($1, to_regprocedure(g.object), 'EXECUTE')
                END ORDER BY g.n) AS missing
           FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS g(privilege, object, n)`,
        [
          role,
          grants.filter((g) => g.role === role).map((g) => g.privilege),
          grants.filter((g) => g.role === role).map((g) => g.object),
        ],
      );
      const ofRole = grants.filter((g) => g.role === role);
      const missing = ofRole.filter((_, i) => rows[0]!.missing[i]);
      if (missing.length) result.push({ role, file: path.relative(process.cwd(), file), missing });
    }
  }
  return result;
}

/** What db:migrate prints for a role that lacks grants. */
export function describeMissingGrants({ role, file, missing }: MissingGrants): string {
  const objects = missing.map((grant) => `${grant.privilege} on ${grant.object}`).join(', ');
  return `${role} lacks ${objects}: run psql "$DATABASE_URL" -f ${file} again (it names each object it grants)`;
}
