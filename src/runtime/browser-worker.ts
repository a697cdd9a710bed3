/**
 * The runtime in a Web Worker (browser edition, and Electron's hidden runtime window).
 * Python is loaded from the app's own files (pyodide/), never from the network.
 */
import type { HostToWorker } from '../shared/runtime-protocol';
import type { LoadPyodide } from './engine';
import { serveRuntime } from './worker-core';

/**
 * Built, Pyodide's files sit in pyodide/ beside assets/, where this worker's script is: relative,
 * so that the app works under any sub-path of its host. The dev server serves them at /pyodide/.
 */
const indexURL = new URL(import.meta.env.DEV ? '/pyodide/' : '../pyodide/', self.location.href).href;

/**
 * Once Python has loaded what it needs, the worker gives up every way out it does not need: a
 * program that found a path to JavaScript would find no network, storage or workers here (and
 * the page's Content-Security-Policy forbids eval and connections elsewhere besides).
 */
const WAYS_OUT = [
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebTransport',
  'EventSource',
  'importScripts',
  'Worker',
  'SharedWorker',
  'BroadcastChannel',
  'indexedDB',
  'caches',
  'Request',
  'Response',
] as const;

function closeWaysOut(): void {
  const scope = self as unknown as Record<string, unknown>;
  for (const name of WAYS_OUT) {
    try {
      Object.defineProperty(scope, name, { value: undefined, writable: false, configurable: false });
    } catch {
      // Not defined in this browser: nothing to close.
    }
  }
}

async function start(): Promise<void> {
  const module = (await import(/* @vite-ignore */ `${indexURL}pyodide.mjs`)) as { loadPyodide: LoadPyodide };
  await serveRuntime(
    {
      post: (message) => self.postMessage(message),
      onMessage: (handler) => {
        self.onmessage = (event: MessageEvent<HostToWorker>) => handler(event.data);
      },
    },
    module.loadPyodide,
    { indexURL, afterStart: closeWaysOut },
  );
}

start().catch((error: unknown) => {
  self.postMessage({ type: 'fatal', message: `Python could not start: ${String(error)}` });
});
