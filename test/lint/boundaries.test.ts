// The lint rules that keep lib/'s folders apart (eslint.config.mjs): each probe is code that must
// not be written, linted as a file of the repository, and the rule must fire on it. That the
// repository itself is clean is `npm run lint`'s to say (.ci/run runs it).
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, expect, test } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT });
});

// Probes are written as real files (import/no-cycle reads its graph from disk) and removed after.
async function ruleMessages(files: Record<string, string>, lint: string): Promise<string[]> {
  const written = Object.entries(files).map(([file, code]) => {
    const full = path.join(ROOT, file);
    const folder = path.dirname(full);
    const newFolder = existsSync(folder) ? undefined : folder;
    mkdirSync(folder, { recursive: true });
    writeFileSync(full, code);
    return newFolder ?? full;
  });
  try {
    const [result] = await eslint.lintFiles([path.join(ROOT, lint)]);
    return result!.messages.map((message) => `${message.ruleId}: ${message.message}`);
  } finally {
    for (const file of written) rmSync(file, { force: true, recursive: true });
  }
}
const probe = (file: string, code: string) => ruleMessages({ [file]: code }, file);

test('a component that imports server code fails the lint', async () => {
  const messages = await probe(
    'components/status/lint-probe.tsx',
    "import { pool } from '@/lib/server/db';\nexport const probe = pool;\n",
  );
  expect(messages).toEqual([
    'import/no-restricted-paths: Unexpected path "@/lib/server/db" imported in restricted zone. components runs in the browser: it may import lib/shared and lib/health only (server code stays on the server)',
  ]);
});

test("a page that imports the API's server code fails the lint", async () => {
  const messages = await probe(
    'app/lint-probe/page.tsx',
    "import { SNAPSHOT_TTL_MS } from '@/lib/api/snapshot';\nexport const probe = SNAPSHOT_TTL_MS;\n",
  );
  expect(messages).toHaveLength(1);
  expect(messages[0]).toMatch(
    /^import\/no-restricted-paths: Unexpected path "@\/lib\/api\/snapshot" imported in restricted zone\. app\/\*\/\*\*\/page\.tsx runs in the browser/,
  );
});

test('a folder that imports a folder above it (a folder cycle) fails the lint', async () => {
  const messages = await probe(
    'lib/server/lint-probe.ts',
    "import { listIncidents } from '../api/incidents';\nexport const probe = listIncidents;\n",
  );
  expect(messages).toEqual([
    'import/no-restricted-paths: Unexpected path "../api/incidents" imported in restricted zone. lib/server may import only lib/shared, lib/adopt (eslint.config.mjs LIB_LAYERS)',
  ]);
});

test('a file cycle inside a folder fails the lint', async () => {
  const messages = await ruleMessages(
    {
      'lib/health/lint-probe-a.ts': "import { b } from './lint-probe-b';\nexport const a = () => b;\n",
      'lib/health/lint-probe-b.ts': "import { a } from './lint-probe-a';\nexport const b = () => a;\n",
    },
    'lib/health/lint-probe-a.ts',
  );
  expect(messages).toEqual(['import/no-cycle: Dependency cycle detected.']);
});
