/**
 * The worker side of the runtime protocol, shared by the browser Web Worker and the Node
 * worker thread: start the engine, then answer each run with chunks and a `finished` message.
 */
import type { HostToWorker, WorkerToHost } from '../shared/runtime-protocol';
import { Engine, type EngineConfig, type LoadPyodide } from './engine';

/** Events per message at most (a few hundred kB of structured clone). */
const MESSAGE_EVENTS = 2000;

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
      const end = engine.run(message.source, message.filename, message.options, (chunk) => {
        // Small messages: the host's UI thread unpacks each one in a task of its own, so a long
        // trace arriving never holds up a frame for long.
        for (let at = 0; at === 0 || at < chunk.events.length; at += MESSAGE_EVENTS) {
          endpoint.post({
            type: 'chunk',
            runId,
            events: chunk.events.slice(at, at + MESSAGE_EVENTS),
            tasks: at === 0 ? chunk.tasks : [],
            callbacks: at === 0 ? chunk.callbacks : [],
          });
        }
      });
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
