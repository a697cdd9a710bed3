/**
 * The worker side of the runtime protocol (src/shared/runtime-protocol.ts), shared by the
 * browser Web Worker and the Node worker thread: start the engine as the host says (from its
 * snapshot, or cold), take one run, stream its trace in chunks, and say `finished`. A worker
 * serves one run: the host throws it away after.
 */
import type { HostToWorker, WorkerRunOptions, WorkerToHost } from '../shared/runtime-protocol';
import { Engine, type EngineConfig, type LoadPyodide, type RunSummary } from './engine';
import { utcDates } from './wall-clock';
import { WasmNotLoaded } from './wasm-load-error';

export interface WorkerEndpoint {
  /** Sends a message; `transfer` lists buffers handed over instead of copied. */
  post(message: WorkerToHost, transfer?: ArrayBuffer[]): void;
  onMessage(handler: (message: HostToWorker) => void): void;
  /**
   * From now on, errors nobody catches in this worker are dropped, not reported to the host or
   * the page: called once the interpreter is wiped, when the only code left to fail is a
   * callback into it that a program left behind (a promise's `then`, a timer), which fails
   * inside Pyodide ("proxies is not iterable", "null function") and means nothing to anyone.
   */
  dropUncaughtErrors(): void;
}

/**
 * Serves the protocol on `endpoint`. `config` is the engine's, less what the host decides
 * (the snapshot, and whether to make one), which comes in its `start` message.
 */
export function serveRuntime(
  endpoint: WorkerEndpoint,
  loadPyodide: LoadPyodide,
  config: Omit<EngineConfig, 'snapshot' | 'makeSnapshot'> = {},
): void {
  // Before Python starts: the C library's time zone, and every local time C code asks
  // JavaScript for, are UTC, as Python's own clocks are (wall-clock.ts).
  utcDates();
  let engine: Engine | null = null;
  let starting = false;
  /** The `restore` answer, if it came before the engine started (undefined: not yet). */
  let known: Uint8Array | Blob | null | undefined;
  let snapshotArrived: ((snapshot: Uint8Array | Blob | null) => void) | null = null;
  let used = false;
  endpoint.onMessage((message) => {
    if (message.type === 'start' && !starting) {
      starting = true;
      const makeSnapshot = message.makeSnapshot;
      // After the messages already queued (a browser worker gets `start` and `restore` together
      // once its module has loaded): a known answer is used as it is (none: a cold start with no
      // restore begun in vain); else Python starts loading now, and the snapshot is awaited only
      // where Pyodide needs it.
      queueMicrotask(() => {
        const snapshot = known !== undefined ? known : new Promise<Uint8Array | Blob | null>((resolve) => (snapshotArrived = resolve));
        void start(snapshot, makeSnapshot);
      });
    } else if (message.type === 'restore' && known === undefined) {
      known = message.snapshot;
      snapshotArrived?.(message.snapshot);
      snapshotArrived = null;
    } else if (message.type === 'run' && engine && !used) {
      used = true;
      run(engine, message.runId, message.source, message.filename, message.options);
    }
  });

  async function start(snapshot: Uint8Array | Blob | Promise<Uint8Array | Blob | null> | null, makeSnapshot: boolean): Promise<void> {
    try {
      engine = await Engine.start(loadPyodide, {
        ...config,
        snapshot,
        makeSnapshot,
        onStartingCold: () => endpoint.post({ type: 'starting-cold' }),
        onRestoring: () => endpoint.post({ type: 'restoring' }),
      });
    } catch (error) {
      endpoint.post({ type: 'fatal', message: `Python could not start: ${describe(error)}`, ...(error instanceof WasmNotLoaded ? { wasmNotLoaded: true as const } : {}) });
      return;
    } finally {
      // The snapshot is not held past the start: in the CLI its memory is shared with every
      // later interpreter of the process (shared-bytes.ts; helper-150). Null, not undefined: a
      // later `restore` is still not taken.
      known = null;
    }
    if (engine.snapshot) {
      const bytes = engine.snapshot as Uint8Array<ArrayBuffer>;
      engine.snapshot = null;
      endpoint.post({ type: 'snapshot', bytes }, [bytes.buffer as ArrayBuffer]);
    }
    endpoint.post({
      type: 'ready',
      startupMs: engine.startupMs,
      pythonVersion: engine.pythonVersion,
      restored: engine.restored,
      snapshotRejected: engine.snapshotRejected,
      calibrationMs: engine.calibrate(),
      memoryLimitBytes: engine.heapLimitBytes,
    });
  }

  function run(engine: Engine, runId: number, source: string, filename: string, options: WorkerRunOptions): void {
    // A chunk at a time, as the tracer flushed it: each carries and places at most MESSAGE_LINES
    // line numbers (the host refuses more), so the host unpacks a long trace in small tasks.
    // Line numbers travel as one typed array, handed over.
    const send = (wire: string, lines: Int32Array<ArrayBuffer>): void => {
      endpoint.post({ type: 'chunk', runId, wire, lines }, [lines.buffer as ArrayBuffer]);
    };
    // From here on the program could write to this worker's console (posix._emscripten_log is
    // console.warn, Pyodide's fatal error console.error): in a Node worker thread that is the
    // host's own stderr, unrecorded and unbounded, terminal escapes and all. Nobody's now.
    quietConsole();
    engine.stopWallClock();
    let summary: RunSummary;
    try {
      // lastRun: this interpreter runs nothing after it, so the tracer puts nothing back.
      summary = engine.run(source, filename, { ...options, lastRun: true }, send);
    } catch (error) {
      // The interpreter itself broke (not the learner's program, whose errors are traced), or a
      // program made it look so: what was thrown may be the program's. A reviewer's program had
      // Pyodide throw a TypeError of its own making out of the run, whose `message` was a getter
      // of the program's: read here, before the wipe, it ran the program's Python after its run,
      // untraced (attack 79). So the interpreter is wiped first (a proxy's traps then fail in
      // WebAssembly before any Python runs), and only a plain-text `message` of its own is taken,
      // no getter called (describeWiped): a real failure keeps its words ("memory access out of
      // bounds"), which a teacher reporting it needs.
      retire(engine, endpoint);
      const words = describeWiped(error);
      endpoint.post({ type: 'fatal', message: words === null ? 'The Python runtime failed.' : `The Python runtime failed: ${words}` });
      return;
    }
    // The run's end goes to the host first, and the interpreter is wiped after, in this same
    // task: a program may have left something for JavaScript to call back once the run is over
    // (a promise's `then`), and nothing queued runs before the wipe is done. Posted first, the
    // host has the run while the wipe goes on (~45 ms for `loop-lab run hello.py`: its 30 MB
    // touched page by page), and a host that throws the worker away stops the wipe where it is
    // (Engine.retire): `loop-lab run hello.py` ended ~30 ms sooner (medians of 5: 825 → 795 ms).
    // Whatever the posts do, the wipe follows: a post that throws (a message that cannot be
    // cloned) must not leave the interpreter whole for what the program left behind.
    let posted = false;
    try {
      send(summary.wire, summary.lines);
      endpoint.post({
        type: 'finished',
        runId,
        exitCode: summary.status,
        limited: summary.limited,
        clock: summary.clock,
        wallMs: summary.wallMs,
        heapBytes: engine.heapBytes(), // its size: what the run grew it to
        memoryPeakBytes: engine.memoryPeakBytes,
        damaged: summary.damaged,
      });
      posted = true;
    } catch {
      // Said below, in words of the app's own: what failed may be the program's doing.
    }
    retire(engine, endpoint);
    if (!posted) endpoint.post({ type: 'fatal', message: 'The Python runtime failed: the run’s end could not be sent.' });
  }
}

