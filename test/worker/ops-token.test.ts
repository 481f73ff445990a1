import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpsArgs, runOpsCommand } from '../../lib/ops/commands';
import { OpsFailure } from '../../lib/ops/errors';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { ROOT, usageErrorOf } from './support';

/** `npm run ops -- token create|list|revoke` against a real database, and what it leaves there. */
describe('ops token', () => {
  let db: TestDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });
  const run = (argv: string[]) => runOpsCommand(client, parseOpsArgs(argv), () => {});
  const lookup = async (token: string) =>
    db.sql(`SELECT name, role FROM api_token_role($1)`, [createHash('sha256').update(token).digest('hex')]);

  it('parses its arguments and refuses bad ones by name', () => {
    expect(parseOpsArgs(['token', 'create', '--name', 'prometheus', '--role', 'viewer'])).toEqual({
      kind: 'token',
      action: 'create',
      name: 'prometheus',
      role: 'viewer',
    });
    expect(parseOpsArgs(['token', 'revoke', 'prometheus'])).toEqual({
      kind: 'token',
      action: 'revoke',
      name: 'prometheus',
    });
    expect(usageErrorOf(['token'])).toBe('token needs create, list or revoke');
    expect(usageErrorOf(['token', 'create', '--name', 'x'])).toBe(
      'token create: --role must be one of viewer, operator, admin',
    );
    expect(usageErrorOf(['token', 'create', '--name', 'x', '--role', 'root'])).toBe(
      'token create: --role must be one of viewer, operator, admin',
    );
    expect(usageErrorOf(['token', 'create', '--role', 'viewer'])).toBe('token: missing NAME');
    expect(usageErrorOf(['token', 'create', '--name', 'a b', '--role', 'viewer'])).toBe(
      'token: not a token name: "a b" (letters, digits, _ . -; at most 63)',
    );
    expect(usageErrorOf(['token', 'create', '--name', '--role', 'viewer'])).toBe('token create: --name needs a value');
    expect(usageErrorOf(['token', 'create', '--name', 'a', '--name', 'b', '--role', 'viewer'])).toBe(
      'token create: --name is given more than once',
    );
    expect(usageErrorOf(['token', 'revoke'])).toBe('token: missing NAME');
    expect(usageErrorOf(['token', 'list', 'extra'])).toBe('token list: unexpected argument "extra"');
  });

  it('creates a token shown once and stored hashed, lists it, revokes it; each change is in the audit log', async () => {
    const created = await run(['token', 'create', '--name', 'prometheus', '--role', 'viewer']);
    expect(created).toHaveLength(2);
    expect(created[0]).toBe(
      'created API token prometheus (role viewer); it is shown once, here, and stored only as a hash:',
    );
    const token = created.at(-1)!;
    expect(token).toMatch(/^fm_[A-Za-z0-9_-]{43}$/);
    const stored = await db.sql<{ token_sha256: string; role: string }>('SELECT token_sha256, role FROM api_tokens');
    expect(stored).toEqual([{ token_sha256: createHash('sha256').update(token).digest('hex'), role: 'viewer' }]);
    expect(JSON.stringify(await db.sql('SELECT * FROM api_tokens'))).not.toContain(token);
    expect(await lookup(token)).toEqual([{ name: 'prometheus', role: 'viewer' }]);
    expect(await lookup(`${token}x`)).toEqual([]);

    await expect(run(['token', 'create', '--name', 'prometheus', '--role', 'admin'])).rejects.toThrow(
      new OpsFailure('a token named prometheus exists already (names stay taken after a revoke)'),
    );
    const second = (await run(['token', 'create', '--name', 'runbook-bot', '--role', 'operator'])).at(-1)!;
    expect(second).not.toBe(token);

    const listed = await run(['token', 'list']);
    expect(listed.slice(0, 2).map((line) => line.split(/\s+/).slice(0, 4))).toEqual([
      ['name', 'role', 'created', 'revoked'],
      [
        expect.stringMatching(/^-+$/),
        expect.stringMatching(/^-+$/),
        expect.stringMatching(/^-+$/),
        expect.stringMatching(/^-+$/),
      ],
    ]);
    expect(listed.slice(2).map((line) => line.split(/\s+/)[0])).toEqual(['prometheus', 'runbook-bot']);
    expect(listed.join('\n')).not.toContain('fm_');

    const revoked = await run(['token', 'revoke', 'prometheus']);
    expect(revoked[0]).toMatch(
      /^revoked API token prometheus at \d{4}-\d\d-\d\dT[\d:.]+Z; it opens nothing from now on$/,
    );
    expect(await lookup(token)).toEqual([]);
    expect(await lookup(second)).toEqual([{ name: 'runbook-bot', role: 'operator' }]);
    await expect(run(['token', 'revoke', 'prometheus'])).rejects.toThrow(
      new OpsFailure('token prometheus is already revoked'),
    );
    await expect(run(['token', 'revoke', 'nobody'])).rejects.toThrow(new OpsFailure('no token named nobody'));
    // Revoked tokens list last, with their date.
    expect((await run(['token', 'list'])).slice(2).map((line) => line.split(/\s+/)[0])).toEqual([
      'runbook-bot',
      'prometheus',
    ]);

    const audit = await db.sql<{
      actor: string;
      role: string;
      source: string;
      action: string;
      target: string;
      args: unknown;
      ok: boolean;
    }>('SELECT actor, role, source, action, target, args, ok FROM operator_actions ORDER BY id');
    expect(audit).toEqual([
      {
        actor: expect.stringMatching(/^ops/),
        role: 'admin',
        source: 'ops',
        action: 'token.create',
        target: 'token:prometheus',
        args: { name: 'prometheus', role: 'viewer' },
        ok: true,
      },
      {
        actor: expect.stringMatching(/^ops/),
        role: 'admin',
        source: 'ops',
        action: 'token.create',
        target: 'token:runbook-bot',
        args: { name: 'runbook-bot', role: 'operator' },
        ok: true,
      },
      {
        actor: expect.stringMatching(/^ops/),
        role: 'admin',
        source: 'ops',
        action: 'token.revoke',
        target: 'token:prometheus',
        args: { name: 'prometheus' },
        ok: true,
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it('npm run ops prints the token as the last line of its output', () => {
    const result = spawnSync('npx', ['tsx', 'scripts/ops.ts', 'token', 'create', '--name', 'cli', '--role', 'admin'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: db.url },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^fm_[A-Za-z0-9_-]{43}$/);
    expect(lines.at(-2)).toBe('created API token cli (role admin); it is shown once, here, and stored only as a hash:');
  });
});
