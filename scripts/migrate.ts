// npm run db:migrate [-- --dry-run] — applies sql/ to DATABASE_URL, or to the embedded database
// under .data/: the numbered files, then the definition files that changed (sql/README.md). An
// existing pipeline database is adopted first (docs/ADOPTION.md); --dry-run prints the adoption
// plan and the files it would apply, and changes nothing.
import { env } from '../lib/server/env';
import pg from 'pg';
import { migrateDatabase } from '../lib/server/migrate';
import { describeMissingGrants, missingRoleGrants } from '../lib/server/role-grants';
import { startEmbeddedPostgres } from '../lib/server/embedded-postgres';
import { redact } from '../lib/server/log';
import { EMBEDDED_DATA_DIR } from '../lib/server/paths';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--dry-run');
  if (unknown.length)
    throw new Error(`unknown argument(s) ${unknown.join(' ')}; usage: npm run db:migrate [-- --dry-run]`);
  const dryRun = args.includes('--dry-run');
  const configured = env().DATABASE_URL;
  const embedded = configured ? undefined : await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR });
  const url = configured ?? embedded!.url;
  try {
    const result = await migrateDatabase(url, (line) => console.log(line), undefined, { dryRun });
    const [files, definitions] = dryRun
      ? [result.pending!, result.pendingDefinitions!]
      : [result.applied, result.definitions];
    const verb = dryRun ? 'would apply' : 'applied';
    if (files.length) console.log(`${verb}: ${files.join(', ')}`);
    if (definitions.length) console.log(`${verb} definitions: ${definitions.join(', ')}`);
    if (!files.length && !definitions.length) console.log('up to date: nothing to apply');
    if (dryRun) console.log('dry run: nothing was changed');
    await warnAboutRoles(url);
    console.log(`database: ${redact(url)}`);
  } finally {
    await embedded?.stop();
  }
}

/** A role of db/roles/ that lacks an object its file grants (one a migration added): say so. */
async function warnAboutRoles(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const role of await missingRoleGrants(client)) console.warn(`warning: ${describeMissingGrants(role)}`);
  } finally {
    await client.end();
  }
}

main().catch((error: unknown) => {
  console.error(redact(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`));
  process.exit(1);
});
