import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { TestContext } from 'vitest';
import { freePort, missingPostgres15, PG15_BIN } from './postgres15';

/**
 * A real Patroni cluster on 127.0.0.1 (test/replication/patroni.test.ts): one etcd, two Patroni
 * nodes of Debian's PostgreSQL 15 and HAProxy, configured by deploy/patroni/render.sh from the
 * templates the README documents, with free ports. As root every process runs as the `postgres`
 * user (PostgreSQL refuses root), spawned with its uid so that the pids are the servers' own.
 */

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const TOOLS = ['/usr/bin/patroni', '/usr/bin/patronictl', '/usr/bin/etcd', '/usr/sbin/haproxy'];

/** Why the Patroni test cannot run here, or undefined when it can. */
export function missingPatroni(): string | undefined {
  const pg15 = missingPostgres15();
  if (pg15) return pg15;
  for (const tool of TOOLS) {
    if (!existsSync(tool)) return `${tool} is missing (apt-get install patroni etcd-server haproxy)`;
  }
  // Patroni's etcd3 support is built on python3-etcd, one of the package's alternative dependencies.
  if (spawnSync('/usr/bin/python3', ['-c', 'import etcd']).status !== 0)
    return 'python3-etcd is missing (apt-get install python3-etcd)';
  return undefined;
}

/** Skips with the reason when a tool is missing, unless FRONTIER_REQUIRE_PATRONI makes that a failure. */
export function requirePatroni(context: TestContext): void {
  const missing = missingPatroni();
  if (!missing) return;
  if (process.env.FRONTIER_REQUIRE_PATRONI) throw new Error(`FRONTIER_REQUIRE_PATRONI is set but ${missing}`);
  context.skip(`Patroni cluster tools not available: ${missing}`);
}

const asRoot = process.getuid?.() === 0;
const owner = asRoot
  ? {
      uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()),
      gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim()),
    }
  : undefined;

export interface PatroniNode {
  name: 'node1' | 'node2';
  pgPort: number;
  restPort: number;
  /** 127.0.0.1:pgPort, for a host list */
  hostPort: string;
  config: string;
}

export interface PatroniCluster {
  dir: string;
  nodes: [PatroniNode, PatroniNode];
  /** HAProxy's port that leads to the primary (Patroni's /primary check) */
  haproxyPort: number;
  superuserPassword: string;
  /** postgres://user:password@127.0.0.1:node1,127.0.0.1:node2/database?target_session_attrs=… */
  hostList: (user: string, password: string, database: string, targetSessionAttrs?: string) => string;
  /** postgres://user:password@127.0.0.1:haproxyPort/database */
  haproxyUrl: (user: string, password: string, database: string) => string;
  /** HAProxy's port that leads to a streaming standby (Patroni's /replica check) */
  haproxyReplicaUrl: (user: string, password: string, database: string) => string;
  /** As the superuser, on one node. */
  sql: <Row extends pg.QueryResultRow = Record<string, unknown>>(
    node: PatroniNode,
    text: string,
    params?: unknown[],
    database?: string,
  ) => Promise<Row[]>;
  /** The node whose REST API answers /primary with 200, or undefined. */
  leader: () => Promise<PatroniNode | undefined>;
  /** Waits until a node is the leader and the other streams from it (REST /primary and /replica). */
  waitForHealthy: (timeoutMs?: number) => Promise<PatroniNode>;
  patronictl: (args: string[]) => string;
  /** SIGKILL a node's Patroni and its PostgreSQL (the postmaster and every backend). */
  kill: (node: PatroniNode) => void;
  /** Starts a node's Patroni again (after kill). */
  startNode: (node: PatroniNode) => void;
  log: (name: string) => string;
  destroy: () => void;
}

