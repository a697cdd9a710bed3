/**
 * The contract between a runtime host (src/runtime/supervisor.ts) and the worker that holds
 * the interpreter (src/runtime/worker-core.ts): a Web Worker in the browser edition and in
 * Electron's hidden runtime window, a worker thread in the CLI and the tests.
 *
 * A worker serves one run and is then thrown away: it is told to start (`start`, as soon as it
 * exists, so it loads Python while the host is still reading its snapshot), then what to start
 * from (`restore`: a memory snapshot, or none: start cold), says when it is `ready`, takes one
 * `run`, streams the trace in `chunk`s in the tracer's wire form (src/runtime/wire.ts), and
 * ends with `finished`. So a host that has to stop a runaway program (by terminating the
 * worker) still holds every step recorded before that.
 *
 * The worker runs a stranger's code: the host checks every message it sends against the
 * schemas here (`parseWorkerMessage`) and treats anything else as a damaged trace.
 */
import * as v from 'valibot';
import { ABORT_EARLY } from './abort-early';

/** Options of a run as the host sends them: the tracer's own (see wire.py / recorder.py). */
export const WorkerRunOptionsSchema = v.strictObject({
  maxSteps: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  maxEvents: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  wallSeconds: v.optional(v.pipe(v.number(), v.finite(), v.minValue(0))),
  maxOutputChars: v.optional(v.pipe(v.number(), v.safeInteger(), v.minValue(1))),
  verify: v.optional(v.boolean()),
});
export type WorkerRunOptions = v.InferOutput<typeof WorkerRunOptionsSchema>;

/**
 * Start loading Python now; what to start from follows in a `restore`. A cold start makes a
 * snapshot (sent before `ready`) if `makeSnapshot`.
 */
export interface StartRequest {
  type: 'start';
  makeSnapshot: boolean;
}

/**
 * What to start from: the interpreter's memory `snapshot` (Pyodide's own bytes, or Loop Lab's
 * packed form of them, told by its magic number: src/runtime/snapshot-pages.ts; a Blob holds
 * the packed form, as the page inflated it once for all its workers, or gzipped, as IndexedDB
 * keeps it: the worker inflates that itself), or null to start cold. Sent once, after `start`.
 */
export interface RestoreRequest {
  type: 'restore';
  snapshot: Uint8Array | Blob | null;
}

export interface RunRequest {
  type: 'run';
  runId: number;
  source: string;
  filename: string;
  options: WorkerRunOptions;
}

/**
 * Pyodide's WebAssembly, compiled by the host that made the worker, or null where it could not
 * compile it (the worker then compiles what Pyodide reads, as Pyodide would). Sent once per
 * worker. In the browser edition the page's compile worker compiles it
 * (src/runtime/wasm-compile-worker.ts) and the page sends it once it has it and the worker's
 * parts are wanted (browser-host.ts, page-pyodide.ts); in Node the process's thread compiles it
 * (src/runtime/node-wasm.ts) and sends it to a worker thread told so at its making
 * (`wasmFromHost`), which takes it only for the file its own Pyodide reads. A module is shared
 * between the host's workers, never sent by one.
 */
export interface CompiledWasmRequest {
  type: 'wasm';
  module: WebAssembly.Module | null;
}

/** Pyodide's standard library (python_stdlib.zip), as the page holds it, or null (the worker fetches it itself). Like `wasm`. */
export interface StandardLibraryRequest {
  type: 'stdlib';
  zip: Blob | null;
}

export type HostToWorker = StartRequest | RestoreRequest | RunRequest | CompiledWasmRequest | StandardLibraryRequest;

const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const Ms = v.pipe(v.number(), v.finite(), v.minValue(0));
/** The most bytes of wire JSON one message may carry. */
const MAX_WIRE = 64 * 1024 * 1024;

/** The interpreter is up and can take its run. */
export const WorkerReadySchema = v.strictObject({
  type: v.literal('ready'),
  /** Real time the start took, in ms. */
  startupMs: Ms,
  pythonVersion: v.pipe(v.string(), v.maxLength(64)),
  /** True when it was restored from the snapshot it was given. */
  restored: v.boolean(),
  /** Why the snapshot it was given could not be used (it then started cold), if it could not. */
  snapshotRejected: v.nullable(v.pipe(v.string(), v.maxLength(2000))),
  /** Real ms a fixed piece of Python took to run here: the host scales its time allowance by it. */
  calibrationMs: Ms,
  /**
   * The most bytes of memory the interpreter may hold (its heap and its files: engine.ts,
   * DEFAULT_HEAP_LIMIT unless configured): a run's `memory` limit must name it.
   */
  memoryLimitBytes: Count,
});
export type WorkerReady = v.InferOutput<typeof WorkerReadySchema>;

/** A memory snapshot of the started interpreter, made before any program ran (only before `ready`). */
export const WorkerSnapshotSchema = v.strictObject({
  type: v.literal('snapshot'),
  bytes: v.instance(Uint8Array),
});

/**
 * The most line numbers one chunk carries, and the most LINE steps its markers place (40 kB of
 * int32): the host decodes each chunk in a task of its own (an event object per line, then the
 * collection after), and a task this size stays within a frame. The tracer flushes before it
 * holds more (recorder.py, `messageLines` in its options); the host refuses a chunk that
 * carries or places more (wire.ts), so a program that writes its own frames, or fills the
 * recorder's line array, cannot hold the page in one long task (an attacker's placed
 * ~1,000,000 lines in one: 170–300 ms in the decoder). The figure: the bench's bad-programs
 * row, four runs each in Chromium here, a loose measure on this machine: the longest frame
 * while a loop with no await ran was 64–105 ms with 20,000, 63–76 ms with 10,000.
 */
