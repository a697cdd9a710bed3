/**
 * The runtime in a Web Worker (browser edition, and Electron's hidden runtime window). Python
 * is loaded from the app's own files (`../pyodide/` beside the built assets), never from the
 * network. The worker serves one run and is then thrown away by its host.
 *
 * The host starts it from a `blob:` URL that imports this module, so the worker inherits the
 * page's Content-Security-Policy (scripts only from the app, no eval, no connections elsewhere)
 * even where the files are served with no headers at all, as on a plain static host.
 */
import type { HostToWorker } from '../shared/runtime-protocol';
import type { LoadPyodide } from './engine';
import { serveRuntime } from './worker-core';
import { closeWaysOut } from './browser-worker-lockdown';

/**
 * Built, Pyodide's files sit in pyodide/ beside assets/, where this module is: found relative to
 * it, so the app works under any sub-path of its host. The dev server serves them at /pyodide/.
 */
const indexURL = new URL(import.meta.env.DEV ? '/pyodide/' : '../pyodide/', import.meta.url).href;

// The host's first message may come before Pyodide's module has loaded: keep it until then.
const early: HostToWorker[] = [];
let deliver: ((message: HostToWorker) => void) | null = null;
self.onmessage = (event: MessageEvent<HostToWorker>) => {
  if (deliver) deliver(event.data);
  else early.push(event.data);
};

async function start(): Promise<void> {
  const module = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as { loadPyodide: LoadPyodide };
  serveRuntime(
    {
      post: (message, transfer) => self.postMessage(message, { transfer: transfer ?? [] }),
      onMessage: (handler) => {
        deliver = handler;
        for (const message of early.splice(0)) handler(message);
      },
      dropUncaughtErrors: () => {
        // Cancelled here, an error is neither passed to the page's Worker nor logged.
        self.addEventListener('error', (event) => event.preventDefault());
        self.addEventListener('unhandledrejection', (event) => event.preventDefault());
      },
    },
    module.loadPyodide,
    { indexURL, afterStart: () => closeWaysOut() },
  );
}

start().catch((error: unknown) => {
  self.postMessage({ type: 'fatal', message: `Python could not start: ${String(error)}` });
});
