/**
 * The desktop app, driven through Playwright's Electron support: the same player flow as the
 * browser edition, the runtime hosted by the main process (a hidden sandboxed window), the
 * security settings as Electron reports them, and the isolation attacks.
 *
 * Electron's binary cannot be downloaded everywhere (not on the machines this project is
 * built on): where it is missing these tests are skipped, and say so.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron as electron, type ElectronApplication, expect, type Page, test } from '@playwright/test';
import type { Trace } from '../src/shared/trace';
import { streamText } from '../tests/trace-text';
import { PlayerPage } from './pages/player-page';

const ROOT = join(import.meta.dirname, '..');

function electronBinary(): string | null {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
    const binary = join(dir, 'dist', readFileSync(join(dir, 'path.txt'), 'utf8').trim());
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

const binary = electronBinary();
const SKIP_REASON =
  "Electron's binary is not installed on this machine (it could not be downloaded at install time), so the desktop app was not started; the browser-edition specs cover the same renderer and runtime.";
if (!binary) console.log(`[electron.spec] skipped: ${SKIP_REASON}`);

test.describe('the desktop app', () => {
  test.skip(!binary, SKIP_REASON);

  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async () => {
    expect(existsSync(join(ROOT, 'out/main/index.js')), 'build the app first (npm run build)').toBe(true);
    app = await electron.launch({
      executablePath: binary!,
      args: [ROOT, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    // Two windows open: the learner's, and the hidden one that runs Python.
    page = await app.waitForEvent('window', { predicate: (w) => w.url().endsWith('/index.html') });
  });

  test.afterAll(async () => {
    await app?.close();
  });

  test('every window is sandboxed, isolated, without Node, and served from app:// with the CSP', async () => {
    const windows = app.windows();
    expect(windows.map((w) => new URL(w.url()).pathname).sort()).toEqual(['/index.html', '/runtime.html']);
    for (const w of windows) {
      expect(w.url().startsWith('app://looplab/')).toBe(true);
      // No Node in any page: sandboxed, no node integration, the preload's world kept apart.
      expect(
        await w.evaluate(() => {
          const g = globalThis as Record<string, unknown>;
          return [typeof g.require, typeof g.process, typeof g.module, typeof g.ipcRenderer, typeof g.electron];
        }),
      ).toEqual(['undefined', 'undefined', 'undefined', 'undefined', 'undefined']);
      const csp = await w.evaluate(async () => (await fetch(location.href)).headers.get('content-security-policy'));
      expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
    }
    // Each page sees only its own bridge.
    expect(await page.evaluate(() => [typeof window.loopLab, typeof (window as { looplabRuntime?: unknown }).looplabRuntime])).toEqual([
      'object',
      'undefined',
    ]);
    // No navigation, no new windows, no eval.
    await page.evaluate(() => window.open('https://example.com'));
    await page.evaluate(() => {
      window.location.href = 'https://example.com';
    });
    await page.waitForTimeout(500);
    expect(page.url().startsWith('app://looplab/')).toBe(true);
    expect(app.windows().length).toBe(2);
    expect(await page.evaluate(() => {
      try {
        return String(new Function('return 1')());
      } catch (error) {
        return (error as Error).name;
      }
    })).toBe('EvalError');
  });

  test('the player flow, with Python run by the main process', async () => {
    const player = new PlayerPage(page);
    // The app opens on the course; the scratchpad holds the tutorial's even/odd example.
    await player.openScratchpad();
    await player.stepUntil(async () => (await player.card('Waiting', 'Task-2').count()) > 0);
    await expect(player.card('Waiting', 'Task-2')).toContainText('sleeps until 0.0001 s');
    expect(await player.taskNames('Ready')).toEqual(['Task-3']);
    await player.setSpeed(8);
    await player.playToEnd();
    expect(await player.consoleLines()).toEqual(['Started:', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'Finished!']);
    expect(await player.taskNames('Done')).toEqual(['Task-2', 'Task-3', 'Task-1']);
  });

  test('programs cannot get out, and a runaway one is stopped', async () => {
    const dir = join(ROOT, 'tests/attacks');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.py'))) {
      const source = readFileSync(join(dir, file), 'utf8');
      const trace = await page.evaluate(
        ({ source, file }) => window.loopLab!.run({ source, filename: file, options: { maxSteps: 5_000_000 } }),
        { source, file },
      );
      const out = streamText(trace, 'all');
      expect(out, file).not.toMatch(/ESCAPED/);
    }
    // Stuck inside one long C call, it makes no progress at all: the host stops it.
    const runaway: Trace = await page.evaluate(() =>
      window.loopLab!.run({ source: 'import re\nre.match(r"(a+)+$", "a" * 40 + "b")\n', filename: 'hang.py' }),
    );
    expect(runaway.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'time' });
  });
});
