/**
 * Isolation (issues 5 and 9): programs cannot read or write the host's files, start processes,
 * open network connections, reach JavaScript, take over the page, or leave anything behind for
 * the next program. Each program in tests/attacks tries its ways out and prints "blocked: …" for
 * each failure, "ESCAPED: …" for a success; they run here in the browser edition, through the
 * same bridge (window.loopLab) the UI uses, each followed by an ordinary program whose output
 * must be right. Throughout: the page never navigates, nothing injected appears in its DOM, no
 * request leaves the app's origin (the staysInApp fixture), and the page never freezes (no task on
 * its main thread of FREEZE_MS or more; the 100 ms frame goal is the bench's, bench/ui.ts).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, shot, test } from './fixtures';
import { FREEZE_MS } from './long-frames';
import type { TraceEvent } from '../src/shared/trace';
import { PlayerPage } from './pages/player-page';
import { NAVIGATOR_WAYS_OUT, WAYS_OUT } from '../src/runtime/browser-worker-lockdown';

const ATTACKS = join(import.meta.dirname, '../tests/attacks');
const MARKERS = ['/tmp/looplab-attack-marker.txt', '/tmp/looplab-attack-id.txt'];
const programs = readdirSync(ATTACKS)
  .filter((f) => f.endsWith('.py'))
  .sort()
  .map((file) => ({ file, source: readFileSync(join(ATTACKS, file), 'utf8') }));

/** Limits a run may end at when the attack itself is stopped (not a failure of the sandbox). */
const STOPPED_BY = new Set(['steps', 'crashed', 'damaged', 'output', 'memory', 'time', 'events']);

const ORDINARY = 'import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print("still fine")\nasyncio.run(main())\n';
/** Looks for what the attacks try to leave behind (a fresh interpreter keeps none of it). */
const LEFTOVERS = [
  'import builtins, os, sys',
  'print("print:", type(builtins.print).__name__)',
  'print("file:", os.path.exists("/tmp/looplab-left-behind.txt"), os.path.exists("/tmp/filler.bin"))',
  'print("G:", hasattr(builtins, "G"))',
  '',
].join('\n');

/** What a test needs of a run: its stdout and its last event (not the whole trace: handing a
 * 50,000-event trace back to Playwright serializes it on the page's main thread, which would
 * be the test's own long task, not the app's). */
interface RunDigest {
  stdout: string;
  last: TraceEvent | undefined;
}

async function runInApp(page: Page, source: string, filename: string): Promise<RunDigest> {
  return page.evaluate(
    async ({ source, filename }) => {
      const bridge = window.loopLab;
      if (!bridge) throw new Error('window.loopLab is missing');
      // Some attacks walk every object in the interpreter: give them room.
      const trace = await bridge.run({ source, filename, options: { maxSteps: 5_000_000 } });
      let stdout = '';
      for (const event of trace.events) if (event.kind === 'output' && event.stream === 'stdout') stdout += event.text;
      return { stdout, last: trace.events.at(-1) };
    },
    { source, filename },
  );
}

/**
 * Starts watching the page's main thread: the longest task it ran (Chromium reports every task
 * over 50 ms) is how long the page could not answer. Read at the end. (Timers would not do:
 * a page in the background has its timers slowed on purpose.)
 */
