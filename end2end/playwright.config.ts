import { defineConfig, devices } from '@playwright/test';
import * as os from 'node:os';
import * as path from 'node:path';

// The server built by `cargo leptos build`, run on a fresh SQLite database with the demo data.
const root = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(root, 'target');
const port = Number(process.env.E2E_PORT ?? 3100);
const baseURL = `http://127.0.0.1:${port}`;
// A second store that takes payments through the local fakes of Mollie and Stripe (their API
// and hosted pages, on another origin than the store's, as the real providers' are).
const providersPort = Number(process.env.E2E_PROVIDERS_PORT ?? 3101);
const fakesPort = Number(process.env.E2E_FAKES_PORT ?? 3190);
process.env.E2E_BASE_URL = baseURL;
process.env.E2E_PROVIDERS_URL = `http://127.0.0.1:${providersPort}`;
process.env.E2E_FAKES_URL = `http://127.0.0.1:${fakesPort}`;
const fakeStripeWebhookSecret = 'whsec_e2eFakeStripeEndpointSecret';
const dbDir = process.env.E2E_DB_DIR ?? path.join(os.tmpdir(), `comptoir-e2e-${process.pid}`);
// The workers inherit it: the account tests read the emails from that database.
process.env.E2E_DB_DIR = dbDir;

const chromium = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--no-first-run',
    '--disable-quic',
    '--disable-sync',
  ],
};

// Every journey but the consent ones is a returning visitor who refused the optional cookies
// (the banner would otherwise cover the bottom of each first page). The server checks the date
// in the cookie, so it is made now; `consent.spec.ts` starts from no cookie at all.
const refusedConsent = {
  cookies: [{
    name: 'comptoir_consent',
    value: `1.${Math.floor(Date.now() / 1000)}.000.e2e-returning-visitor`,
    domain: '127.0.0.1',
    path: '/',
    expires: Math.floor(Date.now() / 1000) + 30 * 24 * 3600,
    httpOnly: true,
    secure: false,
    sameSite: 'Lax' as const,
  }],
  origins: [],
};

// What both stores share: the built site, in the test mode the specs expect.
const leptosSite = {
  LEPTOS_SITE_ROOT: path.join(root, 'target', 'site'),
  LEPTOS_OUTPUT_NAME: 'comptoir',
  LEPTOS_SITE_PKG_DIR: 'pkg',
  LEPTOS_HASH_FILES: 'true',
  LEPTOS_ENV: 'DEV',
  RUST_LOG: 'warn',
};

export default defineConfig({
  testDir: './tests',
  outputDir: './test-results',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  reporter: process.env.CI ? [['list']] : [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  use: {
    baseURL,
    locale: 'fr-FR',
    storageState: refusedConsent,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
  projects: [
    { name: 'phone', use: { ...devices['Desktop Chrome'], viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true } },
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 } } },
  ],
  webServer: [
    {
      command: `mkdir -p ${dbDir} && rm -f ${dbDir}/e2e.db* && ${path.join(targetDir, 'debug', 'server')}`,
      cwd: root,
      url: `${baseURL}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        DATABASE_URL: `sqlite://${dbDir}/e2e.db`,
        // The demo payment provider sends the shopper back and notifies the webhook here.
        APP__PUBLIC_URL: baseURL,
        APP__DEMO_PAYMENTS: 'true',
        // Journeys that send several emails come from a client address of their own
        // (`X-Forwarded-For`, see support.ts `ownClient`), as real shoppers do: the shop limits
        // emails and sign-ups per client.
        APP__TRUSTED_PROXIES: '127.0.0.1',
        LEPTOS_SITE_ADDR: `127.0.0.1:${port}`,
        ...leptosSite,
      },
    },
    {
      // `cargo build -p server --example fake_providers` (scripts/test.sh builds it).
      command: `${path.join(targetDir, 'debug', 'examples', 'fake_providers')} 127.0.0.1:${fakesPort}`,
      cwd: root,
      url: `http://127.0.0.1:${fakesPort}/healthz`,
      timeout: 60_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        FAKE_STRIPE_WEBHOOK_URL: `http://127.0.0.1:${providersPort}/webhooks/stripe`,
        FAKE_STRIPE_WEBHOOK_SECRET: fakeStripeWebhookSecret,
      },
    },
    {
      command: `mkdir -p ${dbDir} && rm -f ${dbDir}/e2e-providers.db* && ${path.join(targetDir, 'debug', 'server')}`,
      cwd: root,
      url: `http://127.0.0.1:${providersPort}/healthz`,
      timeout: 120_000,
      reuseExistingServer: false,
      stdout: 'pipe',
      stderr: 'pipe',
      env: {
        DATABASE_URL: `sqlite://${dbDir}/e2e-providers.db`,
        APP__PUBLIC_URL: `http://127.0.0.1:${providersPort}`,
        // The keys the fakes accept (server/tests/support/{mollie,stripe}.rs); no demo provider.
        APP__MOLLIE_API_KEY: 'test_fakeMollieKey0123456789abcd',
        APP__MOLLIE_BASE_URL: `http://127.0.0.1:${fakesPort}/v2`,
        APP__STRIPE_SECRET_KEY: 'sk_test_fakeStripeKey0123456789',
        APP__STRIPE_WEBHOOK_SECRET: fakeStripeWebhookSecret,
        APP__STRIPE_BASE_URL: `http://127.0.0.1:${fakesPort}/v1`,
        LEPTOS_SITE_ADDR: `127.0.0.1:${providersPort}`,
        ...leptosSite,
      },
    },
  ],
});
