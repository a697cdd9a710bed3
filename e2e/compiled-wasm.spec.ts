/**
 * Pyodide's WebAssembly is compiled once by the page, and its standard library fetched once,
 * and both shared with every interpreter it starts (src/runtime/page-pyodide.ts): the
 * WebAssembly fetched from its versioned address (which the service worker leaves to the
 * browser's HTTP cache, where Chromium keeps the compiled code), neither fetched again by the
 * interpreters that follow; and if that address cannot be had, each interpreter compiles
 * Pyodide's own fetch, as before, and programs still run. Likewise the Python worker's own
 * script, asked for at its code-cache address (src/runtime/browser-host.ts), and at its plain
 * address when that cannot be had; Pyodide's two JavaScript modules, begun by the worker's
 * bootstrap beside that script, not after it; and the tracer's bytecode, which a cold start
 * waits for a few seconds at most.
 */
import type { BrowserContext, Page, Request } from '@playwright/test';
import { expect, test } from './fixtures';
import { PlayerPage } from './pages/player-page';

const program = (word: string): string =>
  `import asyncio\nasync def main():\n    await asyncio.sleep(0.25)\n    print(${JSON.stringify(word)})\nasyncio.run(main())\n`;

/**
 * Every request made in `context` from now on by the page or its workers whose path `wanted`
 * takes (not the service worker's own, as it keeps the app's files for offline use).
 */
function requestsWhere(context: BrowserContext, wanted: (pathname: string) => boolean): string[] {
  const seen: string[] = [];
  context.on('request', (request: Request) => {
    if (request.serviceWorker() !== null) return;
    if (wanted(new URL(request.url()).pathname)) seen.push(request.url());
  });
  return seen;
}

/** Every request for Pyodide's `file`. */
const requestsFor = (context: BrowserContext, file: string): string[] => requestsWhere(context, (path) => path.endsWith(`/pyodide/${file}`));

/** Every request for a built script of the Python worker's (assets/browser-worker-*.js). */
const workerScriptRequests = (context: BrowserContext): string[] => requestsWhere(context, (path) => /\/assets\/browser-worker-[\w-]+\.js$/.test(path));

/** Opens the scratchpad and runs one program per word, each in its own interpreter, checking it printed the word. */
async function runEach(page: Page, words: readonly string[]): Promise<void> {
  const player = new PlayerPage(page);
  await page.goto('/#/scratchpad');
  await player.waitUntilReady();
  for (const word of words) {
    await player.replaceCode(program(word));
    await player.run();
    await player.button('Jump to end').click();
    expect(await player.consoleLines()).toEqual([word]);
  }
}

const wasmRequests = (context: BrowserContext): string[] => requestsFor(context, 'pyodide.asm.wasm');

test('the WebAssembly and the standard library are fetched once, the WebAssembly by its versioned address, and the next interpreters share them', async ({ page, context }) => {
  const requests = wasmRequests(context);
  const standardLibrary = requestsFor(context, 'python_stdlib.zip');
  // Three runs: three interpreters, the second and third started as spares after a run.
  await runEach(page, ['first', 'second', 'third']);
  expect(requests).toHaveLength(1);
  expect(new URL(requests[0]!).searchParams.get('pyodide')).toMatch(/^\d+\.\d+\.\d+/);
  expect(standardLibrary).toHaveLength(1);
});

test('with its versioned address refused, each interpreter compiles its own and programs run', async ({ page, context }) => {
  await context.route('**/pyodide/pyodide.asm.wasm?pyodide=*', (route) => route.abort());
  const requests = wasmRequests(context);
  await runEach(page, ['on its own', 'and again']);
  // The page's one try, then Pyodide's own fetch by every interpreter that started.
  expect(requests.filter((url) => url.includes('?pyodide='))).toHaveLength(1);
  expect(requests.filter((url) => !url.includes('?')).length).toBeGreaterThanOrEqual(2);
});

test('the Python worker’s script is asked for at its code-cache address, the one the service worker leaves to the HTTP cache', async ({ page, context }) => {
  const requests = workerScriptRequests(context);
  await runEach(page, ['cached']);
  expect(requests.length).toBeGreaterThanOrEqual(1);
  for (const url of requests) expect(new URL(url).searchParams.get('code-cache')).toBe('1');
});

test('with the worker’s code-cache address refused, each worker loads its script from its plain address and programs run', async ({ page, context }) => {
  await context.route('**/assets/browser-worker-*.js?code-cache=*', (route) => route.abort());
  const requests = workerScriptRequests(context);
  await runEach(page, ['from the plain address', 'and again']);
  // Two interpreters at least (the first, and the spare that ran the second program), each
  // trying the code-cache address and then the plain one.
  expect(requests.filter((url) => url.includes('?code-cache=')).length).toBeGreaterThanOrEqual(2);
  expect(requests.filter((url) => !url.includes('?')).length).toBeGreaterThanOrEqual(2);
});

