// npm run db:migrate [-- --dry-run] — applies sql/ to DATABASE_URL, or to the embedded database
// under .data/: the numbered files, then the definition files that changed (sql/README.md). An
// existing pipeline database is adopted first (docs/ADOPTION.md); --dry-run prints the adoption
// plan and the files it would apply, and changes nothing.
import { env } from '../lib/server/env';
import { migrateDatabase } from '../lib/server/migrate';
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
    console.log(`database: ${redact(url)}`);
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(redact(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`));
  process.exit(1);
});
