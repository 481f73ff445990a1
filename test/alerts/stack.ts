import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';

/**
 * The pieces of the end-to-end alerting tests (test/alerts/e2e.test.ts, e2e/alerts.spec.ts),
 * all on 127.0.0.1 in one temp directory: a real Prometheus with the shipped rules (only `for:`
 * shortened), a real Alertmanager with the shipped route (only the receiver URL and the group
 * timers changed) and a webhook receiver that keeps every notification body. No import of the
 * app here: the browser suite's process uses this too.
 */

export interface Notification {
  receiver: string;
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  alerts: {
    status: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
    startsAt: string;
    endsAt: string;
  }[];
  [key: string]: unknown;
}

/** The shipped rules with every `for:` set to `forDuration`; the expressions are untouched. */
export function shortenedRules(shipped: string, forDuration: string): string {
  const rewritten = shipped.replace(/^( +for: )\S+$/gm, `$1${forDuration}`);
  if (rewritten === shipped) throw new Error('no for: found in the shipped rules');
  return rewritten;
}

/** The shipped Alertmanager config with the receiver pointed at `url` and short group timers. */
export function testAlertmanagerConfig(shipped: string, url: string): string {
  const rewritten = shipped
    .replace(/^( +- url: )'[^']*'$/m, `$1'${url}'`)
    .replace(/^( {2}group_wait: )\S+$/m, '$11s')
    .replace(/^( {2}group_interval: )\S+$/m, '$12s');
  for (const needle of [url, 'group_wait: 1s', 'group_interval: 2s']) {
    if (!rewritten.includes(needle)) throw new Error(`could not rewrite the shipped alertmanager.yml (${needle})`);
  }
  return rewritten;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
}

export async function startWebhook(): Promise<{ url: string; received: Notification[]; close: () => Promise<void> }> {
  const received: Notification[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push(JSON.parse(body) as Notification);
      response.writeHead(200).end();
    });
  });
  const port = await listen(server);
  return {
    url: `http://127.0.0.1:${port}/frontier-alerts`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface Daemon {
  base: string;
  log: () => string;
  stop: () => Promise<void>;
}

/** Starts a Prometheus-family server and waits for its /-/ready (bounded). */
async function startDaemon(file: string, args: string[], port: number): Promise<Daemon> {
  let log = '';
  const child: ChildProcess = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString('utf8')));
  const base = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  for (const started = Date.now(); Date.now() - started < 30_000;) {
    if (child.exitCode !== null)
      throw new Error(`${path.basename(file)} exited with ${child.exitCode}:\n${log.slice(-2_000)}`);
    try {
      if ((await fetch(`${base}/-/ready`)).ok) return { base, log: () => log, stop };
    } catch {
      /* not listening yet */
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`${path.basename(file)} not ready within 30 s:\n${log.slice(-2_000)}`);
}

export interface Stack {
  dir: string;
  prometheus: Daemon;
  alertmanager: Daemon;
  stop: () => Promise<void>;
}

export interface StackOptions {
  prometheus: string;
  alertmanager: string;
  rulesFile: string;
  alertmanagerFile: string;
  /** host:port of the dashboard to scrape */
  target: string;
  webhookUrl: string;
  /** The viewer API token Prometheus scrapes with (`npm run ops -- token create --role viewer`). */
  bearerToken: string;
  dashboardUrl: string;
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-alerts-'));
  const [amPort, promPort] = [await freePort(), await freePort()];
  writeFileSync(
    path.join(dir, 'alertmanager.yml'),
    testAlertmanagerConfig(readFileSync(options.alertmanagerFile, 'utf8'), options.webhookUrl),
  );
  writeFileSync(path.join(dir, 'alerts.yml'), shortenedRules(readFileSync(options.rulesFile, 'utf8'), '2s'));
  writeFileSync(path.join(dir, 'token'), options.bearerToken);
  // The scrape job as deploy/README.md shows it, with 1 s instead of 15 s.
  writeFileSync(
    path.join(dir, 'prometheus.yml'),
    `
global:
  scrape_interval: 1s
  evaluation_interval: 1s
  external_labels:
    dashboard_url: ${options.dashboardUrl}
rule_files: [${path.join(dir, 'alerts.yml')}]
alerting:
  alertmanagers:
    - static_configs: [{ targets: ['127.0.0.1:${amPort}'] }]
scrape_configs:
  - job_name: frontier
    metrics_path: /api/metrics
    authorization: { type: Bearer, credentials_file: ${path.join(dir, 'token')} }
    static_configs: [{ targets: ['${options.target}'] }]
`,
  );
  const alertmanager = await startDaemon(
    options.alertmanager,
    [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    amPort,
  );
  let prometheus: Daemon;
  try {
    prometheus = await startDaemon(
      options.prometheus,
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'prom-data')}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
        '--rules.alert.resend-delay=1s',
        '--log.level=warn',
      ],
      promPort,
    );
  } catch (error) {
    await alertmanager.stop();
    throw error;
  }
  return {
    dir,
    prometheus,
    alertmanager,
    stop: async () => {
      await prometheus.stop();
      await alertmanager.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Alertmanager alone, with the shipped config (receiver pointed at `webhookUrl`), for the ack
 * silences' tests (test/actions/ack-silences.test.ts). `port` restarts one where it was.
 */
export async function startAlertmanager(options: {
  alertmanager: string;
  alertmanagerFile: string;
  webhookUrl: string;
  port?: number;
}): Promise<Daemon & { port: number; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-am-'));
  const port = options.port ?? (await freePort());
  writeFileSync(
    path.join(dir, 'alertmanager.yml'),
    testAlertmanagerConfig(readFileSync(options.alertmanagerFile, 'utf8'), options.webhookUrl),
  );
  const daemon = await startDaemon(
    options.alertmanager,
    [
      `--config.file=${path.join(dir, 'alertmanager.yml')}`,
      `--storage.path=${path.join(dir, 'am-data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    port,
  );
  return {
    ...daemon,
    port,
    dir,
    stop: async () => {
      await daemon.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A port nobody listens on (for "Alertmanager is down"). */
export { freePort };
