/** A runtime supervisor whose workers are Node worker threads (CLI, tests, soak, bench). */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { NodeWorkerData } from './node-worker';
import { RuntimeSupervisor, type SupervisorOptions, type WorkerHandle } from './supervisor';

export interface NodeRuntimeOptions extends SupervisorOptions {
  /** The built worker script; by default the one beside this module in out/node. */
  workerPath?: string;
  /**
   * A folder to keep Pyodide's compiled JavaScript in (src/runtime/pyodide-code-cache.ts: a
   * restored start ~0.1 s quicker), or null (the default) to compile it at every start.
   */
  codeCacheDir?: string | null;
}
export { FileSnapshotStore, testSnapshotStore, userCacheDir } from './snapshot-file';

/** The built worker: beside this module in out/node, or there when this runs from source. */
export function defaultWorkerPath(): string {
  const candidates = ['./node-worker.js', '../../out/node/node-worker.js'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('The runtime worker is not built: run `npm run build:node` first.');
  return found;
}

export function spawnNodeWorker(workerPath: string, codeCacheDir: string | null = null): WorkerHandle {
  // The worker is plain built JavaScript: it must not inherit a TypeScript loader (tsx) from
  // its parent, which would change how Pyodide finds its own files.
  const workerData: NodeWorkerData = { codeCacheDir };
  const worker = new Worker(workerPath, { execArgv: [], workerData });
  let errorHandler: ((message: string) => void) | null = null;
  let failed = false;
  const fail = (message: string): void => {
    if (failed) return;
    failed = true;
    errorHandler?.(message);
  };
  worker.on('error', (error) => fail(error.message));
  worker.on('exit', (code) => fail(`the worker exited (code ${code})`));
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => {
      failed = true;
      void worker.terminate();
    },
    onMessage: (handler) => worker.on('message', handler),
    onError: (handler) => {
      errorHandler = handler;
    },
  };
}

export function createNodeRuntime(options: NodeRuntimeOptions = {}): RuntimeSupervisor {
  const workerPath = options.workerPath ?? defaultWorkerPath();
  const codeCacheDir = options.codeCacheDir ?? null;
  return new RuntimeSupervisor(() => spawnNodeWorker(workerPath, codeCacheDir), options);
}
