/**
 * The runtime in a Web Worker (browser edition, and Electron's hidden runtime window). Python
 * is loaded from the app's own files (`../pyodide/` beside the built assets), never from the
 * network. The worker serves one run and is then thrown away by its host.
 *
 * The host starts it from a `blob:` URL that imports this module, so the worker inherits the
 * page's Content-Security-Policy (scripts only from the app, no eval, no connections elsewhere)
 * even where the files are served with no headers at all, as on a plain static host.
 */
import type { HostToWorker, PartsWanted } from '../shared/runtime-protocol';
import type { LoadPyodide } from './engine';
import { serveRuntime } from './worker-core';
import { closeWaysOut } from './browser-worker-lockdown';
import { moduleFromPage, pyodideIndexURL, pyodideScripts } from './page-pyodide';

const indexURL = pyodideIndexURL(import.meta.url);

/** EventTarget's and Event's own methods, kept as this worker loads (before any program runs). */
const KEPT_ADD_EVENT_LISTENER = EventTarget.prototype.addEventListener;
const KEPT_PREVENT_DEFAULT = Event.prototype.preventDefault;
/**
 * The worker scope's postMessage, kept as this worker loads: every message to the host (the
 * trace's chunks, `finished`, `fatal`) goes through it, called with Reflect.apply, never looked
 * up on DedicatedWorkerGlobalScope.prototype while or after a program runs (that prototype is
 * not frozen; a program that reached it could have read or forged what the host is sent).
 */
const KEPT_POST_MESSAGE = self.postMessage;

/** Posts `message` to the host through the kept postMessage. */
function post(message: unknown, transfer: Transferable[] = []): void {
  Reflect.apply(KEPT_POST_MESSAGE, self, [message, { transfer }]);
}

/** Whether this worker has asked the page for its parts of Pyodide (it asks once). */
let partsAsked = false;
let compiledByPage: (module: WebAssembly.Module | null) => void = () => {};
let standardLibraryFromPage: (zip: Blob | null) => void = () => {};
/** Pyodide's module: its JavaScript imported from now on, its WebAssembly and standard library as the page has them (page-pyodide.ts). */
const moduleMaker = moduleFromPage(
  indexURL,
  {
    compiled: new Promise((resolve) => (compiledByPage = resolve)),
    standardLibrary: new Promise((resolve) => (standardLibraryFromPage = resolve)),
  },
  // Said once, at the first need: the page answers that one only (parts-wanted.ts).
  () => {
    if (partsAsked) return;
    partsAsked = true;
    post({ type: 'parts-wanted' } satisfies PartsWanted);
  },
);

// The host's first message may come before Pyodide's module has loaded: keep it until then.
// The page's parts of Pyodide are taken here, as they come: serveRuntime (worker-core.ts) never sees them.
const early: HostToWorker[] = [];
let deliver: ((message: HostToWorker) => void) | null = null;
self.onmessage = (event: MessageEvent<HostToWorker>) => {
  const message = event.data;
  if (message.type === 'wasm') compiledByPage(message.module instanceof WebAssembly.Module ? message.module : null);
  else if (message.type === 'stdlib') standardLibraryFromPage(message.zip instanceof Blob ? message.zip : null);
  else if (deliver) deliver(message);
  else early.push(message);
};

async function start(): Promise<void> {
  const module = (await import(/* @vite-ignore */ pyodideScripts(indexURL).loader)) as { loadPyodide: LoadPyodide };
  // A cold start is given the same module maker as a restore (engine.ts chooses none for it).
  const load: LoadPyodide = (config) =>
    module.loadPyodide({ createPyodideModule: moduleMaker, ...config } as Parameters<LoadPyodide>[0]);
  serveRuntime(
    {
      post,
      onMessage: (handler) => {
        deliver = handler;
        for (const message of early.splice(0)) handler(message);
      },
      dropUncaughtErrors: () => {
        // Cancelled here, an error is neither passed to the page's Worker nor logged. Called
        // after a program has run: through what this worker kept as it loaded, not through
        // EventTarget's and Event's prototypes, which a program that reached JavaScript could
        // have replaced (helper-151).
        const cancel = (event: Event): void => void Reflect.apply(KEPT_PREVENT_DEFAULT, event, []);
        Reflect.apply(KEPT_ADD_EVENT_LISTENER, self, ['error', cancel]);
        Reflect.apply(KEPT_ADD_EVENT_LISTENER, self, ['unhandledrejection', cancel]);
      },
    },
    load,
    { indexURL, moduleMaker, afterStart: () => closeWaysOut() },
  );
}

start().catch((error: unknown) => {
  post({ type: 'fatal', message: `Python could not start: ${String(error)}` });
});
