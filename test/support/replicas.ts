import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './nginx';

/**
 * Replicas of the built dashboard (`next start` from .next, which `next build` made: the browser
 * phase of npm test and the bench build it first) on free 127.0.0.1 ports, each in its own
 * process group. Used by e2e/nginx-replicas.spec.ts and `npm run bench -- --only=replicas`.
 */
export interface Replica {
  /** host:port, as an nginx upstream names it */
  address: string;
  base: string;
  /** the process group of npx and the server it runs */
  pgid: number;
  stop: () => Promise<void>;
}

export async function startReplica(env: Record<string, string>): Promise<Replica> {
  if (!existsSync('.next/BUILD_ID')) throw new Error('no build in .next: run `npx next build` first');
  const port = await freePort();
  let output = '';
  const child = spawn('npx', ['next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4_000)));
  child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-4_000)));
  const ended = () => child.exitCode !== null || child.signalCode !== null;
  const stop = async () => {
    if (!child.pid || ended()) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return; // the group is gone already
    }
    for (let waited = 0; !ended() && waited < 15_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
  };
  const base = `http://127.0.0.1:${port}`;
  for (const started = Date.now(); Date.now() - started < 90_000; await new Promise((r) => setTimeout(r, 250))) {
    if (ended()) break;
    try {
      // Open even with basic auth; any answer (a 503 without the database too) means it serves.
      await fetch(`${base}/api/healthz`);
      return { address: `127.0.0.1:${port}`, base, pgid: child.pid!, stop };
    } catch {
      /* not listening yet */
    }
  }
  await stop();
  throw new Error(`next start did not become ready:\n${output}`);
}
