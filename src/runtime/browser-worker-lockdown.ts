/**
 * What the Python worker gives up once Python has loaded (src/runtime/browser-worker.ts):
 * everything a program that found a way to JavaScript could use to reach the network,
 * storage, other scripts or other contexts. A separate module so it can be tested on its own.
 */
import { lockRealm } from './realm-lockdown';

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
  // Chromium's old file system API, still in workers (156): a persistent, origin-wide store that
  // outlives the worker, so one run could leave data for the next (helper atk2).
  'webkitRequestFileSystem',
  'webkitRequestFileSystemSync',
  'webkitResolveLocalFileSystemURL',
  'webkitResolveLocalFileSystemSyncURL',
  'StorageBucketManager',
  'StorageBucket',
] as const;

/** What a program could reach through `navigator` (storage quotas and persistence, locks, devices, service workers). */
export const NAVIGATOR_WAYS_OUT = ['storage', 'locks', 'serviceWorker', 'usb', 'hid', 'serial', 'bluetooth', 'permissions', 'mediaCapabilities', 'gpu',
  // Storage Buckets (Chromium 122+): each bucket hands out its own indexedDB, caches (whose
  // Cache.add fetches any same-origin address, with cookies) and an OPFS directory (helper atk2).
  'storageBuckets'] as const;

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
  // No getter planted on Object.prototype, no stack hook, no builtin of a program's where the
  // worker's own code calls one (attacks 75 to 77: realm-lockdown.ts).
  lockRealm(scope as Record<string, unknown>);
}
