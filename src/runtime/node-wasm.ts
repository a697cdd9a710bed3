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
import fsPromises, { readFile } from 'node:fs/promises';
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

let compiledOnce: Promise<WebAssembly.Module | null> | null = null;

/**
 * Pyodide's WebAssembly, compiled once per process (the first call begins it), or null if it
 * could not be read or compiled: a worker then compiles what Pyodide reads, as Pyodide would
 * (and reports a missing file in its own words). Compiled under the V8 flags in force at the
 * first call (src/cli/early.ts sets them before).
 */
export function compilePyodideWasm(): Promise<WebAssembly.Module | null> {
  compiledOnce ??= readFile(pyodideWasmPath()).then(
    (bytes) => WebAssembly.compile(bytes),
  ).catch(() => null);
  return compiledOnce;
}

type Instantiate = (source: unknown, imports?: WebAssembly.Imports) => Promise<unknown>;
type ReadFile = (path: unknown, ...rest: unknown[]) => Promise<unknown>;

/**
 * `load` (Pyodide's `loadPyodide`), during which Pyodide's WebAssembly is `compiled`'s module
 * rather than the file compiled again. Pyodide reads the file (`node_getBinaryResponse`:
 * `fs/promises`' readFile, pyodide.mjs 314.0.7) and instantiates what it read
 * (`WebAssembly.instantiate(bytes, imports)`); while `load` runs, the read of that one path is
 * answered with a token of a few bytes, and the instantiation of the token instantiates the
 * module with the imports it is given, answering as that call would (`{ module, instance }`).
 * So the worker neither reads nor compiles 9.6 MB. If `compiled` is null the file is read and
 * compiled, as Pyodide would. Every other read and instantiation goes to Node's and the
 * platform's own functions, which are back once `load` settles.
 */
export function loadingCompiled<Config, Loaded>(
  compiled: Promise<WebAssembly.Module | null>,
  wasmPath: string,
  load: (config: Config) => Promise<Loaded>,
): (config: Config) => Promise<Loaded> {
  return async (config) => {
    const token = new Uint8Array(8);
    const nodeReadFile = fsPromises.readFile as unknown as ReadFile;
    const platformInstantiate = WebAssembly.instantiate as unknown as Instantiate;
    const readFile: ReadFile = async (path, ...rest) => {
      const isPyodides = typeof path === 'string' && resolve(path) === wasmPath;
      if (isPyodides && (await compiled) !== null) return Buffer.from(token.buffer);
      return nodeReadFile(path, ...rest);
    };
    const instantiate: Instantiate = async (source, imports) => {
      if (!(ArrayBuffer.isView(source) && source.buffer === token.buffer)) return platformInstantiate.call(WebAssembly, source, imports);
      const module = (await compiled)!; // a token is given only for a module
      return { module, instance: await platformInstantiate.call(WebAssembly, module, imports) };
    };
    (fsPromises as unknown as { readFile: ReadFile }).readFile = readFile;
    syncBuiltinESMExports(); // `import('node:fs/promises')`, as Pyodide imports it, sees it too
    WebAssembly.instantiate = instantiate as unknown as typeof WebAssembly.instantiate;
    try {
      return await load(config);
    } finally {
      if ((fsPromises.readFile as unknown) === readFile) {
        (fsPromises as unknown as { readFile: ReadFile }).readFile = nodeReadFile;
        syncBuiltinESMExports();
      }
      if ((WebAssembly.instantiate as unknown) === instantiate) WebAssembly.instantiate = platformInstantiate as unknown as typeof WebAssembly.instantiate;
    }
  };
}
