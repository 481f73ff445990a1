// npm test — every suite against a real PostgreSQL and a real Chromium, then one total line.
//   1. vitest: unit, SQL, worker and API tests (test/**, lib/**), then the real-cluster tests alone
//   2. next build + playwright: browser tests (e2e/**), against the built app
// The last line is the plain total counted from the runners' own JSON reports.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

interface Count {
  passed: number;
  failed: number;
  skipped: number;
}
const RESULTS = path.resolve('test-results');
const args = new Set(process.argv.slice(2));

function run(command: string, commandArgs: string[], extraEnv: Record<string, string> = {}): number {
  console.log(`\n$ ${command} ${commandArgs.join(' ')}`);
  const result = spawnSync(command, commandArgs, { stdio: 'inherit', env: { ...process.env, ...extraEnv } });
  return result.status ?? 1;
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

// The real-cluster tests (test/replication: PostgreSQL 15 primary + standby, a Patroni cluster)
// each start several servers and wait on failovers with bounded timeouts: two of them at once on
// a 2-core machine starve each other, so they run after the rest, one file at a time.
const CLUSTER_TESTS = 'test/replication/**';

function vitestSuite(name: string, vitestArgs: string[]): Count {
  const file = path.join(RESULTS, `vitest-${name}.json`);
  rmSync(file, { force: true });
  const status = run('npx', [
    'vitest',
    'run',
    ...vitestArgs,
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  const report = readJson<{
    numPassedTests: number;
    numFailedTests: number;
    numPendingTests: number;
    numTodoTests: number;
  }>(file);
  if (!report) return { passed: 0, failed: 1, skipped: 0 }; // the runner itself broke: count it, never hide it
  const failed = report.numFailedTests + (status !== 0 && report.numFailedTests === 0 ? 1 : 0);
  return { passed: report.numPassedTests, failed, skipped: report.numPendingTests + report.numTodoTests };
}

function browserSuite(): Count {
  if (!existsSync('e2e') || args.has('--no-e2e')) return { passed: 0, failed: 0, skipped: 0 };
  if (run('npx', ['next', 'build']) !== 0) return { passed: 0, failed: 1, skipped: 0 };
  const file = path.join(RESULTS, 'playwright.json');
  rmSync(file, { force: true });
  const status = run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_FILE: file });
  const report = readJson<{ stats: { expected: number; unexpected: number; flaky: number; skipped: number } }>(file);
  if (!report) return { passed: 0, failed: 1, skipped: 0 };
  const { expected, unexpected, flaky, skipped } = report.stats;
  // A test that needed a retry is reported as failed: a flaky browser test is a defect.
  const failed = unexpected + flaky + (status !== 0 && unexpected + flaky === 0 ? 1 : 0);
  return { passed: expected, failed, skipped };
}

mkdirSync(RESULTS, { recursive: true });
const suites = [
  vitestSuite('main', [`--exclude=${CLUSTER_TESTS}`]),
  vitestSuite('clusters', ['test/replication', '--no-file-parallelism']),
  browserSuite(),
];
const total = suites.reduce((sum, s) => ({
  passed: sum.passed + s.passed,
  failed: sum.failed + s.failed,
  skipped: sum.skipped + s.skipped,
}));
console.log('');
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
process.exit(total.failed > 0 ? 1 : 0);
