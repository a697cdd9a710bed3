/**
 * CPython's WebAssembly (pyodide.asm.wasm, 9.6 MB) compiled by the host thread of a Node
 * process and handed to its runtime worker threads, which instantiate it instead of compiling
 * it again (the browser's counterpart is page-pyodide.ts: a worker of the page's compiles it).
 *
 * Pyodide reads the file once Python's settings are made, then compiles and instantiates it in
 * one call (`WebAssembly.instantiate(bytes, imports)` in `getInstantiateWasmFunc`, pyodide.mjs
 * 314.0.7), on the worker's thread, which is the start's critical path. On `loop-lab run
 * hello.py` with a kept snapshot here, that call began ~0.4 s after the process and took
 * ~130 ms, of which compiling is ~70 (`WebAssembly.compile` of the file alone, Liftoff); the
 * host thread meanwhile waits for the worker. A compiled module can be posted to any worker of
 * its process and instantiated there any number of times (the code is shared, each instance has
 * its own memory), so a host that starts many workers compiles once.
 *
 * Only Node's own modules are imported here: the CLI's first script begins the compile before
 * the rest of its code has loaded (src/cli/early.ts).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { statSync } from 'node:fs';
import fsPromises from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { WasmNotLoaded, wasmNotLoaded } from './wasm-load-error';

/** Where Pyodide's module maker is: pyodide.asm.mjs, as the pyodide package resolves from here. */
export function pyodideModulePath(): string {
  return createRequire(import.meta.url).resolve('pyodide/pyodide.asm.mjs');
}

/** Where Pyodide's WebAssembly is: beside its module maker, where Pyodide looks for it (its `indexURL`). */
export function pyodideWasmPath(): string {
  return join(dirname(pyodideModulePath()), 'pyodide.asm.wasm');
}

type Instantiate = (source: unknown, ...rest: unknown[]) => Promise<unknown>;
type ReadFile = (path: unknown, ...rest: unknown[]) => Promise<unknown>;

/** Which file a module was compiled from, as `fs.stat` tells it: the same path, size, time and inode are taken for the same file. */
export interface WasmFile {
  path: string;
  bytes: number;
  mtimeMs: number;
  ino: number;
}

/** The file at `path` as it is now, or null if it cannot be read. */
export function wasmFile(path: string): WasmFile | null {
  try {
    const { size, mtimeMs, ino } = statSync(path);
    return { path: resolve(path), bytes: size, mtimeMs, ino };
  } catch {
    return null;
  }
}

/** Whether `a` and `b` are the same file, unchanged (both known). */
export function sameWasmFile(a: WasmFile | null, b: WasmFile | null): boolean {
  return a !== null && b !== null && a.path === b.path && a.bytes === b.bytes && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/** Pyodide's WebAssembly as a host thread compiles it for its workers, and the file it compiles it from. */
export interface HostWasm {
  compiled: Promise<WebAssembly.Module | null>;
  /**
   * The file, as it was when its read began (null: it could not be read). A worker uses the
   * module only where its own Pyodide reads this same file, unchanged: a worker built elsewhere,
   * or a Pyodide upgraded under a long-running host, reads another.
   */
  compiledFrom: WasmFile | null;
}

let compiledOnce: HostWasm | null = null;

/**
 * Pyodide's WebAssembly, compiled once per process (the first call begins it; a failed one is
 * tried again by the next call), for a worker (spawnNodeWorker); its module is null if the file
 * could not be read or compiled: a worker then compiles what Pyodide reads, as Pyodide would
 * (and reports a missing file in its own words). Compiled under the V8 flags in force at the
 * first call (src/cli/early.ts sets them before). Read through Node's own `readFile` even while
 * a load's stand-in is installed (`loadingCompiled`).
 */
export function hostWasm(): HostWasm {
  if (compiledOnce === null) {
    const path = pyodideWasmPath();
    const compiledFrom = wasmFile(path);
    const compiled = (loads.size > 0 ? installed!.readFile : (fsPromises.readFile as unknown as ReadFile))
      .call(fsPromises, path)
      .then((bytes) => WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>))
      .catch(() => {
        compiledOnce = null;
        return null;
      });
    compiledOnce = { compiled, compiledFrom };
  }
  return compiledOnce;
}

/**
 * How long a load waits for the host's module once Pyodide asks for its WebAssembly, in ms,
 * before it reads and compiles the file itself. The host's compile always settles (module or
 * null), in ~0.1–1 s; this bounds a read of it that stalls.
 */
export const HOST_WASM_WAIT_MS = 10_000;

/** A load in progress in this thread (`loadingCompiled`): the file it answers for, and how. */
interface Load {
  wasmPath: string;
  /** The host's module, or null (the file is read): decided at the load's first ask, the same after. */
  decide: () => Promise<WebAssembly.Module | null>;
  token: Uint8Array<ArrayBuffer>;
  /** The memory of the file's bytes as read for Pyodide, where they were (no module). */
  read: ArrayBufferLike | null;
  /** Ends the load with `error`: Pyodide's WebAssembly did not instantiate. */
  fail: (error: Error) => void;
}

/** The loads in progress in this thread; the stand-ins below are installed while there is one. */
const loads = new Set<Load>();
/** Which load a call comes from: the one whose `load(config)` it runs within (its async context). */
const currentLoad = new AsyncLocalStorage<Load>();
/**
 * The read and instantiate in place when the first of the loads in progress began, put back
 * when the last ends (unless something else replaced the stand-ins meanwhile), and the ones
 * the stand-ins hand every other call to: never a stand-in, so nothing calls itself. Kept after
 * the loads, for a stand-in some code kept and calls later.
 */