export const MESSAGE_LINES = 10_000;

/**
 * The most wire items (events and line markers) one chunk carries. The host checks each event
 * against the trace contract in the task that decodes its chunk; the tracer sends a chunk once it
 * holds a few fewer (recorder.py, `messageEvents` in its options), and the host refuses a chunk
 * that carries more (wire.ts). Before this cap only a chunk's weight was held (MAX_CHUNK_WEIGHT):
 * an attacker's 99,000 tiny output events in one chunk weighed under it and held the host
 * 0.3–0.7 s (~1.2 µs an event to check, measured in Node here). 4,096 take a few ms.
 */
export const MESSAGE_EVENTS = 4_096;

/** Part of a run's trace in the tracer's wire form: JSON events, and the line numbers of its LINE events. */
export const TraceChunkSchema = v.strictObject({
  type: v.literal('chunk'),
  runId: Count,
  /** A JSON list of at most MESSAGE_EVENTS events and line markers (checked by WireDecoder). */
  wire: v.pipe(v.string(), v.maxLength(MAX_WIRE)),
  /** At most MESSAGE_LINES of them: checked as the chunk is decoded (WireDecoder), which says so. */
  lines: v.instance(Int32Array),
});
export type TraceChunk = v.InferOutput<typeof TraceChunkSchema>;

/** The run is over; every chunk of it was sent before this. */
export const RunFinishedSchema = v.strictObject({
  type: v.literal('finished'),
  runId: Count,
  /**
   * The program's exit status, as `python3` would give it (2 when Loop Lab ended it): a process's
   * status byte, 0–255, as the runner works it out (runner.py, `_exit_status`). Not in trace files
   * (trace.ts), which runs recorded before that rule may hold with -1 or 300.
   */
  exitCode: v.pipe(v.number(), v.safeInteger(), v.minValue(0), v.maxValue(255)),
  /** True when a limit ended the run. */
  limited: v.boolean(),
  /** The virtual clock at the end, in seconds. */
  clock: v.pipe(v.number(), v.finite(), v.minValue(0)),
  /** Real time the run took inside the interpreter, in ms. */
  wallMs: Ms,
  /** Bytes of memory the interpreter held at the end. */
  heapBytes: Count,
  /**
   * The most bytes of memory the worker ever told the tracer the interpreter held (its memory
   * device, read by the tracer at most every 50 ms): measured by the worker's JavaScript, which
   * the program cannot reach, so a `memory` limit is real only if this passed memoryLimitBytes.
   */
  memoryPeakBytes: Count,
  /** Set when something other than the tracer wrote to the trace channel. */
  damaged: v.nullable(v.pipe(v.string(), v.maxLength(2000))),
});
export type RunFinished = v.InferOutput<typeof RunFinishedSchema>;

/** The worker cannot go on (the interpreter failed to start, or broke). */
export const WorkerFatalSchema = v.strictObject({
  type: v.literal('fatal'),
  message: v.pipe(v.string(), v.maxLength(4000)),
  /**
   * Python's WebAssembly did not load (src/runtime/wasm-load-error.ts): the snapshot the worker
   * was handed is not what failed, so the host keeps it (and a cold start would fail the same way).
   */
  wasmNotLoaded: v.optional(v.literal(true)),
});

/**
 * The snapshot the worker was handed could not be used (another build's, damaged): it now starts
 * cold, which takes longer than a restore (the host's wait for it starts again).
 */
export const WorkerStartingColdSchema = v.strictObject({ type: v.literal('starting-cold') });

/**
 * The worker has everything its restore needs (Python's WebAssembly instantiated, its standard
 * library in place, the snapshot read and inflated; where the engine has no module maker, which
 * the app's shells always give it, the snapshot read) and restores now: only its own work is left.
 * The host's wait for a restore (restoreTimeoutMs) starts here, not when it handed the snapshot
 * over: Pyodide's files can still be on their way then (a first visit over a slow network), and
 * a start that ran out of time before this was never the snapshot's fault.
 */
export const WorkerRestoringSchema = v.strictObject({ type: v.literal('restoring') });

/**
 * A Web Worker is about to make Pyodide's module and has not had the page's parts of it: the
 * page gets them now, if it had not begun (src/runtime/browser-host.ts), and answers with a
 * `wasm` and a `stdlib` message. Read by the browser edition's worker handle, never by the
 * supervisor; it asks for nothing but work the page would do anyway, so it is taken from any worker.
 */
export const PartsWantedSchema = v.strictObject({ type: v.literal('parts-wanted') });
export type PartsWanted = v.InferOutput<typeof PartsWantedSchema>;

export const WorkerToHostSchema = v.variant('type', [
  WorkerReadySchema,
  WorkerStartingColdSchema,
  WorkerRestoringSchema,
  WorkerSnapshotSchema,
  TraceChunkSchema,
  RunFinishedSchema,
  WorkerFatalSchema,
]);
export type WorkerToHost = v.InferOutput<typeof WorkerToHostSchema>;

/** The message, if it is one a worker may send; null for anything else. */
export function parseWorkerMessage(value: unknown): WorkerToHost | null {
  const result = v.safeParse(WorkerToHostSchema, value, ABORT_EARLY);
  return result.success ? result.output : null;
}
