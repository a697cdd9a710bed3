/**
 * The browser-edition specs' `test`: Playwright's, with a guard every test runs under. No
 * request may leave the app's own origin (the app works offline, issue 5), and no error may
 * go uncaught in the page. A screenshot helper keeps each moment as an attachment.
 */
import { expect, type Page, type TestInfo, test as base } from '@playwright/test';

export { expect };

/** Where a request goes, as an origin (a blob: URL goes where its creator lives). */
function originOf(url: string): string | null {
  if (url.startsWith('data:')) return null;
  return new URL(url.startsWith('blob:') ? url.slice(5) : url).origin;
}

export const test = base.extend<{ staysInApp: void; expectedConsoleErrors: RegExp | null; otherOrigins: string[] }>({
  /** Console errors a spec expects (the attack suite's, when Python is made to fail on purpose). */
  expectedConsoleErrors: [null, { option: true }],
  /** Origins a spec serves itself besides the app (a course page on another local port that embeds the player). */
  otherOrigins: [[], { option: true }],
  staysInApp: [
    async ({ context, page, baseURL, expectedConsoleErrors, otherOrigins }, use) => {
      const origin = new URL(baseURL ?? 'http://127.0.0.1/').origin;
      const allowed = new Set([origin, ...otherOrigins.map((o) => new URL(o).origin)]);
      const outside: string[] = [];
      const errors: string[] = [];
      // The context sees the page's requests and its workers' (Python's) alike.
      context.on('request', (request) => {
        const where = originOf(request.url());
        if (where !== null && !allowed.has(where)) outside.push(request.url());
      });
      page.on('pageerror', (error) => errors.push(error.message));
      page.on('console', (message) => {
        const text = message.text();
        if (message.type() === 'error' && !expectedConsoleErrors?.test(text)) errors.push(`console: ${text}`);
      });
      await use();
      expect(outside, 'requests that left the app’s origin').toEqual([]);
      expect(errors, 'uncaught errors in the page').toEqual([]);
    },
    { auto: true },
  ],
});

/** Takes a screenshot, keeps it in the test's output folder and attaches it to the report. */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
