/** A runtime supervisor whose workers are Web Workers of the current page. */
import workerScript from './browser-worker.ts?worker&url';
import { type CompiledWasmRequest, type StandardLibraryRequest } from '../shared/runtime-protocol';
import { firstPartsWanted } from './parts-wanted';
import { WORKER_CODE_CACHE_PARAM } from '../shared/static-files';
import { HTTP_CACHE_WAIT_MS, type PageParts, pyodideIndexURL, pyodideScripts, standardLibraryOnPage } from './page-pyodide';
import { IndexedDbSnapshotStore } from './snapshot-idb';
import { RuntimeSupervisor, type SupervisorOptions, type WorkerHandle } from './supervisor';

let pageParts: PageParts | null = null;

/**
 * Pyodide's parts the page holds for every worker it makes (page-pyodide.ts): its WebAssembly,
 * compiled in a worker of its own (wasm-compile-worker.ts), and its standard library; each null
 * if it could not be had. Begun early on a page the app has served before
 * (startBrowserRuntimeEarly), else when the first interpreter's worker asks (`parts-wanted`),
 * as it is about to make Pyodide's module: begun with the page, on a first visit the compile
 * held up the first lesson's board by 0.13–0.26 s (two runs of 4).
 */
function pyodidePartsOfPage(): PageParts {
  pageParts ??= {
    compiled: new Promise((resolve) => {
      const compiler = new Worker(new URL('./wasm-compile-worker.ts', import.meta.url), { type: 'module', name: 'pyodide-compile' });
      compiler.onmessage = (event: MessageEvent<unknown>) => resolve(event.data instanceof WebAssembly.Module ? event.data : null);
      compiler.onerror = () => resolve(null);
      compiler.onmessageerror = () => resolve(null);
    }),
    standardLibrary: standardLibraryOnPage(pyodideIndexURL(import.meta.url)),
  };
  return pageParts;
}

let bootstrapUrl: string | null = null;

/**
 * A `blob:` script that imports the worker's real module. A worker made from a `blob:` URL
 * inherits the page's Content-Security-Policy, so the worker is held to the page's policy
 * whether or not the server sent the policy with the worker's own file.
 *
 * In a built app the module is fetched at its code-cache address first
 * (WORKER_CODE_CACHE_PARAM), which the service worker leaves to the HTTP cache, so that
 * Chromium keeps its compiled code; if that address fails or has not answered within
 * HTTP_CACHE_WAIT_MS (offline with the HTTP cache emptied, a stalled network), the module is
 * imported from its own address, which the service worker holds. The module is imported once,
 * from one address: a module that threw as it loaded is not loaded again. The host's messages
 * that come meanwhile are held and handed on, in order, once the module is in (a module worker
 * takes messages as soon as its first script has run, and this one's import is not part of it).
 * Pyodide's two modules (pyodide.mjs, pyodide.asm.mjs) are begun meanwhile, at the addresses the
 * worker's module imports them from: fetched and compiled beside it rather than after it (they
 * came ~0.1 s after it on a warm load in a trace here, and Python's start waited for them).
 * Vite's dev server is left its own address (a query of ours hid it as a worker's script).
 */
function workerBootstrap(): string {
  if (bootstrapUrl === null) {
    const script = new URL(workerScript, document.baseURI).href;
    let source = `import ${JSON.stringify(script)};\n`;
    if (!import.meta.env.DEV) {
      const cached = `${script}${script.includes('?') ? '&' : '?'}${WORKER_CODE_CACHE_PARAM}=1`;
      source = [
        'const held = [];',
        'const hold = (event) => { held.push(event.data); event.stopImmediatePropagation(); };',
        "self.addEventListener('message', hold);",
        // Begun, not awaited: the worker's module awaits them where it needs them (a failure is its to report).
        `for (const url of ${JSON.stringify(Object.values(pyodideScripts(pyodideIndexURL(script))))}) import(url).catch(() => {});`,
        `const answered = await Promise.race([fetch(${JSON.stringify(cached)}).then((response) => response.ok, () => false), new Promise((resolve) => setTimeout(() => resolve(false), ${HTTP_CACHE_WAIT_MS}))]);`,
        `try { await import(answered ? ${JSON.stringify(cached)} : ${JSON.stringify(script)}); } finally {`,
        "  self.removeEventListener('message', hold);",
        "  for (const data of held) self.dispatchEvent(new MessageEvent('message', { data }));",
        '}',
        '',
      ].join('\n');
    }
    bootstrapUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  }
  return bootstrapUrl;
}

export function spawnWebWorker(): WorkerHandle {
  const worker = new Worker(workerBootstrap(), { type: 'module', name: 'python' });
  let errorHandler: ((message: string) => void) | null = null;
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    errorHandler?.(event.message || 'the Python worker failed to load');
  });
  worker.addEventListener('messageerror', () => errorHandler?.('the Python worker sent a message that could not be read'));
  let sent = false;
  const sendParts = (): void => {
    if (sent) return;
    sent = true;
    const parts = pyodidePartsOfPage();
    void parts.compiled.then((module) => worker.postMessage({ type: 'wasm', module } satisfies CompiledWasmRequest));
    void parts.standardLibrary.then((zip) => worker.postMessage({ type: 'stdlib', zip } satisfies StandardLibraryRequest));
  };
  if (pageParts !== null) sendParts();
  // The worker's one `parts-wanted` is the page's to answer, heard from the start; every other
  // message is the supervisor's (parts-wanted.ts).
  const isPagesToAnswer = firstPartsWanted();
  const handlers: ((data: unknown) => void)[] = [];
  worker.addEventListener('message', (event: MessageEvent<unknown>) => {
    if (isPagesToAnswer(event.data)) sendParts();
    else for (const handler of handlers) handler(event.data);
  });
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => worker.terminate(),
    onMessage: (handler) => {
      handlers.push(handler);
    },
    onError: (handler) => {
      errorHandler = handler;
    },
  };
}

/**
 * The page's spare interpreter starts this long after a run ends (supervisor.ts,
 * spareAfterRunMs): time for the result to be drawn first. A learner reads a result for longer
 * than a warm start takes (about 1–2 s on a two-core machine); a Run before then waits in line.
 */
const SPARE_AFTER_RUN_MS = 250;

/** The browser runtime; its snapshot is kept in this page's IndexedDB unless `snapshots` says otherwise. */
export function createBrowserRuntime(options: SupervisorOptions = {}): RuntimeSupervisor {
  return new RuntimeSupervisor(spawnWebWorker, { snapshots: new IndexedDbSnapshotStore(), spareAfterRunMs: SPARE_AFTER_RUN_MS, ...options });
}

/** The runtime started by the main page's first script, not yet taken by the page's bridge. */
let startedEarly: RuntimeSupervisor | null = null;

/**
 * Starts the page's runtime now: called by the main page's first script (src/renderer/early.ts)
 * while the app's own scripts (about 1 MB) still load and run, so that Python's first worker,
 * its files and the kept snapshot are on their way about half a second sooner on a fresh load
 * here. The page's bridge takes it (`takeBrowserRuntime`).
 */
export function startBrowserRuntimeEarly(): void {
  pyodidePartsOfPage();
  startedEarly ??= createBrowserRuntime();
}

/** The runtime started early, if there is one not yet taken, else a new one. */
export function takeBrowserRuntime(): RuntimeSupervisor {
  const runtime = startedEarly ?? createBrowserRuntime();
  startedEarly = null;
  return runtime;
}
