/**
 * Makes the runtime's Node worker threads (src/runtime/node-worker.ts): what the CLI's first
 * script needs to start one before the rest of its code has loaded (src/cli/early.ts), so it
 * imports nothing heavier than Node's own modules.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { HostWasm } from './node-wasm';
import type { NodeWorkerData } from './node-worker';
import { inSharedMemory } from './shared-bytes';
import type { HostToWorker } from '../shared/runtime-protocol';
import type { WorkerHandle } from './supervisor';

/**
 * The built worker, out/node/node-worker.js: beside this module when the build puts it in an
 * entry, one folder up when in a shared chunk (out/node/assets), or there from src/runtime
 * when this runs from source.
 */
export function defaultWorkerPath(): string {
  const candidates = ['./node-worker.js', '../node-worker.js', '../../out/node/node-worker.js'].map((p) =>
    fileURLToPath(new URL(p, import.meta.url)),
  );
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('The runtime worker is not built: run `npm run build:node` first.');
  return found;
}

/**
 * The most the worker thread's own JavaScript heap may hold, in MB. Past it Node ends the worker
 * (the run ends as crashed, and the next starts fresh) where, unbounded, V8 aborted the whole
 * host process: a reviewer's program made Emscripten's name table hold gigabytes, and the CLI
 * died with "JavaScript heap out of memory" (that table is bounded now; this bounds whatever
 * is found next). The interpreter's memory is a WebAssembly memory, outside this heap, under its
 * own 384 MB cap; the worker's heap otherwise holds a run's trace on its way out (tens of MB).
 */
const WORKER_HEAP_MB = 1024;

/** The most messages kept for a handler not yet attached. */
const MAX_HELD_MESSAGES = 16;

/** A worker thread's handle, with one more way to post its snapshot. */
export interface NodeWorkerHandle extends WorkerHandle {
  /**
   * Posts `restore` with `snapshot`'s memory moved to the worker, not copied, nor copied into
   * shared memory (14 MB packed: ~50 ms of fresh pages written here, on the way to every start
   * of `loop-lab run`). Afterwards `snapshot` is empty on this thread (its buffer detached): for
   * a snapshot no other worker of this thread is given (the supervisor loads the store's again
   * for any later one). Bytes that cannot be moved are posted as `post` posts them.
   */
  handOverSnapshot(snapshot: Uint8Array | null): void;
}

/**
 * A worker thread running `workerPath`, as a supervisor's WorkerHandle, with Pyodide's compiled
 * JavaScript kept in `codeCacheDir` (or none), and sent `wasm` (node-wasm.ts: Pyodide's
 * WebAssembly, compiled by this thread) as it comes, or left to compile its own if that is null.
 * What it sends before a handler is attached is kept for that handler, and so is a failure
 * before one is attached: a worker made early (the CLI's) may be handed to its supervisor a
 * little later, and a Node `Worker` drops a message that no listener takes.
 */
export function spawnNodeWorker(
  workerPath: string,
  codeCacheDir: string | null = null,
  wasm: HostWasm | null = null,
): NodeWorkerHandle {
  // The worker is plain built JavaScript: it must not inherit a TypeScript loader (tsx) from
  // its parent, which would change how Pyodide finds its own files.
  const workerData: NodeWorkerData = { codeCacheDir, wasmFromHost: wasm?.compiledFrom ?? null };
  const worker = new Worker(workerPath, { execArgv: [], workerData, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB } });
  let messageHandler: ((message: unknown) => void) | null = null;
  const early: unknown[] = [];
  let errorHandler: ((message: string) => void) | null = null;
  let failure: string | null = null;
  let terminated = false;
  const fail = (message: string): void => {
    if (failure !== null || terminated) return;
    failure = message;
    errorHandler?.(message);
  };
  worker.on('message', (message: unknown) => {
    if (messageHandler) messageHandler(message);
    else if (early.length < MAX_HELD_MESSAGES) early.push(message);
    else {
      // A worker before its `ready` says four things at most (`restoring`, `starting-cold`, `snapshot`, `ready`): this many is not the runtime's.
      fail('the worker said more than a starting worker does before anyone listened');
      terminated = true;
      void worker.terminate();
    }
  });
  // Sent once, whatever it is: a worker told one comes waits for it (null: it compiles its own).
  void wasm?.compiled.then((module) => {
    if (!terminated) worker.postMessage({ type: 'wasm', module } satisfies HostToWorker);
  });
  worker.on('error', (error) => fail(error.message));
  worker.on('exit', (code) => fail(`the worker exited (code ${code})`));
  // A snapshot goes in shared memory: posted as it is, 14–30 MB would be copied for every worker.
  const post = (message: HostToWorker): void =>
    worker.postMessage(message.type === 'restore' && message.snapshot instanceof Uint8Array ? { ...message, snapshot: inSharedMemory(message.snapshot) } : message);
  return {
    post,
    handOverSnapshot: (snapshot) => {
      const message: HostToWorker = { type: 'restore', snapshot };
      const buffer = snapshot?.buffer;
      if (buffer instanceof ArrayBuffer) {
        try {
          worker.postMessage(message, [buffer]);
          return;
        } catch {
          // Not movable (a Buffer from Node's pool, say): posted as any other.
        }
      }
      post(message);
    },
    terminate: () => {
      terminated = true;
      void worker.terminate();
    },
    onMessage: (handler) => {
      messageHandler = handler;
      for (const message of early.splice(0)) handler(message);
    },
    onError: (handler) => {
      errorHandler = handler;
      if (failure !== null) handler(failure);
    },
  };
}
