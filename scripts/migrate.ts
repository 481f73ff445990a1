// npm run db:migrate [-- --dry-run] — applies sql/ to DATABASE_URL, or to the embedded database
// under .data/. An existing pipeline database is adopted first (docs/ADOPTION.md); --dry-run
// prints the adoption plan and the files it would apply, and changes nothing.
import { env } from '../lib/server/env';
import { migrateDatabase } from '../lib/server/migrate';
import { startEmbeddedPostgres } from '../lib/server/embedded-postgres';
import { redact } from '../lib/server/log';
import { EMBEDDED_DATA_DIR } from '../lib/server/paths';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--dry-run');
  if (unknown.length) throw new Error(`unknown argument(s) ${unknown.join(' ')}; usage: npm run db:migrate [-- --dry-run]`);
  const dryRun = args.includes('--dry-run');
  const configured = env().DATABASE_URL;
  const embedded = configured ? undefined : await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR });
  const url = configured ?? embedded!.url;
  try {
    const result = await migrateDatabase(url, (line) => console.log(line), undefined, { dryRun });
    if (dryRun) {
      console.log(result.pending!.length ? `would apply: ${result.pending!.join(', ')}` : 'up to date: nothing to apply');
      console.log('dry run: nothing was changed');
    } else {
      console.log(result.applied.length ? `applied: ${result.applied.join(', ')}` : 'up to date: nothing to apply');
    }
    console.log(`database: ${redact(url)}`);
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(redact(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`));
  process.exit(1);
});
