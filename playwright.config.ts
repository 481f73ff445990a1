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
  // Two app servers (open, and behind auth) and one database shared by every spec; the
  // outage specs stop that database, so they run alone, after the others (project dependency).
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
  webServer: [
    {
      name: 'app',
      command: `npx next start -p ${environment.appPort} -H 127.0.0.1`,
      // "/" needs no database: the webServer starts before the global setup creates it.
      url: `${environment.baseUrl}/`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        // The read-only role the global setup creates: the dashboard needs SELECT only
        // (e2e/least-privilege.spec.ts proves it).
        DATABASE_URL: environment.dashboardDatabaseUrl,
        // Operator actions (maintenance windows) write through their own connection.
        DATABASE_WRITE_URL: environment.databaseUrl,
        PG_APPLICATION_NAME: 'frontier-e2e-app',
        LOG_LEVEL: 'warn',
        // Nothing configured: open, as on the embedded demo. The access rules are tested on
        // the second server below (e2e/security.spec.ts) and in lib/security.test.ts.
        BASIC_AUTH_USER: '',
        BASIC_AUTH_PASSWORD: '',
        KIOSK_TOKEN: '',
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
    {
      // The same build and database behind basic auth and a kiosk token. Its output goes to a
      // file as well, which e2e/secrets-outage.spec.ts searches for the database password.
      name: 'auth',
      command: `npx next start -p ${environment.authAppPort} -H 127.0.0.1 2>&1 | tee -a '${environment.authServerLog}' >&2`,
      // 401 counts as up for Playwright; "/" needs no database.
      url: `${environment.authBaseUrl}/`,
      reuseExistingServer: false,
      timeout: 120_000,
      stdout: 'ignore',
      stderr: 'pipe',
      env: {
        DATABASE_URL: environment.dashboardDatabaseUrl,
        PG_APPLICATION_NAME: 'frontier-e2e-auth',
        LOG_LEVEL: 'warn',
        BASIC_AUTH_USER: environment.basicUser,
        BASIC_AUTH_PASSWORD: environment.basicPassword,
        KIOSK_TOKEN: environment.kioskToken,
        NEXT_TELEMETRY_DISABLED: '1',
      },
    },
  ],
});
