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

/**
 * Built, Pyodide's files sit in pyodide/ beside assets/, where this module is: found relative to
 * it, so the app works under any sub-path of its host. The dev server serves them at /pyodide/.
 */
const indexURL = new URL(import.meta.env.DEV ? '/pyodide/' : '../pyodide/', import.meta.url).href;

/**
 * What a program that found a way to JavaScript could use to reach the network, storage,
 * other scripts or other contexts. Once Python has loaded what it needs, each is removed from
 * the worker's global object and from every object on its prototype chain (Chromium puts
 * `fetch`, `indexedDB`, `caches` … on `WorkerGlobalScope.prototype`, where deleting the
 * global's own property would leave them callable), and from `navigator`.
 */
export const WAYS_OUT = [
  'fetch',
  'XMLHttpRequest',
  'WebSocket',
  'WebSocketStream',
  'WebTransport',
  'EventSource',
  'importScripts',
  'Worker',
  'SharedWorker',
  'BroadcastChannel',
  'MessageChannel',
  'indexedDB',
  'IDBFactory',
  'caches',
  'CacheStorage',
  'Request',
  'Response',
  'FontFace',
  'fonts',
  'FontFaceSet',
  'Notification',
  'RTCPeerConnection',
  'RTCDataChannel',
  'RTCEncodedAudioFrame',
  'RTCEncodedVideoFrame',
  'StorageManager',
  'LockManager',
  'FileSystemHandle',
  'FileSystemDirectoryHandle',
  'FileSystemFileHandle',
  'FileSystemSyncAccessHandle',
  'CookieStore',
  'cookieStore',
  'PushManager',
  'ServiceWorker',
  'ServiceWorkerContainer',
] as const;

/** What a program could reach through `navigator` (storage quotas and persistence, locks, devices, service workers). */
export const NAVIGATOR_WAYS_OUT = ['storage', 'locks', 'serviceWorker', 'usb', 'hid', 'serial', 'bluetooth', 'permissions', 'mediaCapabilities', 'gpu'] as const;

function removeEverywhere(target: object, names: readonly string[]): void {
  for (let object: object | null = target; object !== null; object = Object.getPrototypeOf(object) as object | null) {
    for (const name of names) {
      if (!Object.prototype.hasOwnProperty.call(object, name)) continue;
      try {
        delete (object as Record<string, unknown>)[name];
      } catch {
        // Not deletable: make it useless instead.
      }
      if (Object.prototype.hasOwnProperty.call(object, name)) {
        try {
          Object.defineProperty(object, name, { value: undefined, writable: false, configurable: false });
        } catch {
          // Neither: nothing more this worker can do about it (the CSP still holds).
        }
      }
    }
  }
}

/** Gives up every way out: called once Python is up, before any program runs. */
export function closeWaysOut(scope: object = self): void {
  removeEverywhere(scope, WAYS_OUT);
  const navigator = (scope as { navigator?: object }).navigator;
  if (navigator) removeEverywhere(navigator, NAVIGATOR_WAYS_OUT);
}

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
    },
    module.loadPyodide,
    { indexURL, afterStart: () => closeWaysOut() },
  );
}

start().catch((error: unknown) => {
  self.postMessage({ type: 'fatal', message: `Python could not start: ${String(error)}` });
});
