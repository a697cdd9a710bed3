/** A runtime supervisor whose workers are Node worker threads (CLI, tests, soak, bench). */
import { hostWasm } from './node-wasm';
import { defaultWorkerPath, spawnNodeWorker } from './node-worker-spawn';
import { RuntimeSupervisor, type SupervisorOptions } from './supervisor';

export interface NodeRuntimeOptions extends SupervisorOptions {
  /** The built worker script; by default the one beside this module in out/node. */
  workerPath?: string;
  /**
   * A folder to keep Pyodide's compiled JavaScript in (src/runtime/pyodide-code-cache.ts: a
   * restored start ~0.1 s quicker), or null (the default) to compile it at every start.
   */
  codeCacheDir?: string | null;
}
export { FileSnapshotStore, shippedSnapshotFile, testSnapshotStore, userCacheDir, userCacheSnapshotStore, workerThreadSnapshotStore } from './snapshot-file';
export { defaultWorkerPath, spawnNodeWorker } from './node-worker-spawn';

export function createNodeRuntime(options: NodeRuntimeOptions = {}): RuntimeSupervisor {
  const workerPath = options.workerPath ?? defaultWorkerPath();
  const codeCacheDir = options.codeCacheDir ?? null;
  // Pyodide's WebAssembly compiled once, on this thread, for every worker (node-wasm.ts).
  return new RuntimeSupervisor(() => spawnNodeWorker(workerPath, codeCacheDir, hostWasm()), options);
}
