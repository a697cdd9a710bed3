/**
 * What a browser worker hands Pyodide (src/runtime/page-pyodide.ts): the standard library's
 * Response (readByItself: its bytes are the Blob's, read by the Blob itself, and the rest is a
 * Response's), and the WebAssembly's instantiation (instantiateOnce), which ends the start at
 * once, saying why, when it fails.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { instantiateOnce, readByItself, refetchWasmAdvice } from '../src/runtime/page-pyodide';
import { WasmNotLoaded } from '../src/runtime/wasm-load-error';

describe('the standard library handed to Pyodide', () => {
  it('is read by the Blob’s own arrayBuffer(), whole, as often as asked', async () => {
    const bytes = new Uint8Array(300_000).map((_, i) => (i * 7) % 251);
    const blob = new Blob([bytes]);
    const read = vi.spyOn(blob, 'arrayBuffer');
    const response = readByItself(blob);
    expect(response.ok).toBe(true);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('is a Response still, whose body streams the same bytes', async () => {
    const blob = new Blob(['zip bytes']);
    const response = readByItself(blob);
    expect(response).toBeInstanceOf(Response);
    expect(await response.text()).toBe('zip bytes');
  });
});

/** The smallest WebAssembly module: no imports, no exports. */
const EMPTY_MODULE = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
/** A module importing a function `env.g` (which the calls here do not give: it does not link). */
const NEEDS_AN_IMPORT = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // one type: () -> i32
  0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x00, 0x00, // imports env.g of that type
]);
const wasmResponse = (bytes: Uint8Array<ArrayBuffer>): Response => new Response(bytes, { headers: { 'Content-Type': 'application/wasm' } });

/** Pyodide's use of instantiateStreaming (getInstantiateWasmFunc, pyodide.mjs 314.0.7): a failure is logged and waited on for ever. */
function instantiateLikePyodide(): Promise<WebAssembly.WebAssemblyInstantiatedSource> {
  return WebAssembly.instantiateStreaming(wasmResponse(new Uint8Array(0)), { env: {} }).catch(() => new Promise(() => {}));
}

/** 'pending', or how `promise` settled, within `ms`. */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<string> {
  const timer = new Promise<string>((resolve) => setTimeout(() => resolve('pending'), ms));
  return Promise.race([promise.then(() => 'resolved', (error: unknown) => `rejected: ${error instanceof Error ? error.message : String(error)}`), timer]);
}

describe('the WebAssembly’s one instantiation in a browser worker', () => {
  const platform = WebAssembly.instantiateStreaming;
  afterEach(() => {
    WebAssembly.instantiateStreaming = platform;
  });

  it('instantiates the page’s module, gives the platform’s function back, and never fails the start', async () => {
    const refetch = vi.fn(() => Promise.resolve(wasmResponse(EMPTY_MODULE)));
    const failed = instantiateOnce(WebAssembly.compile(EMPTY_MODULE), refetch);
    const { module, instance } = await instantiateLikePyodide();
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(instance).toBeInstanceOf(WebAssembly.Instance);
    expect(refetch).not.toHaveBeenCalled();
    expect(WebAssembly.instantiateStreaming).toBe(platform);
    expect(await settledWithin(failed, 50)).toBe('pending');
  });

  it('a page’s module that does not link ends the start at once, though Pyodide would wait for ever', async () => {
    const failed = instantiateOnce(WebAssembly.compile(NEEDS_AN_IMPORT), () => Promise.reject(new Error('not asked')));
    void instantiateLikePyodide();
    expect(await settledWithin(failed, 2000)).toMatch(
      /^rejected: Python's WebAssembly \(pyodide\.asm\.wasm\) could not be loaded \(.*env.*\)\. Loop Lab’s copy of it may be damaged: reload the page, and if that does not help, clear this site’s stored data/,
    );
  });

  it('with no module from the page and an error page fetched in its place, the start ends at once, saying how to get the file again', async () => {
    // Not WebAssembly at all: the platform's streaming compile refuses it with a TypeError.
    const failed = instantiateOnce(Promise.resolve(null), () => Promise.resolve(new Response('<h1>Not Found</h1>', { status: 404, headers: { 'Content-Type': 'text/html' } })));
    void instantiateLikePyodide();
    expect(await settledWithin(failed, 2000)).toMatch(/^rejected: Python's WebAssembly \(pyodide\.asm\.wasm\) could not be loaded \(.+\)\. Loop Lab’s copy of it may be damaged: reload the page/);
    await expect(failed).rejects.toBeInstanceOf(WasmNotLoaded); // not retried cold by the engine (engine.ts)
  });

  it('with no module from the page, a damaged file fetched again ends the start at once, saying so', async () => {
    const damaged = EMPTY_MODULE.slice();
    damaged[4] = 0x7f; // another version: not WebAssembly this platform compiles
    const failed = instantiateOnce(Promise.resolve(null), () => Promise.resolve(wasmResponse(damaged)));
    void instantiateLikePyodide();
    expect(await settledWithin(failed, 2000)).toMatch(/^rejected: Python's WebAssembly \(pyodide\.asm\.wasm\) could not be loaded \(.+\)\. Loop Lab’s copy/);
  });
});

describe('how a damaged WebAssembly is got again, as each shell is told', () => {
  it('the desktop app (its runtime window’s user agent names Electron): install it again', () => {
    expect(refetchWasmAdvice('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) loop-lab/1.0.0 Chrome/146.0.0.0 Electron/42.0.0 Safari/537.36')).toBe(
      'Loop Lab’s installation may be damaged: install Loop Lab again.',
    );
  });

  it('the browser edition: a reload, then the site’s stored data cleared (the service worker keeps the copy it was given)', () => {
    const said = refetchWasmAdvice('Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/146.0.0.0 Safari/537.36');
    expect(said).toMatch(/^Loop Lab’s copy of it may be damaged: reload the page, and if that does not help, clear this site’s stored data in the browser’s settings and open Loop Lab again while online\.$/);
  });
});
