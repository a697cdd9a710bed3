/** A runtime supervisor whose workers are Node worker threads (CLI, tests, soak, bench). */
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { RuntimeSupervisor, type SupervisorOptions, type WorkerHandle } from './supervisor';

export interface NodeRuntimeOptions extends SupervisorOptions {
  /** The built worker script; by default the one beside this module in out/node. */
  workerPath?: string;
}

export function defaultWorkerPath(): string {
  return fileURLToPath(new URL('./node-worker.js', import.meta.url));
}

export function spawnNodeWorker(workerPath: string): WorkerHandle {
  const worker = new Worker(workerPath);
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
  return new RuntimeSupervisor(() => spawnNodeWorker(workerPath), options);
}
