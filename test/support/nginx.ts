import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * Debian's nginx (/usr/sbin/nginx) running deploy/nginx/frontier.conf as shipped, unprivileged
 * in a temp directory: only the listen line, the three replica addresses and the cache path are
 * rewritten. No import of the app here: the browser suite's process uses this too.
 *
 * On a machine without nginx the tests that need it are skipped with the reason printed;
 * .ci/run sets FRONTIER_REQUIRE_NGINX=1 so that there a missing nginx fails instead.
 */
export const SHIPPED_CONF = path.resolve('deploy/nginx/frontier.conf');
export const nginxFile = (): string => process.env.FRONTIER_NGINX ?? '/usr/sbin/nginx';

/** Why nginx tests cannot run here, or undefined; throws under FRONTIER_REQUIRE_NGINX=1. */
export function missingNginx(): string | undefined {
  if (existsSync(nginxFile())) return undefined;
  const reason = `skipped: ${nginxFile()} not found — install Debian's nginx (apt-get install -y nginx); .ci/run does`;
  if (process.env.FRONTIER_REQUIRE_NGINX === '1')
    throw new Error(`${reason} (FRONTIER_REQUIRE_NGINX=1 forbids skipping)`);
  console.warn(`[nginx] ${reason}`);
  return reason;
}

/** The shipped file with its three replicas at `replicas` (host:port), listening on `port`, caching under `cacheDir`. */
export function rewrittenConf(shipped: string, replicas: string[], port: number, cacheDir: string): string {
  const rewrites: Array<[RegExp, string]> = [
    [/^( {4}listen )80;$/m, `$1127.0.0.1:${port};`],
    [/^proxy_cache_path \/var\/cache\/nginx\/frontier /m, `proxy_cache_path ${cacheDir} `],
    ...replicas.map((address, index): [RegExp, string] => [
      new RegExp(`127\\.0\\.0\\.1:300${index + 1}\\b`, 'g'),
      address,
    ]),
  ];
  let conf = shipped;
  for (const [pattern, replacement] of rewrites) {
    const next = conf.replace(pattern, replacement);
    if (next === conf) throw new Error(`could not rewrite the shipped frontier.conf (${pattern})`);
    conf = next;
  }
  return conf;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningNginx {
  base: string;
  dir: string;
  /** error log so far */
  log: () => string;
  /** access log lines: `status upstream_addr cache_status uri` */
  accessLog: () => string[];
  stop: () => Promise<void>;
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

/** nginx in the foreground (daemon off) with the shipped file in front of `replicas`; ready when it accepts connections. */
export async function startNginx(replicas: string[]): Promise<RunningNginx> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-nginx-'));
  chmodSync(dir, 0o755); // as root, nginx's workers run as nobody and must reach the cache
  for (const sub of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'])
    mkdirSync(path.join(dir, 'tmp', sub), { recursive: true });
  const port = await freePort();
  writeFileSync(
    path.join(dir, 'frontier.conf'),
    rewrittenConf(readFileSync(SHIPPED_CONF, 'utf8'), replicas, port, path.join(dir, 'cache')),
  );
  const temp = (sub: string) => `${sub}_temp_path ${path.join(dir, 'tmp', sub === 'client_body' ? 'body' : sub)};`;
  writeFileSync(
    path.join(dir, 'nginx.conf'),
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 512; }
http {
  log_format frontier '$status $upstream_addr $upstream_cache_status $request_uri';
  access_log ${dir}/access.log frontier;
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
  include ${dir}/frontier.conf;
}
`,
  );
  const child = spawn(nginxFile(), ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const read = (file: string) => (existsSync(path.join(dir, file)) ? readFileSync(path.join(dir, file), 'utf8') : '');
  const log = () => output + read('error.log');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (const started = Date.now(); Date.now() - started < 15_000; await new Promise((r) => setTimeout(r, 100))) {
    if (child.exitCode !== null) break;
    if (await canConnect(port)) {
      return {
        base: `http://127.0.0.1:${port}`,
        dir,
        log,
        accessLog: () => read('access.log').split('\n').filter(Boolean),
        stop,
      };
    }
  }
  const text = log();
  await stop();
  throw new Error(`nginx did not start:\n${text.slice(-2_000)}`);
}
