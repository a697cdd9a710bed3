/**
 * What the offline specs share: where the built web app is, which of its files the service
 * worker must keep, what it did keep, and the course screen's last line that tells a teacher
 * the app is saved for offline use.
 */
import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';

export const WEB_BUILD = resolve(import.meta.dirname, '../out/web');

/** Every file of a web build, relative to it ('assets/index-….js', 'pyodide/…'), sorted. */
export function filesOf(dir: string): string[] {
  const files = readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)).split('\\').join('/'));
  return files.sort();
}

/**
 * The files a first visit must keep: all of them but source maps and the service worker's own
 * scripts (the browser keeps those itself).
 */
export function filesToKeep(dir: string): string[] {
  return filesOf(dir).filter((file) => !file.endsWith('.map') && file !== 'sw.js' && !/^workbox-[\w-]+\.js$/.test(file));
}

/** The files the page's service worker keeps, relative to the app's address, sorted. */
export async function keptFiles(page: Page, appUrl: string): Promise<string[]> {
  const urls = await page.evaluate(async () => {
    const found: string[] = [];
    for (const name of await caches.keys()) {
      const cache = await caches.open(name);
      for (const request of await cache.keys()) found.push(request.url);
    }
    return found;
  });
  return urls.map((url) => new URL(url).pathname.slice(new URL(appUrl).pathname.length)).sort();
}

/** The course screen's last line: the version, and whether the app is saved for offline use. */
export function aboutLine(page: Page): Locator {
  return page.getByRole('region', { name: 'About this copy', exact: true });
}

/** Waits until the service worker has kept every file (the course screen says so). */
export async function waitUntilSaved(page: Page): Promise<void> {
  await expect(aboutLine(page).getByRole('status')).toHaveText('Saved on this computer: works offline.', { timeout: 90_000 });
}

/** The page's service-worker registration, as the page sees it. */
export async function registrationState(page: Page): Promise<{ active: boolean; waiting: boolean; controlledByActive: boolean }> {
  return page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return {
      active: Boolean(registration?.active),
      waiting: Boolean(registration?.waiting),
      controlledByActive: navigator.serviceWorker.controller !== null && navigator.serviceWorker.controller === registration?.active,
    };
  });
}
