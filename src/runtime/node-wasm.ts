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
import fsPromises from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { dirname, join, resolve } from 'node:path';

/** Where Pyodide's module maker is: pyodide.asm.mjs, as the pyodide package resolves from here. */
export function pyodideModulePath(): string {
  return createRequire(import.meta.url).resolve('pyodide/pyodide.asm.mjs');
}

/** Where Pyodide's WebAssembly is: beside its module maker, where Pyodide looks for it (its `indexURL`). */
export function pyodideWasmPath(): string {
  return join(dirname(pyodideModulePath()), 'pyodide.asm.wasm');
}

// Node's read and the platform's instantiate as this module found them: a load's stand-ins
// (`loadingCompiled`) are installed only while one runs, and never read a file through themselves.
const nodeReadFile = fsPromises.readFile as unknown as ReadFile;
const platformInstantiate = WebAssembly.instantiate as unknown as Instantiate;

type Instantiate = (source: unknown, ...rest: unknown[]) => Promise<unknown>;
type ReadFile = (path: unknown, ...rest: unknown[]) => Promise<unknown>;

let compiledOnce: Promise<WebAssembly.Module | null> | null = null;

/**
 * Pyodide's WebAssembly, compiled once per process (the first call begins it; a failed one is
 * tried again by the next call), or null if it could not be read or compiled: a worker then
 * compiles what Pyodide reads, as Pyodide would (and reports a missing file in its own words).
 * Compiled under the V8 flags in force at the first call (src/cli/early.ts sets them before).
 */
export function compilePyodideWasm(): Promise<WebAssembly.Module | null> {
  compiledOnce ??= nodeReadFile
    .call(fsPromises, pyodideWasmPath())
    .then((bytes) => WebAssembly.compile(bytes as Uint8Array<ArrayBuffer>))
    .catch(() => {
      compiledOnce = null;
      return null;
    });
  return compiledOnce;
}

/** Pyodide's WebAssembly as a host thread compiles it for its workers, and the file it compiles it from. */
export interface HostWasm {
  compiled: Promise<WebAssembly.Module | null>;
  /** A worker uses the module only where its own Pyodide would read this same file (a worker built elsewhere reads another). */
  compiledFrom: string;
}

/** This process's compile of Pyodide's WebAssembly (compilePyodideWasm), for a worker (spawnNodeWorker). */
export function hostWasm(): HostWasm {
  return { compiled: compilePyodideWasm(), compiledFrom: pyodideWasmPath() };
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
}

/** The loads in progress in this thread; the stand-ins below are installed while there is one. */
const loads = new Set<Load>();

const readFileStandIn: ReadFile = async (path, ...rest) => {
  const load = typeof path === 'string' ? [...loads].find((l) => l.wasmPath === resolve(path)) : undefined;
  if (load !== undefined && (await load.decide()) !== null) return Buffer.from(load.token.buffer);
  return nodeReadFile.call(fsPromises, path, ...rest);
};

const instantiateStandIn: Instantiate = async (source, ...rest) => {
  const load = ArrayBuffer.isView(source) ? [...loads].find((l) => l.token.buffer === source.buffer) : undefined;
  if (load === undefined) return platformInstantiate.call(WebAssembly, source, ...rest);
  const module = (await load.decide())!; // a token is given only for a module
  return { module, instance: await platformInstantiate.call(WebAssembly, module, ...rest) };
};

/** Installs the stand-ins (`on`) or puts Node's and the platform's own back. */
function standIns(on: boolean): void {
  const installed = (fsPromises.readFile as unknown) === readFileStandIn;
  if (on || installed) {
    (fsPromises as unknown as { readFile: ReadFile }).readFile = on ? readFileStandIn : nodeReadFile;
    // Every built-in's ES module view is brought up to date with its exports: `import('node:fs/promises')`,
    // as Pyodide imports it, sees the change. Nothing else in a worker changes a built-in's exports.
    syncBuiltinESMExports();
  }
  if (on || (WebAssembly.instantiate as unknown) === instantiateStandIn) {
    WebAssembly.instantiate = (on ? instantiateStandIn : platformInstantiate) as unknown as typeof WebAssembly.instantiate;
  }
}

/**
 * `load` (Pyodide's `loadPyodide`), during which Pyodide's WebAssembly is `compiled`'s module
 * rather than the file at `wasmPath` compiled again. Pyodide reads the file
 * (`node_getBinaryResponse`: `fs/promises`' readFile, pyodide.mjs 314.0.7) and instantiates
 * what it read (`WebAssembly.instantiate(bytes, imports)`); while `load` runs, the read of that
 * one path is answered with a token of 8 bytes, and the instantiation of the token instantiates
 * the module with the imports it is given, answering as that call would (`{ module, instance }`).
 * So the worker neither reads nor compiles 9.6 MB. If `compiled` is null, or has not come
 * HOST_WASM_WAIT_MS after Pyodide's read, the file is read and compiled, as Pyodide would. Every
 * other read and instantiation goes to Node's and the platform's own functions; the stand-ins
 * are installed while a load runs in this thread (loads may overlap: each is answered for its
 * own file and token), and Node's and the platform's own are back once the last has settled.
 */
export function loadingCompiled<Config, Loaded>(
  compiled: Promise<WebAssembly.Module | null>,
  wasmPath: string,
  load: (config: Config) => Promise<Loaded>,
): (config: Config) => Promise<Loaded> {
  return async (config) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let decided: Promise<WebAssembly.Module | null> | null = null;
    const current: Load = {
      wasmPath: resolve(wasmPath),
      // From the first ask (Pyodide's read), not from the load's start: the wait is for the module.
      decide: () =>
        (decided ??= Promise.race([
          compiled,
          new Promise<null>((late) => {
            timer = setTimeout(() => late(null), HOST_WASM_WAIT_MS);
            timer.unref?.();
          }),
        ]).finally(() => clearTimeout(timer))),
      token: new Uint8Array(8),
    };
    if (loads.size === 0) standIns(true);
    loads.add(current);
    try {
      return await load(config);
    } finally {
      clearTimeout(timer);
      loads.delete(current);
      if (loads.size === 0) standIns(false);
    }
  };
}
