import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { e2eEnvironment } from './e2e/fixtures/environment';

const environment = e2eEnvironment();

/**
 * Playwright cannot download its browsers here: use the system Chromium (Debian's, or
 * CHROMIUM_PATH) when there is one, else Playwright's own (a developer's machine).
 */
const chromiumPath = process.env.CHROMIUM_PATH || (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);
const launchOptions = chromiumPath
  ? {
      executablePath: chromiumPath,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-quic',
      ],
    }
  : {};

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/playwright',
  // One app server and one database shared by every spec; the outage spec stops that
  // database, so it runs alone, after the others (project dependency below).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  globalSetup: './e2e/global-setup.ts',
  reporter: [['list']],
  use: {
    baseURL: environment.baseUrl,
    viewport: { width: 1920, height: 1080 },
    launchOptions,
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'pages', testMatch: /\.spec\.ts$/, testIgnore: /outage\.spec\.ts$/ },
    { name: 'outage', testMatch: /outage\.spec\.ts$/, dependencies: ['pages'] },
    // SCREENSHOTS=1 npx playwright test --project=screenshots writes docs/screenshots/*.png
    ...(process.env.SCREENSHOTS ? [{ name: 'screenshots', testMatch: /screenshots\.ts$/ }] : []),
  ],
  webServer: {
    command: `npx next start -p ${environment.appPort} -H 127.0.0.1`,
    // "/" needs no database: the webServer starts before the global setup creates it.
    url: `${environment.baseUrl}/`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      DATABASE_URL: environment.databaseUrl,
      LOG_LEVEL: 'warn',
      // The tests exercise the pages, not the access rules (tested in lib/security.test.ts).
      BASIC_AUTH_USER: '',
      BASIC_AUTH_PASSWORD: '',
      KIOSK_TOKEN: '',
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
