import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../lib/server/embedded-postgres';
import { migrateDatabase } from '../lib/server/migrate';
import { e2eEnvironment } from './fixtures/environment';
import { seedDatabase } from './fixtures/seed';

/**
 * One embedded PostgreSQL for the browser tests: migrated, seeded with deterministic data
 * (e2e/fixtures/seed.ts), on the port the webServer's DATABASE_URL already names. A control
 * endpoint lets the outage spec stop it and start it again on the same data directory and
 * port. The returned function is the teardown.
 *
 * The app servers connect as the read-only role of db/roles/dashboard-readonly.sql, created
 * here after seeding, with the password their DATABASE_URL already names.
 *
 * The data directory is a fresh temp directory removed at teardown. The server itself runs
 * with persistent: true because embedded-postgres deletes a non-persistent directory on every
 * stop, and the outage test must restart the same data.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  const environment = e2eEnvironment();
  const root = mkdtempSync(path.join(os.tmpdir(), 'frontier-e2e-pg-'));
  chmodSync(root, 0o755); // initdb runs as the unprivileged postgres user when we are root
  const dataDir = path.join(root, 'data');
  const start = () => startEmbeddedPostgres({ dataDir, port: environment.dbPort, persistent: true });

  let database: EmbeddedDatabase | null = await start();
  if (database.url !== environment.databaseUrl) {
    throw new Error(`embedded database URL ${database.url} differs from the webServer's ${environment.databaseUrl}`);
  }
  await migrateDatabase(database.url);
  await seedDatabase(database.url);
  await createDashboardRole(database.url, environment.dashboardPassword);
  await createRole(database.url, 'actions.sql', 'frontier_actions', environment.actionsPassword);

  // One action at a time: a start racing a stop would leave the server in an unknown state.
  let queue: Promise<unknown> = Promise.resolve();
  const control = http.createServer((request, response) => {
    const action = request.method === 'POST' ? request.url : null;
    const run = async () => {
      if (action === '/db/stop') {
        await database?.stop();
        database = null;
      } else if (action === '/db/start') {
        database ??= await start();
      } else {
        throw Object.assign(new Error(`unknown control request ${request.method} ${request.url}`), { status: 404 });
      }
    };
    queue = queue.then(run).then(
      () => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
      (error: Error & { status?: number }) => response.writeHead(error.status ?? 500).end(error.message),
    );
  });
  await new Promise<void>((resolve, reject) => {
    control.once('error', reject);
    control.listen(environment.controlPort, '127.0.0.1', resolve);
  });

  return async () => {
    await new Promise<void>((resolve) => control.close(() => resolve()));
    await queue.catch(() => {});
    await database?.stop();
    rmSync(root, { recursive: true, force: true });
    rmSync(environment.authServerLog, { force: true });
  };
}

/** db/roles/dashboard-readonly.sql as an operator runs it, then the role's password. */
export async function createDashboardRole(url: string, password: string): Promise<void> {
  await createRole(url, 'dashboard-readonly.sql', 'frontier_dashboard', password);
}

/** A db/roles/ file as an operator runs it, then the role's password. */
async function createRole(url: string, file: string, role: string, password: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(readFileSync(path.join(import.meta.dirname, '..', 'db', 'roles', file), 'utf8'));
    const { rows } = await client.query<{ sql: string }>(
      `SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text) AS sql`,
      [role, password],
    );
    await client.query(rows[0]!.sql);
  } finally {
    await client.end();
  }
}
