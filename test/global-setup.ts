import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../lib/server/embedded-postgres';
import { migrateDatabase } from '../lib/server/migrate';

declare module 'vitest' {
  export interface ProvidedContext {
    /** URL of a database on the test server with the right to CREATE DATABASE. */
    adminUrl: string;
    /** A migrated database that every test database is cloned from. */
    templateDatabase: string;
  }
}

/**
 * One PostgreSQL for the whole run (embedded, or TEST_DATABASE_URL), one migrated
 * template database; each suite clones its own database from it (test/support/database.ts).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server: EmbeddedDatabase | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dataDir = mkdtempSync(path.join(os.tmpdir(), 'frontier-test-pg-'));
    chmodSync(dataDir, 0o755); // initdb runs as the unprivileged postgres user when we are root
    server = await startEmbeddedPostgres({
      dataDir: path.join(dataDir, 'data'),
      persistent: false,
      database: 'postgres',
    });
    adminUrl = server.url;
  }
  const templateDatabase = `frontier_template_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${templateDatabase}`);
  await admin.query(`CREATE DATABASE ${templateDatabase}`);
  await admin.end();
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${templateDatabase}`;
  await migrateDatabase(templateUrl.toString());

  project.provide('adminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    const cleanup = new pg.Client({ connectionString: adminUrl });
    await cleanup.connect();
    const stale = await cleanup.query<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'frontier_test_%' OR datname = $1`,
      [templateDatabase],
    );
    for (const { datname } of stale.rows) await cleanup.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await cleanup.end();
    await server?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  };
}
