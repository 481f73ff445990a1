import { query } from '../server/db';

/** The live API token whose SHA-256 is `hash` (api_token_role, sql/definitions/api_token_role.sql). */
export async function apiTokenRole(hash: string): Promise<{ name: string; role: string } | undefined> {
  const rows = await query<{ name: string; role: string }>(
    'api_token_role',
    'SELECT name, role FROM api_token_role($1)',
    [hash],
  );
  return rows[0];
}