async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function restStatus(port: number, endpoint: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}/${endpoint}`, { signal: AbortSignal.timeout(2_000) });
  await response.body?.cancel();
  return response.status;
}

async function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function postmasterPid(dataDir: string): number | undefined {
  try {
    return Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    return undefined;
  }
}

/** Children of a process, from /proc (a postmaster's backends). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces and parentheses, so split after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

function signal(pid: number | undefined, name: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** Renders deploy/patroni/ with free ports, starts etcd, node1 (the first leader), node2, HAProxy. */
export async function startPatroniCluster(): Promise<PatroniCluster> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-patroni-'));
  const ports = [] as number[];
  while (ports.length < 9) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [etcdPort, etcdPeerPort, pg1, rest1, pg2, rest2, haproxyPort, replicaPort, statsPort] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const superuserPassword = randomBytes(12).toString('hex');
  const env = {
    ...process.env,
    HOME: dir,
    PG_BIN: PG15_BIN,
    ETCD_PORT: String(etcdPort),
    ETCD_PEER_PORT: String(etcdPeerPort),
    NODE1_PG_PORT: String(pg1),
    NODE1_REST_PORT: String(rest1),
    NODE2_PG_PORT: String(pg2),
    NODE2_REST_PORT: String(rest2),
    HAPROXY_PORT: String(haproxyPort),
    HAPROXY_REPLICA_PORT: String(replicaPort),
    HAPROXY_STATS_PORT: String(statsPort),
    PATRONI_TTL: '10',
    PATRONI_LOOP_WAIT: '1',
    PATRONI_RETRY_TIMEOUT: '5',
    SUPERUSER_PASSWORD: superuserPassword,
    REPLICATION_PASSWORD: randomBytes(12).toString('hex'),
  };
  execFileSync('bash', [path.join(ROOT, 'deploy/patroni/render.sh'), dir], { env, stdio: 'pipe' });
  if (owner) {
    for (const each of ['', 'node1', 'node2', 'etcd.yml', 'node1.yml', 'node2.yml', 'haproxy.cfg'])
      chownSync(path.join(dir, each), owner.uid, owner.gid);
  }

  // Only what the tools need: Patroni reads PATRONI_* and libpq PG* variables from its environment.
  const toolEnv = { PATH: process.env.PATH, HOME: dir, LANG: 'C.UTF-8' } as unknown as NodeJS.ProcessEnv;
  const processes = new Map<string, ChildProcess>();
  const start = (name: string, command: string, args: string[]) => {
    const out = openSync(path.join(dir, `${name}.log`), 'a');
    const child: ChildProcess = spawn(command, args, {
      cwd: dir,
      env: toolEnv,
      stdio: ['ignore', out, out],
      ...(owner ?? {}),
    });
    closeSync(out);
    child.on('error', () => {});
    processes.set(name, child);
  };
  const nodes: [PatroniNode, PatroniNode] = [
    { name: 'node1', pgPort: pg1, restPort: rest1, hostPort: `127.0.0.1:${pg1}`, config: path.join(dir, 'node1.yml') },
    { name: 'node2', pgPort: pg2, restPort: rest2, hostPort: `127.0.0.1:${pg2}`, config: path.join(dir, 'node2.yml') },
  ];
  const dataDir = (node: PatroniNode) => path.join(dir, node.name, 'data');
  const postmasters = () => nodes.map((node) => postmasterPid(dataDir(node)));

  const cluster: PatroniCluster = {
    dir,
    nodes,
    haproxyPort,
    superuserPassword,
    hostList: (user, password, database, targetSessionAttrs = 'read-write') =>
      `postgres://${user}:${password}@${nodes[0].hostPort},${nodes[1].hostPort}/${database}?target_session_attrs=${targetSessionAttrs}`,
    haproxyUrl: (user, password, database) => `postgres://${user}:${password}@127.0.0.1:${haproxyPort}/${database}`,
    haproxyReplicaUrl: (user, password, database) =>
      `postgres://${user}:${password}@127.0.0.1:${replicaPort}/${database}`,
    sql: async (node, text, params = [], database = 'postgres') => {
      const client = new pg.Client({
        host: '127.0.0.1',
        port: node.pgPort,
        user: 'postgres',
        password: superuserPassword,
        database,
        connectionTimeoutMillis: 5_000,
      });
      // A node going away mid-query also emits 'error'; the query's rejection already says so.
      client.on('error', () => {});
      await client.connect();
      try {
        return (await client.query(text, params)).rows;
      } finally {
        await client.end();
      }
    },
    leader: async () => {
      for (const node of nodes) {
        if ((await restStatus(node.restPort, 'primary').catch(() => 0)) === 200) return node;
      }
      return undefined;
    },
    waitForHealthy: async (timeoutMs = 90_000) =>
      waitFor(
        'a leader and a streaming replica',
        async () => {
          const leader = await cluster.leader();
          const other = nodes.find((node) => node !== leader);
          if (!leader || !other) return undefined;
          const rows = await cluster.sql<{ n: number }>(
            leader,
            "SELECT count(*)::int AS n FROM pg_stat_replication WHERE state = 'streaming'",
          );
          return rows[0]!.n === 1 && (await restStatus(other.restPort, 'replica')) === 200 ? leader : undefined;
        },
        timeoutMs,
      ),
    patronictl: (args) => {
      const result = spawnSync('/usr/bin/patronictl', ['-c', nodes[0].config, ...args], {
        cwd: dir,
        env: toolEnv,
        encoding: 'utf8',
        timeout: 60_000,
        ...(owner ?? {}),
      });
      if (result.status !== 0)
        throw new Error(`patronictl ${args.join(' ')} failed (${result.status}): ${result.stderr}${result.stdout}`);
      return result.stdout;
    },
    kill: (node) => {
      signal(processes.get(node.name)?.pid, 'SIGKILL');
      const postmaster = postmasterPid(dataDir(node));
      if (postmaster) {
        const backends = childrenOf(postmaster);
        signal(postmaster, 'SIGKILL');
        for (const pid of backends) signal(pid, 'SIGKILL');
      }
    },
    startNode: (node) => start(node.name, '/usr/bin/patroni', [node.config]),
    log: (name) => {
      try {
        return readFileSync(path.join(dir, `${name}.log`), 'utf8');
      } catch {
        return '';
      }
    },
    destroy: () => {
      // Everything this helper started, by pid: Patroni, HAProxy and etcd, then each PostgreSQL
      // (a killed Patroni leaves its PostgreSQL running; SIGQUIT is an immediate shutdown).
      for (const child of processes.values()) if (child.exitCode === null) signal(child.pid, 'SIGKILL');
      for (const pid of postmasters()) signal(pid, 'SIGQUIT');
      const deadline = Date.now() + 10_000;
      while (postmasters().some((pid) => pid && existsSync(`/proc/${pid}`)) && Date.now() < deadline) {
        spawnSync('sleep', ['0.1']);
      }
      for (const pid of postmasters()) signal(pid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };

  try {
    start('etcd', '/usr/bin/etcd', ['--config-file', path.join(dir, 'etcd.yml')]);
    await waitFor('etcd', async () => (await restStatus(etcdPort, 'health')) === 200, 30_000);
    cluster.startNode(nodes[0]);
    await waitFor('node1 to bootstrap and lead', async () => (await restStatus(rest1, 'primary')) === 200, 90_000);
    cluster.startNode(nodes[1]);
    start('haproxy', '/usr/sbin/haproxy', ['-db', '-f', path.join(dir, 'haproxy.cfg')]);
    await cluster.waitForHealthy();
    await waitFor('HAProxy', () => tcpOpen(haproxyPort), 10_000);
  } catch (error) {
    const logs = ['etcd', 'node1', 'node2', 'haproxy'].map((name) => `--- ${name}\n${cluster.log(name).slice(-2_000)}`);
    cluster.destroy();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${logs.join('\n')}`, { cause: error });
  }
  return cluster;
}
