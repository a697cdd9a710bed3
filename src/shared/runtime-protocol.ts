/**
 * The contract between a runtime host (src/runtime/supervisor.ts) and the worker that holds
 * the interpreter (src/runtime/worker-core.ts): a Web Worker in the browser edition and in
 * Electron's hidden runtime window, a worker thread in the CLI.
 *
 * The worker streams a run's trace in chunks, so that a host which has to stop a runaway
 * program (by terminating the worker) still holds every step recorded before that.
 */
import type { CallbackInfo, RunEnd, RunOptions, TaskInfo, TraceEvent } from './trace';

export interface RunRequest {
  type: 'run';
  runId: number;
  source: string;
  filename: string;
  options: RunOptions;
}

export type HostToWorker = RunRequest;

/** The interpreter is up and can take runs. */
export interface WorkerReady {
  type: 'ready';
  startupMs: number;
  pythonVersion: string;
}

/** Part of a run's trace: events, and the tasks and callbacks first seen in them. */
export interface TraceChunk {
  type: 'chunk';
  runId: number;
  events: TraceEvent[];
  tasks: TaskInfo[];
  callbacks: CallbackInfo[];
}

/** The run is over; every chunk of it was sent before this. */
export interface RunFinished {
  type: 'finished';
  runId: number;
  end: RunEnd;
  /** Bytes the interpreter's heap holds now: a host may recycle a worker that grew large. */
  heapBytes: number;
}

/** The worker cannot go on (the interpreter failed to start, or broke). */
export interface WorkerFatal {
  type: 'fatal';
  message: string;
}

export type WorkerToHost = WorkerReady | TraceChunk | RunFinished | WorkerFatal;

const WORKER_MESSAGE_TYPES = new Set(['ready', 'chunk', 'finished', 'fatal']);

/** A cheap shape check: the host never trusts what comes out of a worker running user code. */
export function isWorkerMessage(value: unknown): value is WorkerToHost {
  if (typeof value !== 'object' || value === null) return false;
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !WORKER_MESSAGE_TYPES.has(type)) return false;
  const message = value as Record<string, unknown>;
  switch (type) {
    case 'ready':
      return typeof message.startupMs === 'number' && typeof message.pythonVersion === 'string';
    case 'chunk':
      return (
        typeof message.runId === 'number' &&
        Array.isArray(message.events) &&
        Array.isArray(message.tasks) &&
        Array.isArray(message.callbacks)
      );
    case 'finished':
      return typeof message.runId === 'number' && typeof message.end === 'object' && message.end !== null;
    default:
      return typeof message.message === 'string';
  }
}
