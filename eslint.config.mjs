// ESLint: the Next.js core-web-vitals and typescript-eslint recommended configs (via eslint-config-next),
// run by `npm run lint` and by .ci/run before the tests.
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

// What each folder of lib/ may import (besides itself), lowest first: a folder never imports one
// that imports it back, and the browser's code (components/, app's pages) reaches only the pure
// folders. README.md "Layout" says what each folder holds.
const LIB_LAYERS = {
  'lib/shared': [],
  'lib/health': ['lib/shared'],
  'lib/adopt': [],
  'lib/server': ['lib/shared', 'lib/adopt'],
  'lib/queries': ['lib/server', 'lib/shared', 'lib/health'],
  'lib/auth': ['lib/queries', 'lib/server', 'lib/shared'],
  'lib/api': ['lib/auth', 'lib/queries', 'lib/server', 'lib/shared', 'lib/health'],
  'lib/worker': ['lib/server', 'lib/shared'],
  'lib/alertmanager': ['lib/server', 'lib/shared'],
  'lib/history': ['lib/api', 'lib/queries', 'lib/server', 'lib/shared', 'lib/health', 'lib/alertmanager'],
  'lib/ops': ['lib/server', 'lib/shared', 'lib/worker', 'lib/queries', 'lib/health', 'lib/auth'],
  'lib/demo': ['lib/server', 'lib/shared'],
  'lib/actions': ['lib/api', 'lib/auth', 'lib/server', 'lib/shared', 'lib/alertmanager'],
};
const LIB_FOLDERS = Object.keys(LIB_LAYERS);
const BROWSER_MAY_IMPORT = ['lib/shared', 'lib/health'];
const SERVER_ONLY_MESSAGE =
  'runs in the browser: it may import lib/shared and lib/health only (server code stays on the server)';

const layerZones = Object.entries(LIB_LAYERS).map(([target, allowed]) => ({
  target: `./${target}`,
  from: LIB_FOLDERS.filter((folder) => folder !== target && !allowed.includes(folder)).map((folder) => `./${folder}`),
  message: `${target} may import only ${allowed.join(', ') || 'nothing else in lib/'} (eslint.config.mjs LIB_LAYERS)`,
}));
const browserZones = [
  './components',
  // app/page.tsx is a server component that renders the overview's first answer
  // (lib/api/overview-first-answer.ts) into its HTML: it may reach lib/api. It must not become a
  // client component ('use client' there would fail the build on the server-only imports).
  './app/*/**/page.tsx',
  './app/layout.tsx',
  './app/providers.tsx',
  './app/error.tsx',
  './app/not-found.tsx',
].map((target) => ({
  target,
  from: LIB_FOLDERS.filter((folder) => !BROWSER_MAY_IMPORT.includes(folder)).map((folder) => `./${folder}`),
  message: `${target.replace('./', '')} ${SERVER_ONLY_MESSAGE}`,
}));

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    // Only says the React Compiler would skip a component using @tanstack/react-virtual; the
    // compiler is not enabled here (next.config.ts), so there is nothing to act on.
    rules: { 'react-hooks/incompatible-library': 'off' },
  },
  {
    // `const { left, out, ...rest } = row` is how a copy without some fields is written.
    rules: { '@typescript-eslint/no-unused-vars': ['warn', { ignoreRestSiblings: true }] },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    settings: { 'import/resolver': { typescript: { project: './tsconfig.json' }, node: true } },
    rules: {
      'import/no-restricted-paths': ['error', { zones: [...layerZones, ...browserZones] }],
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Tests are not React code: vitest fixtures named use…() are not hooks.
    files: ['test/**', 'e2e/**', 'bench/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  globalIgnores([
    '.next/**',
    'out/**',
    'build/**',
    'next-env.d.ts',
    '.data/**',
    'test-results/**',
    'playwright-report/**',
  ]),
]);