let installed: { readFile: ReadFile; instantiate: Instantiate } | null = null;

const readFileStandIn: ReadFile = async (path, ...rest) => {
  const load = currentLoad.getStore();
  const outer = installed!;
  if (load !== undefined && loads.has(load) && typeof path === 'string' && resolve(path) === load.wasmPath) {
    if ((await load.decide()) !== null) return Buffer.from(load.token.buffer);
    const bytes = await outer.readFile.call(fsPromises, path, ...rest);
    load.read = ArrayBuffer.isView(bytes) ? bytes.buffer : null;
    return bytes;
  }
  return outer.readFile.call(fsPromises, path, ...rest);
};

const instantiateStandIn: Instantiate = async (source, ...rest) => {
  const outer = installed!;
  const view = ArrayBuffer.isView(source) ? source : null;
  const load = view === null ? undefined : [...loads].find((l) => l.token.buffer === view.buffer || l.read === view.buffer);
  if (load === undefined) return outer.instantiate.call(WebAssembly, source, ...rest);
  try {
    if (view!.buffer !== load.token.buffer) return await outer.instantiate.call(WebAssembly, source, ...rest);
    const module = (await load.decide())!; // a token is given only for a module
    return { module, instance: await outer.instantiate.call(WebAssembly, module, ...rest) };
  } catch (error) {
    // Pyodide would only log this on the console ("wasm instantiation failed!", the CLI's
    // terminal) and wait for ever: the load ends now, saying so, and Pyodide is left waiting.
    load.fail(new WasmNotLoaded(notLoaded(load.wasmPath, error)));
    return new Promise<never>(() => {});
  }
};

/** Why Pyodide's WebAssembly at `path` did not instantiate in Node, and what to do (wasm-load-error.ts): a damaged installation is installed again by `npm ci`. */
export function notLoaded(path: string, error: unknown): string {
  return wasmNotLoaded(path, error, 'The installation may be damaged: run `npm ci` in the Loop Lab folder to install it again.');
}

/** Puts the stand-ins in place, keeping what was there. */
function installStandIns(): void {
  installed = { readFile: fsPromises.readFile as unknown as ReadFile, instantiate: WebAssembly.instantiate as unknown as Instantiate };
  (fsPromises as unknown as { readFile: ReadFile }).readFile = readFileStandIn;
  // Every built-in's ES module view is brought up to date with its exports: `import('node:fs/promises')`,
  // as Pyodide imports it, sees the change. Nothing else in a worker changes a built-in's exports.
  syncBuiltinESMExports();
  WebAssembly.instantiate = instantiateStandIn as unknown as typeof WebAssembly.instantiate;
}

/** Puts back what was there before the stand-ins, where they are still in place. */
function removeStandIns(): void {
  const outer = installed!;
  if ((fsPromises.readFile as unknown) === readFileStandIn) {
    (fsPromises as unknown as { readFile: ReadFile }).readFile = outer.readFile;
    syncBuiltinESMExports();
  }
  if ((WebAssembly.instantiate as unknown) === instantiateStandIn) WebAssembly.instantiate = outer.instantiate as unknown as typeof WebAssembly.instantiate;
  // Node tracks async contexts for every promise while a store is in use: not after the loads.
  currentLoad.disable();
}

/**
 * `load` (Pyodide's `loadPyodide`), during which Pyodide's WebAssembly is `compiled`'s module
 * rather than the file at `wasmPath` compiled again. Pyodide reads the file
 * (`node_getBinaryResponse`: `fs/promises`' readFile, pyodide.mjs 314.0.7) and instantiates
 * what it read (`WebAssembly.instantiate(bytes, imports)`); within `load`, the read of that one
 * path is answered with a token of 8 bytes, and the instantiation of the token instantiates
 * the module with the imports it is given, answering as that call would (`{ module, instance }`).
 * So the worker neither reads nor compiles 9.6 MB. If `compiled` is null, or has not come
 * `waitMs` after Pyodide's read, the file is read and compiled, as Pyodide would. If Pyodide's
 * WebAssembly does not instantiate (a damaged file, say), the load fails at once with an error
 * that says so, where Pyodide would log it and wait for ever. Every other
 * read and instantiation goes to the functions that were in place. The stand-ins are installed
 * while a load runs in this thread; loads may overlap, each answered for its own calls (told by
 * their async context) with its own token; what was in place is back once the last has settled.
 */
export function loadingCompiled<Config, Loaded>(
  compiled: Promise<WebAssembly.Module | null>,
  wasmPath: string,
  load: (config: Config) => Promise<Loaded>,
  waitMs = HOST_WASM_WAIT_MS,
): (config: Config) => Promise<Loaded> {
  return async (config) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let decided: Promise<WebAssembly.Module | null> | null = null;
    let fail: (error: Error) => void = () => {};
    const failed = new Promise<never>((_resolve, reject) => (fail = reject));
    failed.catch(() => {}); // raced with the load (below), and unheard if it never fails
    const current: Load = {
      wasmPath: resolve(wasmPath),
      // From the first ask (Pyodide's read), not from the load's start: the wait is for the module.
      decide: () =>
        (decided ??= Promise.race([
          compiled,
          new Promise<null>((late) => {
            timer = setTimeout(() => late(null), waitMs);
            timer.unref?.();
          }),
        ]).finally(() => clearTimeout(timer))),
      token: new Uint8Array(8),
      read: null,
      fail: (error) => fail(error),
    };
    if (loads.size === 0) installStandIns();
    loads.add(current);
    try {
      return await currentLoad.run(current, () => Promise.race([load(config), failed]));
    } finally {
      clearTimeout(timer);
      loads.delete(current);
      if (loads.size === 0) removeStandIns();
    }
  };
}
