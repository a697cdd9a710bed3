/**
 * The parts of Pyodide a page holds once for every interpreter's worker it makes (browser
 * edition, and Electron's runtime window): its WebAssembly (pyodide.asm.wasm, 9.6 MB),
 * compiled, and its standard library (python_stdlib.zip, 7 MB), as a Blob; and Pyodide's
 * module made from them in the worker.
 *
 * Left to Pyodide, every worker fetched both itself, through the service worker, and compiled
 * the WebAssembly on its own thread, once it had been told to start and the snapshot's header
 * had come (~0.85 s into a warm page load, measured in Chromium here from a trace of the
 * worker's thread: ~0.35 s of decoding and compiling, lazily compiled functions all through the
 * start, and the standard library's 7 MB taking 0.8 s to come from the service worker), and the
 * spare interpreter started after every run did it all again. A `WebAssembly.Module` posted to
 * a worker of the same page is the same compiled code, not a copy: what one interpreter
 * compiled (lazily, or optimised as it ran) every later one has. A Blob is a handle: each
 * worker reads its own copy of the bytes (Pyodide's file system keeps them).
 *
 * The page fetches the WebAssembly from its own address, `pyodide.asm.wasm?pyodide=<version>`.
 * No file the service worker keeps has that address, so the service worker leaves the request
 * to the browser's HTTP cache, and Chromium keeps the compiled code for it: its WebAssembly code
 * cache works only for a response from that cache, never for one a service worker hands over
 * (measured here: no cache hit in 3 warm loads through the service worker; 3 of 3 by this
 * address). The version in the address lets a host keep the file for good (scripts/web-server.ts
 * says `immutable`). Where the page has no part to give (offline with the HTTP cache emptied,
 * any failure), the worker fetches that one as Pyodide would, from what the service worker keeps.
 *
 * Trust: these parts only ever go from the page to a worker. A worker runs a stranger's
 * program, and nothing it sends is ever handed to another.
 */
import type { ModuleMaker } from './pyodide-code-cache';
import { PYODIDE_VERSION_PARAM } from '../shared/static-files';
import { WasmNotLoaded, wasmNotLoaded } from './wasm-load-error';

/**
 * Where Pyodide's files are served from, for a module built into the app's assets/ folder
 * (`moduleURL` is its `import.meta.url`): pyodide/ beside assets/, so the app works under any
 * sub-path of its host; the dev server serves them at /pyodide/.
 */
export function pyodideIndexURL(moduleURL: string): string {
  return new URL(import.meta.env.DEV ? '/pyodide/' : '../pyodide/', moduleURL).href;
}

/**
 * Pyodide's two JavaScript modules under `indexURL`: its loader (pyodide.mjs, `loadPyodide`)
 * and Emscripten's module (pyodide.asm.mjs, 1.25 MB). A worker imports both from these very
 * addresses, and its bootstrap begins both imports as it starts (browser-host.ts): a module is
 * fetched and evaluated once per address.
 */
export function pyodideScripts(indexURL: string): { loader: string; asm: string } {
  return { loader: `${indexURL}pyodide.mjs`, asm: `${indexURL}pyodide.asm.mjs` };
}

/** The address the page compiles the WebAssembly from: `indexURL`'s pyodide.asm.wasm, named by Pyodide's version. */
export function compiledWasmURL(indexURL: string, pyodideVersion: string): string {
  return `${indexURL}pyodide.asm.wasm?${PYODIDE_VERSION_PARAM}=${encodeURIComponent(pyodideVersion)}`;
}

/**
 * How long the page or a worker waits for an address the service worker leaves to the HTTP
 * cache (the WebAssembly's versioned one, the worker script's code-cache one) to begin to
 * answer, before it takes what the service worker keeps (ms). From the HTTP cache it answers in
 * a few ms; a network that stalls (a classroom's captive portal) kept Python from starting at
 * all (a reviewer's: nothing after 30 s). Once the answer has begun, its body takes what it takes.
 */
export const HTTP_CACHE_WAIT_MS = 3000;

