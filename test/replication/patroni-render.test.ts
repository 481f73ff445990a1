// deploy/patroni/render.sh, which writes the cluster's files from the templates the README documents
// (the cluster itself runs in patroni.test.ts): the defaults land where the README says, every
// placeholder is filled, the files with passwords are private, and missing passwords stop it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';

const SCRIPT = path.resolve(import.meta.dirname, '..', '..', 'deploy', 'patroni', 'render.sh');
const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function render(env: Record<string, string>) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'frontier-render-'));
  dirs.push(dir);
  // Only what is given: a password or port set in the caller's environment must not leak in.
  const only = { PATH: process.env.PATH, ...env } as unknown as NodeJS.ProcessEnv;
  const result = spawnSync('bash', [SCRIPT, dir], { env: only, encoding: 'utf8' });
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  return { dir, result, read };
}

describe('deploy/patroni/render.sh', () => {
  test("the README's default ports and paths, every placeholder filled, node files private", () => {
    const { dir, result, read } = render({ SUPERUSER_PASSWORD: 'su-pass', REPLICATION_PASSWORD: 'repl-pass' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    for (const file of ['etcd.yml', 'node1.yml', 'node2.yml', 'haproxy.cfg']) expect(read(file)).not.toContain('${');

    expect(read('etcd.yml')).toContain('listen-client-urls: http://127.0.0.1:2379\n');
    expect(read('etcd.yml')).toContain(`data-dir: ${dir}/etcd\n`);
    const node1 = read('node1.yml');
    expect(node1).toContain('name: node1\n');
    expect(node1).toContain('  listen: 127.0.0.1:5433\n');
    expect(node1).toContain('  listen: 127.0.0.1:8009\n');
    expect(node1).toContain('  hosts: 127.0.0.1:2379\n');
    expect(node1).toContain(`  data_dir: ${dir}/node1/data\n`);
    expect(node1).toContain("      password: 'su-pass'\n");
    expect(node1).toMatch(/ttl: 10\n\s+loop_wait: 1\n\s+retry_timeout: 5\n/);
    expect(read('node2.yml')).toContain('  listen: 127.0.0.1:5434\n');
    expect(read('node2.yml')).toContain('  listen: 127.0.0.1:8010\n');
    const haproxy = read('haproxy.cfg');
    expect(haproxy).toContain('    bind 127.0.0.1:5000\n');
    expect(haproxy).toContain('    http-check send meth OPTIONS uri /primary\n');
    expect(haproxy).toContain('    server node1 127.0.0.1:5433 maxconn 150 check port 8009\n');
    expect(haproxy).toContain('    server node2 127.0.0.1:5434 maxconn 150 check port 8010\n');
    for (const file of ['node1.yml', 'node2.yml']) expect(statSync(path.join(dir, file)).mode & 0o777).toBe(0o600);
  });

  test('ports and timings from the environment', () => {
    const { read } = render({
      SUPERUSER_PASSWORD: 's',
      REPLICATION_PASSWORD: 'r',
      NODE2_PG_PORT: '6543',
      HAPROXY_PORT: '6000',
      PATRONI_TTL: '30',
    });
    expect(read('node2.yml')).toContain('  listen: 127.0.0.1:6543\n');
    expect(read('node2.yml')).toContain('    ttl: 30\n');
    expect(read('haproxy.cfg')).toContain('    bind 127.0.0.1:6000\n');
    expect(read('haproxy.cfg')).toContain('    server node2 127.0.0.1:6543 maxconn 150 check port 8010\n');
  });

  test('without the passwords it stops and says which', () => {
    const { result } = render({ SUPERUSER_PASSWORD: 'only-this-one' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      "set SUPERUSER_PASSWORD and REPLICATION_PASSWORD (the postgres and replicator roles' passwords)\n",
    );
  });
});
