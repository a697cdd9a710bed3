/**
 * A new version deployed to the same address (issue 13): it is found and saved in the
 * background while a learner is in the middle of a lesson, and changes nothing under them; once
 * every Loop Lab window is closed it takes over, and the next start runs it and says, quietly,
 * "Updated to x.y" (once). Served by a plain static file server (e2e/static-server.ts) whose
 * folder is switched from this build (out/web) to a second one built here with a newer version.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { appVersion } from '../build/app-version';
import { expect, shot, test } from './fixtures';
import { aboutLine, registrationState, waitUntilSaved, WEB_BUILD } from './offline-app';
import { PlayerPage } from './pages/player-page';
import { serveStatic, type StaticServer } from './static-server';

const ROOT = resolve(import.meta.dirname, '..');
const PORT = 5294;
const APP_URL = `http://127.0.0.1:${PORT}/looplab/`;
const CURRENT = appVersion(ROOT);
const NEXT = `${CURRENT}-next`;

const LESSON_9 = resolve(ROOT, 'lessons/09-numbers-and-letters');
const LESSON_9_TITLE = /^title: (.+)$/m.exec(readFileSync(resolve(LESSON_9, 'lesson.md'), 'utf8'))![1]!;
const LESSON_9_OUTPUT = readFileSync(resolve(LESSON_9, 'main.out'), 'utf8').trimEnd().split('\n');

let sites: string;
let server: StaticServer;

/** A host's folder: the app at /looplab/, and an empty page outside the app's scope at /probe.html. */
function site(name: string): string {
  const folder = join(sites, name);
  mkdirSync(folder);
  writeFileSync(join(folder, 'probe.html'), '<!doctype html><title>probe</title>\n');
  return folder;
}

test.beforeAll(async () => {
  sites = mkdtempSync(join(tmpdir(), 'looplab-update-'));
  cpSync(WEB_BUILD, join(site('current'), 'looplab'), { recursive: true });
  const build = spawnSync(join(ROOT, 'node_modules/.bin/vite'), ['build', '-c', 'vite.web.config.ts', '--outDir', join(site('next'), 'looplab'), '--logLevel', 'warn'], {
    cwd: ROOT,
    env: { ...process.env, LOOPLAB_VERSION: NEXT },
    encoding: 'utf8',
  });
  expect(build.status, build.stderr).toBe(0);
  server = await serveStatic(join(sites, 'current'), PORT);
});

test.afterAll(async () => {
  await server?.close();
  rmSync(sites, { recursive: true, force: true });
});

test.use({ baseURL: APP_URL });

/** The quiet note in the top bar. */
function updateNote(page: Page): ReturnType<Page['getByRole']> {
  return page.getByRole('status').filter({ hasText: 'Updated to' });
}

/** A new window of the app; its console errors and uncaught errors go to `errors`. */
async function openWindow(context: BrowserContext, errors: string[]): Promise<Page> {
  const page = await context.newPage();
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  await page.goto('./');
  return page;
}

test('a new version waits while the learner works, and opens at the next start with "Updated to x.y"', async ({ page, context }, testInfo) => {
  test.setTimeout(240_000);
  const errors: string[] = [];

  // The first start: the app saves itself for offline use.
  await page.goto('./');
  await waitUntilSaved(page);
  await expect(aboutLine(page)).toContainText(`Loop Lab ${CURRENT}`);
  await expect(updateNote(page)).toHaveCount(0);
  await page.close();

  // The next start, served by the service worker: the learner is in the middle of lesson 9.
  const learning = await openWindow(context, errors);
  const player = new PlayerPage(learning);
  await player.openLesson(LESSON_9_TITLE);
  await player.freePlay();
  await player.stepForward(6);
  const { step } = await player.position();

  // A new version is deployed to the same address, and the browser finds it.
  server.root = join(sites, 'next');
  await learning.evaluate(async () => {
    await (await navigator.serviceWorker.getRegistration())?.update();
  });
  await expect.poll(() => registrationState(learning), { timeout: 60_000 }).toEqual({ active: true, waiting: true, controlledByActive: true });

  // Nothing changed under the learner: the same step, the same version, and the lesson goes on.
  await player.expectStep(step);
  await expect(learning.getByTitle(`Loop Lab ${CURRENT}`, { exact: true })).toBeVisible();
  await player.run();
  await player.setSpeed(8);
  await player.playToEnd();
  expect(await player.consoleLines()).toEqual(LESSON_9_OUTPUT);
  await learning.getByRole('navigation', { name: 'Places', exact: true }).getByRole('button', { name: 'Lessons', exact: true }).click();
  await expect(aboutLine(learning).getByRole('status')).toHaveText('A new version is saved: it opens the next time you start Loop Lab.');
  await aboutLine(learning).scrollIntoViewIfNeeded();
  await shot(learning, testInfo, 'update-01-waiting');
  await learning.close();

  // Every Loop Lab window is closed: the new version takes over (seen from a page outside the app).
  const probe = await context.newPage();
  await probe.goto('/probe.html');
  await expect
    .poll(
      () =>
        probe.evaluate(async (scope) => {
          const registration = await navigator.serviceWorker.getRegistration(scope);
          return { waiting: Boolean(registration?.waiting), active: registration?.active?.state ?? null };
        }, APP_URL),
      { timeout: 60_000 },
    )
    .toEqual({ waiting: false, active: 'activated' });
  await probe.close();

  // The next start runs it, and says so once.
  const updated = await openWindow(context, errors);
  await expect(updateNote(updated)).toContainText(`Updated to ${NEXT}`);
  await expect(updated.getByTitle(`Loop Lab ${NEXT}`, { exact: true })).toBeVisible();
  await expect(aboutLine(updated)).toContainText(`Loop Lab ${NEXT}`);
  await shot(updated, testInfo, 'update-02-updated-note');
  await updated.getByRole('button', { name: `Dismiss: Updated to ${NEXT}` }).click();
  await expect(updateNote(updated)).toHaveCount(0);
  await updated.reload();
  await expect(aboutLine(updated)).toContainText(`Loop Lab ${NEXT}`);
  await expect(updateNote(updated)).toHaveCount(0);
  expect(errors, 'uncaught errors in the app’s windows').toEqual([]);
});
