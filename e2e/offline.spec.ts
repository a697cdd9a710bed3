/**
 * The browser edition as an installable, offline web app (issue 13), served by the project's
 * own server with its headers. One visit saves every file a lesson needs (the app, Pyodide and
 * its standard library, the lessons, their traces); then, with the network off, the app opens
 * again, lesson 9 plays to the end and an edited program runs. Chromium accepts the manifest
 * and the service worker: the app is installable. The guard of fixtures.ts stays on: no
 * request leaves the app's origin.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromium } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { aboutLine, filesToKeep, keptFiles, registrationState, waitUntilSaved, WEB_BUILD } from './offline-app';
import { PlayerPage } from './pages/player-page';

const LESSON_9 = resolve(import.meta.dirname, '../lessons/09-numbers-and-letters');
const LESSON_9_TITLE = /^title: (.+)$/m.exec(readFileSync(resolve(LESSON_9, 'lesson.md'), 'utf8'))![1]!;
const LESSON_9_OUTPUT = readFileSync(resolve(LESSON_9, 'main.out'), 'utf8').trimEnd().split('\n');

/** Milliseconds from the page's navigation to its first trace ready to play. */
async function msToReady(page: import('@playwright/test').Page): Promise<number> {
  return page.evaluate(() => {
    const [mark] = performance.getEntriesByName('loop-lab:ready-to-play');
    return Math.round(mark?.startTime ?? Number.NaN);
  });
}

/** Asks the network itself for a file the service worker does not keep: 'failed' when it is off. */
async function networkProbe(page: import('@playwright/test').Page): Promise<number | 'failed'> {
  return page.evaluate(() =>
    fetch(`./index.html?network-probe=${Date.now()}`, { cache: 'no-store' }).then(
      (response) => response.status,
      () => 'failed' as const,
    ),
  );
}

test.describe('offline', () => {
  // The probe's failed request is the one console error this test expects.
  test.use({ expectedConsoleErrors: /net::ERR_INTERNET_DISCONNECTED/ });

  test('after one visit, the app opens, plays lesson 9 and runs an edited program with the network off', async ({ page, context, baseURL }, testInfo) => {
    const player = new PlayerPage(page);
    await page.goto('/');
    await waitUntilSaved(page);
    expect(await registrationState(page)).toMatchObject({ active: true, waiting: false });
    expect(await networkProbe(page)).toBe(200);

    // Everything the build holds was kept (source maps aside): the app, Pyodide, the lessons' traces.
    const kept = await keptFiles(page, baseURL!);
    expect(kept).toEqual(filesToKeep(WEB_BUILD));
    for (const file of ['index.html', 'pyodide/pyodide.asm.wasm', 'pyodide/python_stdlib.zip', 'pyodide/pyodide.mjs']) expect(kept).toContain(file);
    testInfo.annotations.push({ type: 'precache', description: `${kept.length} files` });

    await context.setOffline(true);
    await page.reload();
    expect(await networkProbe(page)).toBe('failed');
    expect((await registrationState(page)).controlledByActive).toBe(true);
    await expect(aboutLine(page)).toContainText('Saved on this computer: works offline.');
    await aboutLine(page).scrollIntoViewIfNeeded();
    await shot(page, testInfo, 'offline-01-course');

    await player.openLesson(LESSON_9_TITLE);
    testInfo.annotations.push({ type: 'offline start', description: `${await msToReady(page)} ms from navigation to lesson 9 ready to play` });
    await player.freePlay();
    await player.setSpeed(8);
    await player.playToEnd();
    expect(await player.consoleLines()).toEqual(LESSON_9_OUTPUT);
    await shot(page, testInfo, 'offline-02-lesson-9-played');

    // Edit the program: three numbers, three other letters.
    const source = await player.codeText();
    const edited = source.replace('range(5)', 'range(3)').replace("'abcde'", "'xyz'");
    expect(edited).not.toBe(source);
    await player.replaceCode(edited);
    await player.run();
    await player.button('Jump to end').click();
    expect(await player.consoleLines()).toEqual(['Started:', '0', 'x', '1', 'y', '2', 'z', 'Finished!']);
    await shot(page, testInfo, 'offline-03-edited-and-run');
    expect(await networkProbe(page)).toBe('failed');
  });
});

/**
 * Chromium offers no installation in a private (incognito) window, which Playwright's usual
 * contexts are: this test uses a browser profile on disk, as a learner's browser has. The
 * engagement checks (how long a person has used the site) are skipped: a test has no person.
 */
const installTest = test.extend({
  context: async ({ launchOptions, baseURL, viewport }, use, testInfo) => {
    const context = await chromium.launchPersistentContext(testInfo.outputPath('profile'), {
      ...launchOptions,
      args: [...(launchOptions.args ?? []), '--bypass-app-banner-engagement-checks'],
      baseURL,
      viewport,
    });
    await use(context);
    await context.close();
  },
});

installTest('Chromium accepts the manifest and the service worker: it offers to install Loop Lab', async ({ page, context, baseURL }, testInfo) => {
  await page.addInitScript(() => {
    addEventListener('beforeinstallprompt', (event) => {
      event.preventDefault(); // keep the offer, as an app with its own Install button would
      document.documentElement.dataset.installOffered = 'true';
    });
  });
  await page.goto('/');
  await waitUntilSaved(page);
  const cdp = await context.newCDPSession(page);
  const manifest = (await cdp.send('Page.getAppManifest')) as { url: string; errors: unknown[]; data?: string };
  expect(manifest.errors).toEqual([]);
  expect(manifest.url).toBe(new URL('manifest.webmanifest', baseURL).href);
  const data = JSON.parse(manifest.data ?? '{}') as Record<string, unknown>;
  expect(data).toMatchObject({ name: 'Loop Lab', short_name: 'Loop Lab', display: 'standalone', start_url: './', scope: './' });
  expect(data.theme_color).toMatch(/^#[0-9a-f]{6}$/);
  expect(data.background_color).toMatch(/^#[0-9a-f]{6}$/);
  const icons = data.icons as { src: string; sizes: string; purpose?: string }[];
  expect(icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  expect(icons.some((icon) => icon.purpose === 'maskable')).toBe(true);
  for (const icon of icons) {
    const response = await page.request.get(new URL(icon.src, manifest.url).href);
    expect(response.headers()['content-type'], icon.src).toBe('image/png');
  }
  // Chromium's own verdict: no reason the app could not be installed …
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: unknown[] };
  expect(installabilityErrors).toEqual([]);
  // … and the page is offered the install ("Install Loop Lab").
  await expect(page.locator('html')).toHaveAttribute('data-install-offered', 'true');
  await shot(page, testInfo, 'install-offered');
});
