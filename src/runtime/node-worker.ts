/** The runtime in a Node worker thread (CLI, tests, soak). Not a sandbox: see the CLI's help. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { loadPyodide } from 'pyodide';
import type { HostToWorker } from '../shared/runtime-protocol';
import type { LoadPyodide } from './engine';
import { withBrowserImports } from './browser-imports';
import { loadingCompiled, pyodideWasmPath, sameWasmFile, wasmFile, type WasmFile } from './node-wasm';
import { cachedModuleMaker, importedModuleMaker, type ModuleMaker } from './pyodide-code-cache';
import { serveRuntime } from './worker-core';
import { closeNodeWaysOut, closePyodideWaysOut } from './node-worker-lockdown';

/** EventEmitter's `on` as `process` has it, kept as this thread loads (before any program runs). */
const KEPT_PROCESS_ON = process.on;
const port = parentPort;
if (!port) throw new Error('node-worker must run in a worker thread');
/** The port's postMessage, kept as this thread loads: every message to the host goes through it (browser-worker.ts keeps its scope's alike). */
const KEPT_PORT_POST = port.postMessage;

/** The standard library with compiled bytecode (out/pyodide, beside out/node: build/stdlib.ts). */
const stdLibURL = fileURLToPath(new URL('../pyodide/python_stdlib.zip', import.meta.url));
if (!existsSync(stdLibURL)) throw new Error(`${stdLibURL} is missing: run \`npm run build:node\` first.`);

/** What the host tells a worker thread as it makes it (spawnNodeWorker). */
export interface NodeWorkerData {
  /** The folder to keep Pyodide's compiled JavaScript in (pyodide-code-cache.ts), or null for none. */
  codeCacheDir: string | null;
  /**
   * The file Pyodide's WebAssembly was compiled from by the host, which sends the module (a
   * `wasm` message, node-wasm.ts) once, module or null; null if it sends none. Taken only if
   * it is the file this worker's own Pyodide reads, unchanged: a worker built elsewhere has its own.
   */
  wasmFromHost: WasmFile | null;
}

const { codeCacheDir, wasmFromHost } = (workerData ?? { codeCacheDir: null, wasmFromHost: null }) as NodeWorkerData;
const maker = codeCacheDir ? cachedModuleMaker(codeCacheDir) : null;
let compiledByHost: (module: WebAssembly.Module | null) => void = () => {};
const ownWasm = pyodideWasmPath();
/** Pyodide's loader: with the host's compiled WebAssembly, if it sends it (node-wasm.ts), rather than the file compiled here. */
const loadPyodideHere: typeof loadPyodide = sameWasmFile(wasmFromHost, wasmFile(ownWasm))
  ? loadingCompiled(new Promise((resolve) => (compiledByHost = resolve)), ownWasm, loadPyodide)
  : loadPyodide;
// Every interpreter's Node-only imports answer as a browser's: no command runs on the host, no
// host state is read (browser-imports.ts); around whatever maker the engine chose, if any.
const load: LoadPyodide = (config) => {
  const chosen = (config as { createPyodideModule?: ModuleMaker } | undefined)?.createPyodideModule;
  return loadPyodideHere({ ...config, createPyodideModule: withBrowserImports(chosen ?? maker?.make ?? importedModuleMaker) } as typeof config);
};

serveRuntime(
  {
    post: (message, transfer) => void Reflect.apply(KEPT_PORT_POST, port, [message, transfer ?? []]),
    // The host's compiled WebAssembly is taken here, as it comes: serveRuntime (worker-core.ts) never sees it.
    onMessage: (handler) =>
      port.on('message', (message: HostToWorker) => {
        if (message.type === 'wasm') compiledByHost(message.module instanceof WebAssembly.Module ? message.module : null);
        else handler(message);
      }),
    dropUncaughtErrors: () => {
      // With a listener, an uncaught error no longer ends the thread or reaches the host.
      // Called after a program has run: through the `on` kept as this thread loaded, not
      // through EventEmitter's prototype, which a program that reached JavaScript could have
      // replaced (helper-151).
      Reflect.apply(KEPT_PROCESS_ON, process, ['uncaughtException', () => {}]);
      Reflect.apply(KEPT_PROCESS_ON, process, ['unhandledRejection', () => {}]);
    },
  },
  load,
  // The cache holds what a start compiled: written once Python is up (if it was missing). The
  // engine is told the maker too: it holds a module back until a snapshot has all come, and
  // restores a packed one sparsely (engine.ts). Then the thread gives up what reaches the host
  // (node-worker-lockdown.ts), before any program runs.
  {
    stdLibURL,
    moduleMaker: maker?.make ?? importedModuleMaker,
    afterStart: (pyodide) => {
      maker?.save();
      closeNodeWaysOut();
      closePyodideWaysOut(pyodide);
    },
  },
);