async function watchResponsiveness(page: Page): Promise<void> {
  await page.evaluate(() => {
    const state = { worst: 0 };
    (window as unknown as { __lag: typeof state }).__lag = state;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.worst = Math.max(state.worst, entry.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
}

/**
 * What the Python worker's global object and navigator may still hold once Python is up, by
 * name: the harmless functions and values of a worker's scope, in lower case (constructors of
 * interfaces are capitalised: those that open something are in WAYS_OUT). A name not here is a
 * new thing the browser gives workers (a reviewer found `navigator.storageBuckets` and
 * `webkitRequestFileSystem`, each a store that outlived the run, and a fetch through a cache):
 * look at what it reaches before adding it.
 */
const WORKER_NAMES_KEPT = new Set([
  '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__', '__proto__', 'addEventListener', 'atob', 'btoa',
  'cancelAnimationFrame', 'clearInterval', 'clearTimeout', 'close', 'console', 'constructor', 'createImageBitmap', 'crossOriginIsolated',
  'crypto', 'decodeURI', 'decodeURIComponent', 'dispatchEvent', 'encodeURI', 'encodeURIComponent', 'escape', 'eval', 'globalThis',
  'hasOwnProperty', 'isFinite', 'isNaN', 'isPrototypeOf', 'isSecureContext', 'location', 'name', 'navigator', 'onerror', 'onlanguagechange',
  'onmessage', 'onmessageerror', 'onrejectionhandled', 'onrtctransform', 'onunhandledrejection', 'origin', 'parseFloat', 'parseInt',
  'performance', 'postMessage', 'propertyIsEnumerable', 'queueMicrotask', 'removeEventListener', 'reportError', 'requestAnimationFrame',
  'scheduler', 'self', 'setInterval', 'setTimeout', 'structuredClone', 'toLocaleString', 'toString', 'trustedTypes', 'unescape', 'valueOf', 'when',
]);
const NAVIGATOR_NAMES_KEPT = new Set([
  '__defineGetter__', '__defineSetter__', '__lookupGetter__', '__lookupSetter__', '__proto__', 'appCodeName', 'appName', 'appVersion',
  'connection', 'constructor', 'deviceMemory', 'hardwareConcurrency', 'hasOwnProperty', 'isPrototypeOf', 'language', 'languages', 'onLine',
  'platform', 'product', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'userAgent', 'userAgentData', 'valueOf',
]);

test('the Python worker, once Python is up, holds none of its ways out: read in the real worker, by name', async ({ page }) => {
  await page.goto('/#/lesson/numbers-and-letters');
  await page.waitForFunction(() => performance.getEntriesByName('loop-lab:python-ready').length > 0, null, { timeout: 120_000 });
  const seen: { globals: string[]; navigator: string[]; waysOut: string[] }[] = [];
  for (const worker of page.workers()) {
    const found = await worker.evaluate(
      ({ waysOut, navigatorWaysOut }) => {
        if ((self as { name?: string }).name !== 'python') return null;
        const defined = (target: object): string[] => {
          const names = new Set<string>();
          for (let o: object | null = target; o !== null; o = Object.getPrototypeOf(o) as object | null) {
            for (const n of Object.getOwnPropertyNames(o)) {
              try {
                if ((target as Record<string, unknown>)[n] !== undefined) names.add(n);
              } catch {
                names.add(n);
              }
            }
          }
          return [...names];
        };
        const globals = defined(self);
        const navigatorNames = defined(navigator);
        return {
          globals: globals.filter((n) => /^[a-z_]/.test(n)),
          navigator: navigatorNames.filter((n) => /^[a-z_]/.test(n)),
          waysOut: [...waysOut.filter((n) => globals.includes(n)), ...navigatorWaysOut.filter((n) => navigatorNames.includes(n)).map((n) => `navigator.${n}`)],
        };
      },
      { waysOut: [...WAYS_OUT] as string[], navigatorWaysOut: [...NAVIGATOR_WAYS_OUT] as string[] },
    );
    if (found) seen.push(found);
  }
  expect(seen).toHaveLength(1);
  const [python] = seen;
  expect(python!.waysOut).toEqual([]);
  expect(python!.globals.filter((n) => !WORKER_NAMES_KEPT.has(n))).toEqual([]);
  expect(python!.navigator.filter((n) => !NAVIGATOR_NAMES_KEPT.has(n))).toEqual([]);
});

test.describe('a program cannot get out of its sandbox', () => {
  test.beforeAll(() => {
    for (const marker of MARKERS) rmSync(marker, { force: true });
  });

  test('every attack fails, takes nothing over, leaves nothing behind, and nothing leaves the app', async ({ page }, testInfo) => {
    test.setTimeout(15 * 60_000);
    expect(programs.length).toBeGreaterThanOrEqual(25);
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame === page.mainFrame()) navigations.push(frame.url());
    });
    await page.goto('/#/scratchpad');
    await page.waitForFunction(() => window.loopLab !== undefined);
    const home = page.url();
    navigations.length = 0;
    await watchResponsiveness(page);

    let attempts = 0;
    for (const { file, source } of programs) {
      const trace = await runInApp(page, source, file);
      const out = trace.stdout;
      const lines = out.split('\n').filter((l) => l.length > 0);
      expect(lines.filter((l) => l.startsWith('ESCAPED')), `${file}:\n${out}`).toEqual([]);
      const blocked = lines.filter((l) => l.startsWith('blocked:')).length;
      attempts += blocked;
      // Every attack was tried and said how it failed, or was itself stopped, with a reason.
      const last = trace.last;
      const stopped = last?.kind === 'limit' && STOPPED_BY.has(last.reason);
      const leftSomething = lines.some((l) => /\bleft: /.test(l));
      // Or it set something up for JavaScript to call back once its run is over (attacks 31, 32):
      // the interpreter is wiped when its run ends and never runs it (tests/sandbox.test.ts
      // proves that with a marker file; the program after it, below, runs as if nothing had happened).
      const armedForLater = lines.some((l) => l.startsWith('armed: '));
      expect(blocked > 0 || stopped || leftSomething || armedForLater, `${file}:\n${out}`).toBe(true);
      if (file.startsWith('08-')) expect(out).toMatch(/virtual: wrote to the virtual \/tmp|blocked: write \/tmp/);

      // The next program, in a fresh interpreter, runs as if nothing had happened.
      const after = await runInApp(page, ORDINARY, 'main.py');
      expect(after.stdout, `the program after ${file}`).toBe('still fine\n');
      const probe = await runInApp(page, LEFTOVERS, 'probe.py');
      expect(probe.stdout, `what ${file} left behind`).toBe('print: builtin_function_or_method\nfile: False False\nG: False\n');

      // The page is still the app: not navigated, nothing injected into it.
      expect(page.url()).toBe(home);
      const injected = await page.evaluate(() => ({
        refresh: document.querySelectorAll('meta[http-equiv="refresh" i]').length,
        styles: document.querySelectorAll('style').length,
        hidden: getComputedStyle(document.body).display === 'none',
      }));
      expect(injected, `after ${file}`).toEqual({ refresh: 0, styles: 0, hidden: false });
    }
    expect(navigations).toEqual([]);
    expect(attempts).toBeGreaterThanOrEqual(50);
    for (const marker of MARKERS) expect(existsSync(marker), `${marker} on the host`).toBe(false);
    const worstLag = await page.evaluate(() => (window as unknown as { __lag: { worst: number } }).__lag.worst);
    expect(worstLag, 'the page froze (ms)').toBeLessThan(FREEZE_MS);
    await shot(page, testInfo, 'after-every-attack');
  });

  test.describe('in another time zone than the command-line tool', () => {
    test.use({ timezoneId: 'Asia/Tokyo' });

    test('the command-line tool’s Python meets the machine the app’s does: no shell, no network, no host facts, the same answers', async ({ page }) => {
      // The CLI runs Python in a Node worker thread, where Emscripten's Node branches once reached
      // the host (browser-imports.ts, program-sockets.ts). Its output must be the browser's, each
      // in a time zone of its own (the virtual clock's is UTC: clock.py).
      await page.goto('/#/scratchpad');
      await page.waitForFunction(() => window.loopLab !== undefined);
      const programs = [join(ATTACKS, '50-the-hosts-shell-and-network.py'), join(import.meta.dirname, '../tests/fixtures/host-facts.py')];
      for (const path of programs) {
        const inApp = await runInApp(page, readFileSync(path, 'utf8'), 'main.py');
        const cli = spawnSync(process.execPath, [join(import.meta.dirname, '../out/node/loop-lab.js'), 'run', path], {
          encoding: 'utf8',
          timeout: 120_000,
          env: { ...process.env, TZ: 'America/New_York' },
        });
        expect(cli.stderr, path).toBe('');
        expect(inApp.stdout.length, path).toBeGreaterThan(100);
        expect(cli.stdout, path).toBe(inApp.stdout);
      }
    });
  });

  test('a program’s markup and direction controls are shown as text, never obeyed', async ({ page }) => {
    await page.goto('/#/scratchpad');
    const player = new PlayerPage(page);
    await player.waitUntilReady();
    await player.replaceCode(
      'print("<style>body{display:none}</style><meta http-equiv=\\"refresh\\" content=\\"0;url=https://example.com\\">")\n' +
        'print("access = \'user\' \\u202e ; nimda = ssecca")\n',
    );
    await player.run();
    const console = player.console();
    await page.getByRole('button', { name: 'Jump to end', exact: true }).click();
    await expect(console).toContainText('<style>body{display:none}</style>');
    await expect(console).toContainText('⟦U+202E⟧');
    expect(await page.evaluate(() => document.querySelectorAll('style, meta[http-equiv="refresh" i]').length)).toBe(0);
  });
});