test('with the worker’s code-cache address stalled, each worker waits a few seconds, loads its script from its plain address and runs', async ({ page, context }) => {
  // Never answered: a network that hangs, not one that fails.
  await context.route('**/assets/browser-worker-*.js?code-cache=*', () => {});
  const requests = workerScriptRequests(context);
  await runEach(page, ['after the wait']);
  expect(requests.filter((url) => !url.includes('?')).length).toBeGreaterThanOrEqual(1);
});

test('with the WebAssembly’s versioned address stalled, the page stops waiting for it and each interpreter compiles its own', async ({ page, context }) => {
  // Never answered: a network that hangs, not one that fails.
  await context.route('**/pyodide/pyodide.asm.wasm?pyodide=*', () => {});
  await runEach(page, ['compiled anyway']);
});

test('Pyodide’s two modules are asked for while the worker’s script is still on its way, each once per worker', async ({ page, context }) => {
  // The worker's script held back a second and a half: what its bootstrap begins meanwhile is
  // asked for before it is let through (src/runtime/browser-host.ts, workerBootstrap).
  let scriptLetThrough = Number.POSITIVE_INFINITY;
  await context.route('**/assets/browser-worker-*.js?code-cache=*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    scriptLetThrough = Math.min(scriptLetThrough, Date.now());
    await route.continue();
  });
  const askedAt: Record<string, number[]> = { 'pyodide.mjs': [], 'pyodide.asm.mjs': [] };
  context.on('request', (request: Request) => {
    if (request.serviceWorker() !== null) return;
    const file = new URL(request.url()).pathname.split('/').pop()!;
    askedAt[file]?.push(Date.now());
  });
  let pythonWorkers = 0; // each started from its blob: bootstrap (the compile and codec workers are not)
  page.on('worker', (worker) => {
    if (worker.url().startsWith('blob:')) pythonWorkers++;
  });
  await runEach(page, ['begun early']);
  expect(pythonWorkers).toBeGreaterThanOrEqual(1);
  for (const times of Object.values(askedAt)) {
    expect(times[0]).toBeLessThan(scriptLetThrough);
    expect(times.length).toBeLessThanOrEqual(pythonWorkers);
  }
});

test.describe('a first visit with the snapshot the app ships held back', () => {
  // Its request answered 404, which the browser logs on the console as it would for any missing file.
  test.use({ expectedConsoleErrors: /Failed to load resource: the server responded with a status of 404/ });

  test('with the tracer’s bytecode stalled, a cold start waits a few seconds, imports the tracer from its sources, and runs', async ({ page, context }) => {
    // Never answered: a first visit's network that hangs (the chunk is loaded by cold starts only,
    // so the snapshot the app ships, which a first visit restores, is not to be had either).
    await context.route(/\/snapshot\/python-[^/]+\.gz$/, (route) => route.fulfill({ status: 404, body: 'Not found' }));
    const asked: string[] = [];
    await context.route('**/assets/tracer-bytecode-*.js', (route) => {
      asked.push(route.request().url());
    });
    const started = Date.now();
    await runEach(page, ['from its sources']);
    expect(asked.length).toBeGreaterThanOrEqual(1);
    // Not the supervisor's 60 s start timeout, and no second start after it.
    expect(Date.now() - started).toBeLessThan(40_000);
  });
});

test('with the WebAssembly damaged, Python’s start ends in seconds saying so, and the lesson still plays', async ({ page, context }) => {
  // Both addresses answer with what is not WebAssembly: the page's compile fails, and so does
  // each interpreter's own. Pyodide only logs that and waits, which took the supervisor's 60 s
  // start limit and said "Python took too long to start" (src/runtime/page-pyodide.ts,
  // instantiateOnce).
  await context.route('**/pyodide/pyodide.asm.wasm*', (route) =>
    route.fulfill({ status: 200, contentType: 'application/wasm', body: Buffer.from('\0asm damaged on the way') }),
  );
  const player = new PlayerPage(page);
  const started = Date.now();
  await page.goto('/#/lesson/numbers-and-letters');
  const said = page.getByText(/^Python could not start: Python's WebAssembly \(pyodide\.asm\.wasm\) could not be loaded \(.+\)\. Loop Lab’s copy of it may be damaged: reload the page, and if that does not help, clear this site’s stored data/);
  await said.waitFor({ timeout: 30_000 });
  expect(Date.now() - started).toBeLessThan(30_000);
  // The lesson's recorded trace needs no Python: it plays to its end.
  await player.button('Jump to end').click();
  expect((await player.consoleLines()).length).toBeGreaterThan(0);
});