/** The most characters of a failed run's own message that are passed on (describeWiped). */
const FATAL_WORDS_CHARS = 300;

/**
 * What a run's failure says of itself, read once the interpreter is wiped: the thrown value
 * itself if it is plain text, else its own `message` if that is a value (not a getter) and
 * plain text, at most FATAL_WORDS_CHARS of it; null if it has none, or reading it failed.
 * Through Reflect (frozen with the realm: realm-lockdown.ts), never `instanceof` or `String()`,
 * which would call what the program may have put on Error.prototype or Symbol.hasInstance.
 */
export function describeWiped(error: unknown): string | null {
  try {
    if (typeof error === 'string') return error.slice(0, FATAL_WORDS_CHARS);
    if ((typeof error !== 'object' && typeof error !== 'function') || error === null) return null;
    const descriptor = Reflect.getOwnPropertyDescriptor(error, 'message');
    const message: unknown = descriptor !== undefined && 'value' in descriptor ? descriptor.value : undefined;
    return typeof message === 'string' && message !== '' ? message.slice(0, FATAL_WORDS_CHARS) : null;
  } catch {
    return null;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Wipes the interpreter (Engine.retire) and drops this worker's uncaught errors (its console is
 * quiet from the run's start, and stays so): whatever JavaScript calls into
 * the wiped interpreter afterwards fails inside Pyodide, which reports each failure as a "fatal
 * error" on the console and may then throw. Those reports and errors say nothing to anyone (the
 * run is over and the worker is about to be thrown away), and the page would show them as its
 * own errors, or the host take them for a crash of the run it has just been told finished.
 */
function retire(engine: Engine, endpoint: WorkerEndpoint): void {
  engine.retire();
  endpoint.dropUncaughtErrors();
}

/** Every method of this worker's console does nothing (its own, and what Emscripten calls by name). */
function quietConsole(): void {
  const quiet = (): void => {};
  const methods = console as unknown as Record<string, unknown>;
  for (const name of Object.keys(methods)) if (typeof methods[name] === 'function') methods[name] = quiet;
}
