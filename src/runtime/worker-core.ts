/**
 * The worker side of the runtime protocol, shared by the browser Web Worker and the Node
 * worker thread: start the engine, then answer each run with chunks and a `finished` message.
 */
import type { HostToWorker, WorkerToHost } from '../shared/runtime-protocol';
import { Engine, type EngineConfig, type LoadPyodide } from './engine';

export interface WorkerEndpoint {
  post(message: WorkerToHost): void;
  onMessage(handler: (message: HostToWorker) => void): void;
}

export async function serveRuntime(
  endpoint: WorkerEndpoint,
  loadPyodide: LoadPyodide,
  config: EngineConfig = {},
): Promise<void> {
  let engine: Engine;
  try {
    engine = await Engine.start(loadPyodide, config);
  } catch (error) {
    endpoint.post({ type: 'fatal', message: `Python could not start: ${describe(error)}` });
    return;
  }
  endpoint.onMessage((message) => {
    if (message.type !== 'run') return;
    const { runId } = message;
    try {
      const end = engine.run(message.source, message.filename, message.options, (chunk) =>
        endpoint.post({ type: 'chunk', runId, ...chunk }),
      );
      endpoint.post({ type: 'finished', runId, end, heapBytes: engine.heapBytes() });
    } catch (error) {
      // The interpreter itself broke (not the learner's program, whose errors are traced).
      endpoint.post({ type: 'fatal', message: `The Python runtime failed: ${describe(error)}` });
    }
  });
  endpoint.post({ type: 'ready', startupMs: engine.startupMs, pythonVersion: engine.pythonVersion });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
