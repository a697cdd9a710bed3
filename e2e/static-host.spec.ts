/**
 * out/web on a plain static host, under a sub-path (issue 13): served by a bare node:http file
 * handler (e2e/static-server.ts) that sends no Content-Security-Policy or other headers, at
 * http://127.0.0.1:5293/tools/looplab/ — as a school intranet or GitHub Pages would. Every file
 * the app asks for stays under that sub-path; the page's own <meta> policy is enforced; Python
 * starts and a program runs; the app is saved for offline use there too.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, shot, test } from './fixtures';
import { registrationState, waitUntilSaved, WEB_BUILD } from './offline-app';
import { PlayerPage } from './pages/player-page';
import { serveStatic, type StaticServer } from './static-server';

const PORT = 5293;
const SUB_PATH = '/tools/looplab/';
const APP_URL = `http://127.0.0.1:${PORT}${SUB_PATH}`;

let site: string;
let server: StaticServer;

test.beforeAll(async () => {
  site = mkdtempSync(join(tmpdir(), 'looplab-static-host-'));
  mkdirSync(join(site, 'tools'));
  cpSync(WEB_BUILD, join(site, SUB_PATH), { recursive: true });
  server = await serveStatic(site, PORT);
});

test.afterAll(async () => {
  await server?.close();
  rmSync(site, { recursive: true, force: true });
});

test.use({
  baseURL: APP_URL,
  // The check that the page's policy refuses inline scripts makes the browser say so, once.
  expectedConsoleErrors: /Executing inline script violates the following Content Security Policy directive 'script-src 'self' 'wasm-unsafe-eval''/,
});

test('under a sub-path of a host that sends no headers, the app starts, runs a program and keeps itself for offline use', async ({ page, context }, testInfo) => {
  const paths: string[] = [];
  context.on('request', (request) => {
    if (!request.url().startsWith('data:') && !request.url().startsWith('blob:')) paths.push(new URL(request.url()).pathname);
  });

  const response = await page.goto('./');
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toBeUndefined();

  // The policy comes from the page itself, and holds: an inline script is refused.
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(policy).toContain("script-src 'self' 'wasm-unsafe-eval'");
  const inline = await page.evaluate(
    () =>
      new Promise<{ ran: boolean; refusedBy: string }>((resolve) => {
        document.addEventListener('securitypolicyviolation', (event) => resolve({ ran: 'inlineRan' in window, refusedBy: event.effectiveDirective }), { once: true });
        const script = document.createElement('script');
        script.textContent = 'window.inlineRan = true;';
        document.body.append(script);
      }),
  );
  expect(inline).toEqual({ ran: false, refusedBy: 'script-src-elem' });

  const player = new PlayerPage(page);
  await player.openScratchpad();
  await player.replaceCode(
    ['import asyncio', '', 'async def hello(name):', '    await asyncio.sleep(1)', "    print('hello from', name)", '', "asyncio.run(hello('a sub-path'))", ''].join('\n'),
  );
  await player.run();
  await player.button('Jump to end').click();
  expect(await player.consoleLines()).toEqual(['hello from a sub-path']);
  await shot(page, testInfo, 'static-host-sub-path-run');

  await player.button('Lessons').click();
  await waitUntilSaved(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.scope);
  expect(scope).toBe(APP_URL);
  expect(await registrationState(page)).toMatchObject({ active: true, waiting: false });

  // Relative URLs throughout: nothing was asked of the host outside the app's folder.
  expect(paths.length).toBeGreaterThan(10);
  expect(paths.filter((path) => !path.startsWith(SUB_PATH))).toEqual([]);
  expect(paths).toEqual(expect.arrayContaining([`${SUB_PATH}pyodide/pyodide.asm.wasm`, `${SUB_PATH}sw.js`, `${SUB_PATH}manifest.webmanifest`]));
});
