/** A runtime supervisor whose workers are Web Workers of the current page. */
import workerScript from './browser-worker.ts?worker&url';
import { IndexedDbSnapshotStore } from './snapshot-idb';
import { RuntimeSupervisor, type SupervisorOptions, type WorkerHandle } from './supervisor';

let bootstrapUrl: string | null = null;

/**
 * A `blob:` script that imports the worker's real module. A worker made from a `blob:` URL
 * inherits the page's Content-Security-Policy, so the worker is held to the page's policy
 * whether or not the server sent the policy with the worker's own file.
 */
function workerBootstrap(): string {
  if (bootstrapUrl === null) {
    const script = new URL(workerScript, document.baseURI).href;
    const source = `import ${JSON.stringify(script)};\n`;
    bootstrapUrl = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  }
  return bootstrapUrl;
}

export function spawnWebWorker(): WorkerHandle {
  const worker = new Worker(workerBootstrap(), { type: 'module', name: 'python' });
  let errorHandler: ((message: string) => void) | null = null;
  worker.addEventListener('error', (event) => {
    event.preventDefault();
    errorHandler?.(event.message || 'the Python worker failed to load');
  });
  worker.addEventListener('messageerror', () => errorHandler?.('the Python worker sent a message that could not be read'));
  return {
    post: (message) => worker.postMessage(message),
    terminate: () => worker.terminate(),
    onMessage: (handler) => worker.addEventListener('message', (event: MessageEvent<unknown>) => handler(event.data)),
    onError: (handler) => {
      errorHandler = handler;
    },
  };
}

/**
 * The page's spare interpreter starts this long after a run ends (supervisor.ts,
 * spareAfterRunMs): time for the result to be drawn first. A learner reads a result for longer
 * than a warm start takes (about 1–2 s on a two-core machine); a Run before then waits in line.
 */
const SPARE_AFTER_RUN_MS = 250;

/** The browser runtime; its snapshot is kept in this page's IndexedDB unless `snapshots` says otherwise. */
export function createBrowserRuntime(options: SupervisorOptions = {}): RuntimeSupervisor {
  return new RuntimeSupervisor(spawnWebWorker, { snapshots: new IndexedDbSnapshotStore(), spareAfterRunMs: SPARE_AFTER_RUN_MS, ...options });
}

/** The runtime started by the main page's first script, not yet taken by the page's bridge. */
let startedEarly: RuntimeSupervisor | null = null;

/**
 * Starts the page's runtime now: called by the main page's first script (src/renderer/early.ts)
 * while the app's own scripts (about 1 MB) still load and run, so that Python's first worker,
 * its files and the kept snapshot are on their way about half a second sooner on a fresh load
 * here. The page's bridge takes it (`takeBrowserRuntime`).
 */
export function startBrowserRuntimeEarly(): void {
  startedEarly ??= createBrowserRuntime();
}

/** The runtime started early, if there is one not yet taken, else a new one. */
export function takeBrowserRuntime(): RuntimeSupervisor {
  const runtime = startedEarly ?? createBrowserRuntime();
  startedEarly = null;
  return runtime;
}
