/** A runtime supervisor whose workers are Web Workers of the current page. */
import { RuntimeSupervisor, type SupervisorOptions, type WorkerHandle } from './supervisor';

export function spawnWebWorker(): WorkerHandle {
  const worker = new Worker(new URL('./browser-worker.ts', import.meta.url), { type: 'module', name: 'python' });
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

export function createBrowserRuntime(options: SupervisorOptions = {}): RuntimeSupervisor {
  return new RuntimeSupervisor(spawnWebWorker, { standby: true, ...options });
}
