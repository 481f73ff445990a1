// npm run db:migrate — applies sql/ to DATABASE_URL, or to the embedded database under .data/.
import { env } from '../lib/env';
import { migrateDatabase } from '../lib/migrate';
import { startEmbeddedPostgres } from '../lib/embedded-postgres';
import { redact } from '../lib/log';
import { EMBEDDED_DATA_DIR } from '../lib/paths';

async function main(): Promise<void> {
  const configured = env().DATABASE_URL;
  const embedded = configured ? undefined : await startEmbeddedPostgres({ dataDir: EMBEDDED_DATA_DIR });
  const url = configured ?? embedded!.url;
  try {
    const { applied } = await migrateDatabase(url, (line) => console.log(line));
    console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date: nothing to apply');
    console.log(`database: ${redact(url)}`);
  } finally {
    await embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(redact(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`));
  process.exit(1);
});
