// ESLint: the Next.js core-web-vitals and typescript-eslint recommended configs (via eslint-config-next),
// run by `npm run lint` and by .ci/run before the tests.
import { defineConfig, globalIgnores } from 'eslint/config';
import nextVitals from 'eslint-config-next/core-web-vitals';
import nextTypescript from 'eslint-config-next/typescript';

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
    // Tests are not React code: vitest fixtures named use…() are not hooks.
    files: ['test/**', 'e2e/**', 'bench/**'],
    rules: { 'react-hooks/rules-of-hooks': 'off' },
  },
  globalIgnores(['.next/**', 'out/**', 'build/**', 'next-env.d.ts', '.data/**', 'test-results/**', 'playwright-report/**']),
]);
