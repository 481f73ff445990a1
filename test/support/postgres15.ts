import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, appendFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestContext } from 'vitest';

/**
 * A real primary and hot standby of Debian's PostgreSQL 15 on 127.0.0.1, in a temporary
 * directory (test/replication/). PostgreSQL refuses to run as root: as root the binaries run as
 * the `postgres` user (runuser), who owns the directory.
 */

export const PG15_BIN = process.env.FRONTIER_PG15_BIN ?? '/usr/lib/postgresql/15/bin';

/** Why the PostgreSQL 15 tests cannot run here, or undefined when they can. */
export function missingPostgres15(): string | undefined {
  for (const tool of ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres']) {
    if (!existsSync(path.join(PG15_BIN, tool)))
      return `${path.join(PG15_BIN, tool)} is missing (apt-get install postgresql-15)`;
  }
  if (process.getuid?.() === 0 && spawnSync('id', ['-u', 'postgres']).status !== 0) {
    return 'running as root and there is no postgres user to run PostgreSQL as';
  }
  return undefined;
}

/** Skips with the reason when PostgreSQL 15 is missing, unless FRONTIER_REQUIRE_POSTGRES15 makes that a failure. */
export function requirePostgres15(context: TestContext): void {
  const missing = missingPostgres15();
  if (!missing) return;
  if (process.env.FRONTIER_REQUIRE_POSTGRES15) throw new Error(`FRONTIER_REQUIRE_POSTGRES15 is set but ${missing}`);
  context.skip(`PostgreSQL 15 binaries not available: ${missing}`);
}

/** A free TCP port on 127.0.0.1 (free when asked: another process may take it before it is used). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

const asRoot = process.getuid?.() === 0;

function commandFor(tool: string, args: string[]): [string, string[]] {
  const file = path.join(PG15_BIN, tool);
  return asRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

function run(tool: string, args: string[], timeoutMs = 60_000): string {
  const [command, argv] = commandFor(tool, args);
  try {
    return execFileSync(command, argv, { encoding: 'utf8', timeout: timeoutMs, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const detail = error as { stderr?: string; stdout?: string };
    throw new Error(`${tool} ${args.join(' ')} failed: ${detail.stderr ?? ''}${detail.stdout ?? ''}`, { cause: error });
  }
}

export interface PgNode {
  name: string;
  port: number;
  dataDir: string;
  /** postgres://postgres@127.0.0.1:port/database */
  url: (database?: string) => string;
  /** host:port for a host list */
  hostPort: string;
  start: () => void;
  /** fast: a clean shutdown; immediate: a crash (no checkpoint, clients cut off) */
  stop: (mode?: 'fast' | 'immediate') => void;
  promote: () => void;
  running: () => boolean;
  sql: <Row extends pg.QueryResultRow = Record<string, unknown>>(
    text: string,
    params?: unknown[],
    database?: string,
  ) => Promise<Row[]>;
}

export interface ReplicatedCluster {
  primary: PgNode;
  standby: PgNode;
  /** both hosts, the primary first: postgres://postgres@h1,h2/database?target_session_attrs=… */
  hostList: (database: string, targetSessionAttrs?: string) => string;
  destroy: () => void;
}

function node(name: string, dataDir: string, port: number): PgNode {
  const log = path.join(path.dirname(dataDir), `${name}.log`);
  const self: PgNode = {
    name,
    port,
    dataDir,
    hostPort: `127.0.0.1:${port}`,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    start: () => void run('pg_ctl', ['-D', dataDir, '-l', log, '-w', '-t', '60', 'start']),
    stop: (mode = 'fast') => void run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', '-t', '60', 'stop']),
    promote: () => void run('pg_ctl', ['-D', dataDir, '-w', '-t', '60', 'promote']),
    running: () => spawnSync(...commandFor('pg_ctl', ['-D', dataDir, 'status'])).status === 0,
    sql: async (text, params = [], database = 'postgres') => {
      const client = new pg.Client({
        host: '127.0.0.1',
        port,
        user: 'postgres',
        database,
        connectionTimeoutMillis: 5_000,
      });
      await client.connect();
      try {
        return (await client.query(text, params)).rows;
      } finally {
        await client.end();
      }
    },
  };
  return self;
}

/** initdb a primary, pg_basebackup -R a hot standby from it, start both. About 5 s. */
export async function startReplicatedCluster(): Promise<ReplicatedCluster> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'frontier-replication-'));
  chmodSync(root, 0o700);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, uid, gid);
  }
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const primaryDir = path.join(root, 'primary');
  const standbyDir = path.join(root, 'standby');
  run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  const settings = [
    `port = ${primaryPort}`,
    "listen_addresses = '127.0.0.1'",
    `unix_socket_directories = '${root}'`,
    'wal_level = replica',
    'max_wal_senders = 5',
    "wal_keep_size = '256MB'",
    'hot_standby = on',
    'fsync = off',
    'max_connections = 60',
    "shared_buffers = '32MB'",
    "timezone = 'UTC'",
  ];
  appendFileSync(path.join(primaryDir, 'postgresql.conf'), `\n${settings.join('\n')}\n`);
  const primary = node('primary', primaryDir, primaryPort);
  primary.start();
  run('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primaryPort),
    '-U',
    'postgres',
    '-D',
    standbyDir,
    '-R',
    '-X',
    'stream',
    '-c',
    'fast',
  ]);
  appendFileSync(path.join(standbyDir, 'postgresql.auto.conf'), `port = ${standbyPort}\n`);
  const standby = node('standby', standbyDir, standbyPort);
  standby.start();
  return {
    primary,
    standby,
    hostList: (database, targetSessionAttrs = 'read-write') =>
      `postgres://postgres@${primary.hostPort},${standby.hostPort}/${database}?target_session_attrs=${targetSessionAttrs}`,
    destroy: () => {
      for (const each of [primary, standby]) {
        if (each.running()) {
          try {
            each.stop('immediate');
          } catch {
            // already gone
          }
        }
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** Waits until the standby has replayed everything the primary wrote so far. */
export async function waitForReplay(cluster: ReplicatedCluster, timeoutMs = 20_000): Promise<void> {
  const [current] = await cluster.primary.sql<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
  const lsn = current!.lsn;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await cluster.standby.sql<{ caught: boolean }>(
      'SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS caught',
      [lsn],
    );
    if (row?.caught) return;
    if (Date.now() > deadline) throw new Error(`the standby did not replay up to ${lsn} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
