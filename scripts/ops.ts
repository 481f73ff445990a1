// npm run ops -- <command>: register, health, reset, enable, disable, audit, calendar, policy, maintenance, retry, token (see lib/ops/commands.ts).
// Exit codes: 0 done, 1 failed (database error, nothing found), 2 bad arguments, 3 audit found drift it did not repair.
import { connectClient } from '../lib/server/connect';
import { env } from '../lib/server/env';
import { redact } from '../lib/server/log';
import { parseOpsArgs, runOpsCommand, USAGE } from '../lib/ops/commands';
import { OpsFailure, UsageError } from '../lib/ops/errors';
import { openOpsDatabase } from '../lib/ops/connection';

async function main(): Promise<number> {
  let command;
  try {
    command = parseOpsArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`ops: ${error.message}\n\n${USAGE}`);
      return 2;
    }
    throw error;
  }
  const database = await openOpsDatabase(env().DATABASE_URL);
  console.log(`database: ${redact(database.url)} (${database.source})`);
  let client;
  try {
    client = await connectClient(
      database.url,
      { application_name: 'frontier-ops' },
      { defaultTargetSessionAttrs: 'read-write' },
    );
  } catch (error) {
    await database.close();
    throw error;
  }
  try {
    for (const line of await runOpsCommand(client, command)) console.log(line);
    return 0;
  } catch (error) {
    if (error instanceof OpsFailure) {
      for (const line of error.output) console.log(line);
      console.error(`ops: ${error.message}`);
      return error.exitCode;
    }
    throw error;
  } finally {
    await client.end().catch(() => {});
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    let message = error instanceof Error ? error.message : String(error);
    for (let cause = error instanceof Error ? error.cause : undefined; cause instanceof Error; cause = cause.cause) {
      message += `\ncaused by: ${cause.message}`;
    }
    const hint =
      typeof error === 'object' && error !== null && 'hint' in error && error.hint
        ? `\nhint: ${String(error.hint)}`
        : '';
    console.error(redact(`ops failed: ${message}${hint}`));
    process.exit(1);
  },
);
