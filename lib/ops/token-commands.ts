import { userInfo } from 'node:os';
import type pg from 'pg';
import { hashApiToken, newApiToken, TOKEN_NAME_PATTERN } from '../auth/api-tokens';
import { ROLES, type Role } from '../auth/identity';
import { OpsFailure, UsageError } from './errors';
import { formatTable } from './table';

/**
 * `token create --name NAME --role ROLE | list | revoke NAME` (sql/016_api_tokens.sql). The new
 * token is printed once, as the last line, so a script can take it with `tail -n 1`; only its
 * SHA-256 is kept. Each change appends to the audit log (record_operator_action, source 'ops').
 */
export type TokenCommand =
  | { kind: 'token'; action: 'create'; name: string; role: Role }
  | { kind: 'token'; action: 'list' }
  | { kind: 'token'; action: 'revoke'; name: string };

export const TOKEN_USAGE = `
  token create --name NAME --role viewer|operator|admin
                                 a new API token (Authorization: Bearer …), printed once as
                                 the last line; only its hash is stored
  token list                     the tokens' names, roles and dates (never the tokens)
  token revoke NAME              the token stops working at once; its name stays taken`;

function nameArg(value: string | undefined): string {
  if (!value) throw new UsageError('token: missing NAME');
  if (!TOKEN_NAME_PATTERN.test(value))
    throw new UsageError(`token: not a token name: ${JSON.stringify(value)} (letters, digits, _ . -; at most 63)`);
  return value;
}

export function parseTokenArgs(rest: string[]): TokenCommand {
  const [action, ...args] = rest;
  if (action === 'list') {
    if (args.length) throw new UsageError(`token list: unexpected argument ${JSON.stringify(args[0])}`);
    return { kind: 'token', action };
  }
  if (action === 'revoke') {
    if (args.length > 1) throw new UsageError(`token revoke: unexpected argument ${JSON.stringify(args[1])}`);
    return { kind: 'token', action, name: nameArg(args[0]) };
  }
  if (action !== 'create') throw new UsageError('token needs create, list or revoke');
  let name: string | undefined;
  let role: string | undefined;
  for (let i = 0; i < args.length; i += 2) {
    const [flag, value] = [args[i], args[i + 1]];
    if (flag !== '--name' && flag !== '--role')
      throw new UsageError(`token create: unexpected argument ${JSON.stringify(flag)} (use --name NAME --role ROLE)`);
    if (value === undefined || value.startsWith('--')) throw new UsageError(`token create: ${flag} needs a value`);
    if ((flag === '--name' ? name : role) !== undefined)
      throw new UsageError(`token create: ${flag} is given more than once`);
    if (flag === '--name') name = value;
    else role = value;
  }
  const known = ROLES.find((candidate) => candidate === role);
  if (!known) throw new UsageError(`token create: --role must be one of ${ROLES.join(', ')}`);
  return { kind: 'token', action, name: nameArg(name), role: known };
}

/** Who ran the command, for the audit log. */
function opsActor(): string {
  try {
    return `ops:${userInfo().username}`;
  } catch {
    return 'ops';
  }
}

async function audited(
  client: pg.ClientBase,
  action: string,
  target: string,
  args: Record<string, unknown>,
  change: () => Promise<Record<string, unknown>>,
): Promise<void> {
  await client.query('BEGIN');
  try {
    const result = await change();
    await client.query('SELECT record_operator_action($1, $2, $3, $4, $5, $6, $7, $8)', [
      opsActor(),
      'admin',
      'ops',
      action,
      target,
      JSON.stringify(args),
      JSON.stringify(result),
      true,
    ]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

export async function runTokenCommand(client: pg.ClientBase, command: TokenCommand): Promise<string[]> {
  switch (command.action) {
    case 'create': {
      const token = newApiToken();
      await audited(
        client,
        'token.create',
        `token:${command.name}`,
        { name: command.name, role: command.role },
        async () => {
          const inserted = await client.query(
            `INSERT INTO api_tokens (name, token_sha256, role) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`,
            [command.name, hashApiToken(token), command.role],
          );
          if (inserted.rowCount === 0)
            throw new OpsFailure(`a token named ${command.name} exists already (names stay taken after a revoke)`);
          return { created: true };
        },
      );
      return [
        `created API token ${command.name} (role ${command.role}); it is shown once, here, and stored only as a hash:`,
        token,
      ];
    }
    case 'list': {
      const result = await client.query(
        `SELECT name, role, created_at, revoked_at FROM api_tokens ORDER BY revoked_at IS NOT NULL, name`,
      );
      if (result.rows.length === 0)
        return ['no API tokens (create one: npm run ops -- token create --name NAME --role viewer)'];
      return formatTable(result.rows, [
        ['name', 'name'],
        ['role', 'role'],
        ['created_at', 'created'],
        ['revoked_at', 'revoked'],
      ]);
    }
    case 'revoke': {
      let when: Date | undefined;
      await audited(client, 'token.revoke', `token:${command.name}`, { name: command.name }, async () => {
        const revoked = await client.query<{ revoked_at: Date }>(
          `UPDATE api_tokens SET revoked_at = now() WHERE name = $1 AND revoked_at IS NULL RETURNING revoked_at`,
          [command.name],
        );
        if (revoked.rows.length === 0) {
          const exists = await client.query('SELECT 1 FROM api_tokens WHERE name = $1', [command.name]);
          throw new OpsFailure(
            exists.rows.length ? `token ${command.name} is already revoked` : `no token named ${command.name}`,
          );
        }
        when = revoked.rows[0]!.revoked_at;
        return { revoked: true };
      });
      return [`revoked API token ${command.name} at ${when!.toISOString()}; it opens nothing from now on`];
    }
  }
}
