/**
 * The browser worker gives up every way out once Python has loaded (issue 9): each name is
 * removed from the worker's global object AND from every object on its prototype chain (in
 * Chromium `fetch`, `indexedDB`, `caches` … live on WorkerGlobalScope.prototype, where deleting
 * the global's own property would leave them callable), and from navigator's.
 */
import { describe, expect, it } from 'vitest';
import { closeWaysOut, NAVIGATOR_WAYS_OUT, WAYS_OUT } from '../src/runtime/browser-worker-lockdown';

/** A stand-in for a worker global: WorkerGlobalScope.prototype → EventTarget.prototype → the global. */
function fakeWorkerGlobal() {
  const eventTargetProto: Record<string, unknown> = { addEventListener: () => undefined };
  const scopeProto: Record<string, unknown> = Object.create(eventTargetProto);
  for (const name of ['fetch', 'indexedDB', 'caches', 'importScripts', 'fonts']) scopeProto[name] = () => name;
  Object.defineProperty(scopeProto, 'storageGetter', { get: () => 'x', configurable: true });
  const navigatorProto: Record<string, unknown> = { storage: {}, locks: {}, userAgent: 'test' };
  const navigator = Object.create(navigatorProto);
  const global: Record<string, unknown> = Object.create(scopeProto);
  global.navigator = navigator;
  for (const name of ['XMLHttpRequest', 'WebSocket', 'EventSource', 'BroadcastChannel', 'Worker']) global[name] = class {};
  global.postMessage = () => undefined;
  global.WebAssembly = {};
  return { global, scopeProto, navigator };
}

describe('the worker gives up its ways out', () => {
  it('from the global and its prototype chain, and from navigator', () => {
    const { global, scopeProto, navigator } = fakeWorkerGlobal();
    closeWaysOut(global);
    for (const name of WAYS_OUT) {
      expect(global[name], name).toBeUndefined();
      expect(Object.prototype.hasOwnProperty.call(scopeProto, name) && scopeProto[name] !== undefined, name).toBe(false);
    }
    for (const name of NAVIGATOR_WAYS_OUT) expect((navigator as Record<string, unknown>)[name], name).toBeUndefined();
    // What Python and the protocol need stays.
    expect(typeof global.postMessage).toBe('function');
    expect(global.WebAssembly).toBeDefined();
    expect((navigator as Record<string, unknown>).userAgent).toBe('test');
  });

  it('a name that cannot be deleted is made useless instead', () => {
    const global: Record<string, unknown> = {};
    Object.defineProperty(global, 'fetch', { value: () => 'fetched', writable: true, configurable: false });
    closeWaysOut(global);
    expect(global.fetch).not.toBeTypeOf('function');
  });

  it('lists every way out the issue names', () => {
    for (const name of ['fetch', 'XMLHttpRequest', 'WebSocket', 'WebSocketStream', 'EventSource', 'indexedDB', 'caches', 'importScripts', 'FontFace', 'fonts', 'BroadcastChannel']) {
      expect(WAYS_OUT, name).toContain(name);
    }
    expect(NAVIGATOR_WAYS_OUT).toContain('storage');
  });
});
