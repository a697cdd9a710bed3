/**
 * The runtime in a Web Worker (browser edition, and Electron's hidden runtime window).
 * Python is loaded from the app's own origin (/pyodide/), never from the network.
 */
import type { HostToWorker } from '../shared/runtime-protocol';
import type { LoadPyodide } from './engine';
import { serveRuntime } from './worker-core';

const indexURL = new URL('/pyodide/', self.location.href).href;

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
    { indexURL },
  );
}

start().catch((error: unknown) => {
  self.postMessage({ type: 'fatal', message: `Python could not start: ${String(error)}` });
});