/** The page's compile: the module, or null if it could not be fetched or compiled, or did not begin to answer in HTTP_CACHE_WAIT_MS (each worker then compiles its own). */
export async function compileOnPage(indexURL: string, pyodideVersion: string): Promise<WebAssembly.Module | null> {
  const stalled = new AbortController();
  const timer = setTimeout(() => stalled.abort(), HTTP_CACHE_WAIT_MS);
  try {
    const answer = fetch(compiledWasmURL(indexURL, pyodideVersion), { signal: stalled.signal });
    void answer.then(() => clearTimeout(timer), () => clearTimeout(timer));
    return await WebAssembly.compileStreaming(answer);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** The standard library as the page fetched it (from the service worker's copy once it has one), or null if it could not. */
export async function standardLibraryOnPage(indexURL: string): Promise<Blob | null> {
  try {
    const response = await fetch(`${indexURL}python_stdlib.zip`);
    return response.ok ? await response.blob() : null;
  } catch {
    return null;
  }
}

/** What a worker is given by its page, as each comes (null: the page could not have it). */
export interface PageParts {
  compiled: Promise<WebAssembly.Module | null>;
  standardLibrary: Promise<Blob | null>;
}

/**
 * The worker's side. Returns the module maker for `loadPyodide` (its `createPyodideModule`):
 * Pyodide's JavaScript (pyodide.asm.mjs, 1.25 MB), imported from now on, made to instantiate
 * the page's compiled WebAssembly rather than compile its own; and Pyodide's fetch of the
 * standard library (made as it starts) answered with the page's Blob. `wanted` is called when
 * either is first needed: the page may not have begun to get them (browser-host.ts).
 *
 * Pyodide still fetches its WebAssembly as it starts (pyodide.mjs 314.0.7,
 * `getInstantiateWasmFunc`), to compile it later: that fetch of `indexURL`'s plain
 * pyodide.asm.wasm is answered with an empty response, and made for real only if the page had
 * no module to give (a second 9.6 MB read from the service worker's cache, on a 2-core machine
 * where every thread is busy as the app starts). If the WebAssembly does not instantiate (a
 * damaged or missing file), the module's making fails at once, saying so (`instantiateOnce`).
 * Call once, in the worker, before `loadPyodide`.
 */
export function moduleFromPage(indexURL: string, parts: PageParts, wanted: () => void): ModuleMaker {
  const asm = import(/* @vite-ignore */ pyodideScripts(indexURL).asm) as Promise<{ default: ModuleMaker }>;
  const wasmURL = new URL(`${indexURL}pyodide.asm.wasm`, self.location.href).href;
  const standardLibraryURL = new URL(`${indexURL}python_stdlib.zip`, self.location.href).href;
  const platformFetch = self.fetch;
  self.fetch = async function fetchFromPage(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const url = input instanceof Request ? input.url : String(input);
    if (url === wasmURL) return new Response(null);
    if (url === standardLibraryURL) {
      wanted();
      const zip = await parts.standardLibrary;
      if (zip !== null) return readByItself(zip);
    }
    return platformFetch.call(self, input, init);
  };
  return async (settings) => {
    wanted();
    const make = (await asm).default;
    const failed = instantiateOnce(parts.compiled, () => platformFetch.call(self, wasmURL));
    return Promise.race([make(settings), failed]);
  };
}

/**
 * A Response of `blob` whose `arrayBuffer()` is the Blob's own read. Pyodide takes the standard
 * library by `arrayBuffer()` (`loadBinaryFile`, pyodide.mjs 314.0.7), which through a Response's
 * stream of the 7 MB Blob took 52–119 ms of a worker's start in Chromium here, against 29–50 ms
 * by the Blob's own read (8 fresh workers each, alternating). Everything else is the Response's.
 */
export function readByItself(blob: Blob): Response {
  const response = new Response(blob);
  Object.defineProperty(response, 'arrayBuffer', { value: () => blob.arrayBuffer() });
  return response;
}

/**
 * What a damaged or missing copy of the WebAssembly takes to get again: in the desktop app
 * (whose runtime window runs this same code, its user agent naming Electron), installing it
 * again; in the browser edition, the site's stored data cleared and the app opened online. A
 * plain reload is not enough: the service worker keeps the copy it was given (a reviewer's).
 */
export function refetchWasmAdvice(userAgent: string): string {
  return /\bElectron\//.test(userAgent)
    ? 'Loop Lab’s installation may be damaged: install Loop Lab again.'
    : 'Loop Lab’s copy of it may be damaged: reload the page, and if that does not help, clear this site’s stored data in the browser’s settings and open Loop Lab again while online.';
}

/** The platform's own instantiateStreaming, taken as this module loads: whatever stands in for it meanwhile is never taken for it. */
const platformInstantiateStreaming = WebAssembly.instantiateStreaming;

/**
 * The next `WebAssembly.instantiateStreaming` (Pyodide's, in the `instantiateWasm` it gives
 * Emscripten) instantiates `compiled` with the imports it is given; the platform's own is back
 * in place from that call on. Pyodide adds two imports of its own before it calls it, which is
 * why its function is kept rather than replaced. With no module from the page, what `refetch`
 * gives is compiled instead, as Pyodide would have.
 *
 * Returns a promise that rejects, with what to tell the learner (wasm-load-error.ts), if that
 * instantiation fails, and never settles otherwise: Pyodide only logs the failure ("wasm
 * instantiation failed!") and waits for ever, so the start would have waited for the host's
 * limit (60 s) and said only "Python took too long to start". Exported for its tests.
 */
export function instantiateOnce(compiled: Promise<WebAssembly.Module | null>, refetch: () => Promise<Response>): Promise<never> {
  const platform = platformInstantiateStreaming;
  let fail: (error: Error) => void = () => {};
  const failed = new Promise<never>((_resolve, reject) => (fail = reject));
  failed.catch(() => {}); // raced with the module's making, and unheard if nothing fails
  WebAssembly.instantiateStreaming = async function instantiateCompiled(_source, imports) {
    WebAssembly.instantiateStreaming = platform;
    try {
      const module = await compiled;
      if (module === null) return await platform.call(WebAssembly, refetch(), imports);
      return { module, instance: await WebAssembly.instantiate(module, imports) };
    } catch (error) {
      fail(new WasmNotLoaded(wasmNotLoaded('pyodide.asm.wasm', error, refetchWasmAdvice(typeof navigator === 'undefined' ? '' : navigator.userAgent))));
      throw error;
    }
  };
  return failed;
}
