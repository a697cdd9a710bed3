/**
 * Playwright e2e: the browser edition (out/web, built by `npm test` before this runs), served
 * by scripts/serve-web.ts with the app's CSP, in Debian's Chromium. One worker: Python takes a
 * few seconds to start and these machines have two cores.
 */
import { defineConfig } from '@playwright/test';

const port = Number(process.env.LOOPLAB_E2E_PORT ?? 5183);
export const baseURL = `http://127.0.0.1:${port}/`;

export default defineConfig({
  testDir: 'e2e',
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  outputDir: 'test-results',
  reporter: process.env.CI ? [['list'], ['html', { open: 'never' }]] : [['list']],
  use: {
    baseURL,
    browserName: 'chromium',
    viewport: { width: 1440, height: 900 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // The last: Chromium 156 builds the address bar's drop-down (~360 modules) for every new
      // tab, headless or not, on the cores the app's pages need (see bench/ui.ts).
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-features=WebUIOmniboxPopup,WebUIOmniboxAimPopup',
      ],
    },
    actionTimeout: 20_000,
    navigationTimeout: 60_000,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  webServer: {
    command: `npx tsx scripts/serve-web.ts --port ${port}`,
    url: baseURL,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
    stdout: 'ignore',
  },
});
