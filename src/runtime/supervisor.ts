/**
 * The host side of the runtime: starts the workers that hold interpreters, sends each one run,
 * checks and assembles the streamed trace, and stays in charge when a program misbehaves.
 *
 * Every run gets a fresh interpreter: a worker serves one run and is then terminated, so
 * nothing a program patched, scheduled, wrote to its files or left in memory is there for the
 * next. One spare worker is kept started ahead of time, so a run rarely waits; interpreters
 * start from a memory snapshot (`SnapshotStore`) once the first cold start has made one.
 *
 * Everything a worker sends is treated as forged until checked: each message against the
 * protocol's schemas, each event against the trace contract (src/runtime/wire.ts), the ids
 * it names against the trace. Anything else ends the run with "the program's trace was
 * damaged". A run ends early, with the steps so far kept and a `limit` event saying why, when
 * the worker goes quiet for `stallMs` (stuck inside one long operation), when it passes its
 * real-time allowance, when it breaks, or when the learner presses Stop.
 *
 * Platform neutral: the caller supplies `spawn`, which makes a Web Worker (browser edition,
 * Electron's runtime window) or a worker thread (CLI, tests, soak).
 */
import { MAX_SOURCE_CHARS, type RunInput, type StatusInfo } from '../shared/ipc';
import { inSlices, nextTask } from '../shared/slices';
import { parseWorkerMessage, type RunFinished, type WorkerReady, type WorkerRunOptions } from '../shared/runtime-protocol';
import {
  type CallbackInfo,
  type BadReference,
  checkingReferences,
  DEFAULT_MAX_EVENTS,
  DEFAULT_MAX_OUTPUT_CHARS,
  DEFAULT_MAX_STEPS,
  DEFAULT_WALL_SECONDS,
  type LimitReason,
  type TaskInfo,
  TRACE_VERSION,
  type Trace,
  TraceError,
  type TraceEvent,
} from '../shared/trace';
import type { HostToWorker } from '../shared/runtime-protocol';
import { keepingSound, type KeptSteps } from './kept-steps';
import { TraceTooLarge, WireDecoder } from './wire';
import { lastLineOf } from '../shared/trace-rules';

export interface WorkerHandle {
  post(message: HostToWorker): void;
  terminate(): void;
  /** Called with each message the worker sends (unchecked: the supervisor checks it). */
  onMessage(handler: (message: unknown) => void): void;
  /** Called once if the worker dies or cannot load. */
  onError(handler: (message: string) => void): void;
}

/**
 * Where the interpreter's memory snapshot is kept between starts (IndexedDB in the browser,
 * a file in the CLI's cache folder or Electron's user-data folder). Any failure reads as "no
 * snapshot": the interpreter then starts cold and makes a new one.
 */
export interface SnapshotStore {
  /**
   * The snapshot's bytes, or null: as saved, or in Loop Lab's packed form of them (a file's:
   * snapshot-pages.ts; the engine restores from either). A store may answer with a Blob of the
   * gzipped packed form instead (IndexedDB): it goes to the worker as it is, and the worker
   * inflates it while Python loads.
   */
  load(): Promise<Uint8Array | Blob | null>;
  save(bytes: Uint8Array): Promise<void>;
  /**
   * The snapshot in the form cheapest to hand a worker, asked for after a save and once an
   * interpreter has restored the store's snapshot (the later ones are given this): IndexedDB's
   * Blob of the packed form, inflated once for the page (a handle; the bytes were 30 MB copied
   * on the page's thread for every worker, and the gzip inflated by every worker). Stores that
   * keep bytes (a file) leave it out.
   */
  kept?(): Promise<Blob | null>;
  /** Forgets the snapshot (it was rejected: made by another build, or damaged). */
  drop(): Promise<void>;
}

/**
 * A worker its maker has already told to start, and given its snapshot (the CLI's first: it
 * is spawned before the rest of the CLI's code has loaded, src/cli/early.ts). The supervisor
 * takes it as its first interpreter, and the snapshot as the one later workers start from.
 */
export interface StartedWorker {
  worker: WorkerHandle;
  /** The `makeSnapshot` of the `start` it was sent: taken only if that is the supervisor's own choice. */
  makeSnapshot: boolean;
  /** What its `restore` message carries, or will (null: no snapshot, it starts cold). */
  snapshot: Promise<Uint8Array | null>;
}

export interface SupervisorOptions {
  /**
   * Real ms a running worker may go without sending anything before it is presumed stuck, on the
   * machine REFERENCE_CALIBRATION_MS was measured on. Default 8,000 (a program busy in one long
   * call gets that long); scaled, as a run's wall allowance is, to the worker's own measure of
   * the machine's speed as the run begins.
   */
  stallMs?: number;
  /** Real ms an interpreter may take to start. Default 60,000. */
  startTimeoutMs?: number;
  /**
   * Real ms an interpreter handed a snapshot may take to be ready once its restore has begun
   * (its `restoring` message: its files all in hand), in place of what is left of
   * startTimeoutMs. Default 20,000 (never more than startTimeoutMs): a restore takes 0.3–1.2 s
   * here, and a snapshot damaged inside can hang the restore for ever (1 of 24 places a 4 kB
   * patch of a packed snapshot was scrambled, measured here); it is then dropped and Python
   * starts cold. A start that runs out of time before its restore began keeps the snapshot.
   */
  restoreTimeoutMs?: number;
  /** Where the snapshot is kept; without one, every interpreter starts cold. */
  snapshots?: SnapshotStore | null;
  /** Keep one interpreter started ahead of the next run. Default true. */
  spare?: boolean;
  /**
   * When that spare starts: as each run starts, beside it (null, the default: a batch of runs,
   * as `lessons check` makes, overlaps each boot with the run before), or this many real ms
   * after each run ends. A page wants the latter: on a two-core machine the spare's boot
   * (compiling and restoring CPython, on several threads) took the CPU from the run and from
   * drawing its result, and the page's frames stretched past 100 ms while it did.
   */
  spareAfterRunMs?: number | null;
  /**
   * Where the details of a crash go (what the worker said when it failed, or the channel's
   * words for a damaged run), for whoever looks into it. They are never shown in the run's
   * banner: the program can choose them. Default: console.warn, quoted (control characters
   * escaped).
   */
  log?: (detail: string) => void;
  /** A first worker started already (see StartedWorker); ended unused if it was asked for another kind of start. */
  started?: StartedWorker | null;
}

/**
 * `calibrationMs` of a worker on the machine these numbers were set on (2 cores, idle). A
 * slower machine, or a busy one, gets a longer real-time allowance, in proportion.
 */
const REFERENCE_CALIBRATION_MS = 1.6;
/** Real ms the host waits past the tracer's own time limit before it terminates the worker. */
const GRACE_MS = 3000;
/**
 * The most messages one run sends: the tracer sends a chunk about every 2 ms while a program
 * prints (recorder.py: a few at once, then one per 2 ms), so 500 a second for the longest
 * allowance a slow machine gets (30 s × 8),
 * and a chunk once it holds more than 8,976 line numbers (recorder.py: MESSAGE_LINES less one
 * batch), about 112 for a million. More is not the tracer's, and each costs the host a task.
 */
const MAX_RUN_MESSAGES = 250_000;

/**
 * How long one slice of a finished trace's checks may hold the host's thread (ms): a frame's
 * worth, so that the page draws between slices (checkInSlices).
 */
const CHECK_SLICE_MS = 12;

interface Slot {
  worker: WorkerHandle;
  ready: Promise<WorkerReady>;
  dead: boolean;
  /** Messages of the run this worker serves (set when it takes its run). */
  listener: ((message: unknown) => void) | null;
  failure: ((message: string) => void) | null;
  /** Gives up on a start that takes longer than startTimeoutMs; cleared once it is settled or killed. */
  startTimer: ReturnType<typeof setTimeout> | null;
  /** Ends a start still under way (kill): `ready` rejects, so nothing waits on it for ever. */
  abortStart: (why: string) => void;
  /**
   * The `snapshotGeneration` of the snapshot this worker was handed to restore, or null (none
   * yet, or it starts cold): what `forgetSnapshot` drops if the interpreter breaks.
   */
  restoring: number | null;
  /** Its start failed and another was started in its place (see forgetSnapshot): its failure is not the status. */
  replaced: boolean;
}

/** A run asked for whose interpreter is still starting; at most one (runs are taken in order). */
interface WaitingRun {
  slot: Slot;
  /** Stop was pressed (or the host disposed) before the program began. */
  stopped: boolean;
}

interface ActiveRun {
  runId: number;
  slot: Slot;
  input: RunInput;
  decoder: WireDecoder;
  events: TraceEvent[];
  tasks: TaskInfo[];
  callbacks: CallbackInfo[];
  maxSteps: number;
  started: number;
  stallTimer: ReturnType<typeof setTimeout>;
  allowanceTimer: ReturnType<typeof setTimeout>;
  /** Real seconds the run may take (its wallSeconds, scaled to this machine's speed). */
  allowanceSeconds: number;
  /** Real ms it may go without sending anything (stallMs, scaled the same way). */
  stallMs: number;
  /** Messages taken so far. */
  messages: number;
  /** Chunks of its trace taken so far (a `fatal` or a worker's error is no chunk). */
  chunks: number;
  /** Its `finished` has been read (and its worker ended): its trace is being checked. */
  finishing: boolean;
  resolve: (trace: Trace) => void;
}

/**
 * The longest a new snapshot's save is waited for by the spare started after a run (see
 * `keeping`), in ms from the save's start: packing and gzipping 30 MB in the codec worker took
 * 1–3 s here.
 */
export const KEEPING_WAIT_MS = 5000;

type AbandonReason = 'time' | 'stopped' | 'crashed' | 'damaged' | 'events';

const LIMIT_TEXT: Record<AbandonReason | 'allowance', string> = {
  time:
    'Loop Lab stopped the program after {s} seconds without a single step: it was stuck inside ' +
    'one long operation that gives no chance to look in. The steps recorded before that are kept.',
  allowance: 'Loop Lab stopped the program after {s} seconds of real time. The steps recorded before that are kept.',
  stopped: 'You stopped the program. The steps recorded before that are kept.',
  crashed: 'The Python interpreter broke while running the program. The steps recorded before that are kept.',
  events:
    'The trace grew past the most Loop Lab keeps for one run: the program made more of it than ' +
    'the app can show. The steps so far are kept.',
  damaged:
    "The program's trace was damaged ({why}): what the interpreter sent could not be trusted, so the run was " +
    'ended and a fresh interpreter started. The steps checked before that are kept.',
};

export class RuntimeSupervisor {
  private readonly stallMs: number;
  private readonly log: (detail: string) => void;
  private readonly startTimeoutMs: number;
  private readonly restoreTimeoutMs: number;
  private readonly snapshots: SnapshotStore | null;
  private readonly keepSpare: boolean;
  private readonly spareAfterRunMs: number | null;
  /**
   * Settles once a snapshot a worker made is kept as the store keeps it (a Blob, for a store
   * with `kept`: see `snapshot`), or failed to be; settled when none is being kept. The spare
   * started after a run waits for it: given the snapshot's bytes instead, a browser worker's
   * start copied 30 MB on the page's thread (a 131 ms task after the first run of a page that
   * had started cold, in the bench here). It settles KEEPING_WAIT_MS after the save began at
   * the latest: a save that never settles (a codec worker that died, an IndexedDB that hangs)
   * must not cost every later run its spare.
   */
  private keeping: Promise<void> = Promise.resolve();
  /** The timer that ends the wait for `keeping` (KEEPING_WAIT_MS), cleared at dispose. */
  private keepingCap: ReturnType<typeof setTimeout> | null = null;
  /** The timer that starts the spare after a run (spareAfterRunMs), while it waits. */
  private spareTimer: ReturnType<typeof setTimeout> | null = null;
  /** The run waiting for its interpreter to start, if any. */
  private waiting: WaitingRun | null = null;
  /** The snapshot new interpreters start from (null: start cold, and make one if there is a store). */
  private snapshot: Promise<Uint8Array | Blob | null>;
  /** Counts the snapshots `snapshot` has held: one made by a worker is a new one (see Slot.restoring). */
  private snapshotGeneration = 0;
  /** The snapshot generation whose store-kept form later workers were switched to (handOnKeptForm); null before any. */
  private keptFormOf: number | null = null;
  /** The generations `forgetSnapshot` forgot: a worker whose read of one was under way is handed none. */
  private readonly forgotten = new Set<number>();
  /** The interpreter the next run gets (started ahead of time), if one is. */
  private warm: Slot | null = null;
  private active: ActiveRun | null = null;
  private nextRunId = 1;
  private statusInfo: StatusInfo = { status: 'starting', message: 'Starting Python…' };
  private readonly statusListeners = new Set<(info: StatusInfo) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private everReady = false;
  private lastReady: WorkerReady | null = null;
  private disposed = false;
  /** Runs ended by the host (stuck, over time, broken, damaged, stopped): their workers were killed. */
  restarts = 0;
  /** Interpreters started, and how: for the bench and the tests. */
  readonly starts = { cold: 0, restored: 0, rejected: 0 };

  constructor(
    private readonly spawn: () => WorkerHandle,
    options: SupervisorOptions = {},
  ) {
    this.stallMs = options.stallMs ?? 8000;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.restoreTimeoutMs = Math.min(this.startTimeoutMs, options.restoreTimeoutMs ?? 20_000);
    this.snapshots = options.snapshots ?? null;
    this.keepSpare = options.spare ?? true;
    this.spareAfterRunMs = options.spareAfterRunMs ?? null;
    this.log = options.log ?? ((detail) => console.warn(`Loop Lab runtime: ${JSON.stringify(detail)}`));
    const given = options.started ?? null;
    const started = given !== null && given.makeSnapshot === (this.snapshots !== null) ? given : null;
    if (given !== null && started === null) given.worker.terminate();
    // Read after this constructor has spawned the first worker: it boots (~0.1 s) meanwhile.
    const store = this.snapshots;
    this.snapshot = started
      ? started.snapshot.catch(() => null)
      : Promise.resolve()
          .then(() => store?.load() ?? null)
          .catch(() => null);
    this.warm = this.startSlot(started?.worker);
  }

  get status(): StatusInfo {
    return this.statusInfo;
  }

  onStatus(listener: (info: StatusInfo) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.statusInfo);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Resolves when an interpreter is up for the next run (or rejects when none can start). One
   * that broke restoring a damaged snapshot is replaced by a cold start (forgetSnapshot), and
   * that is waited for instead.
   */
  async ready(): Promise<WorkerReady> {
    for (;;) {
      this.warm ??= this.startSlot();
      const slot = this.warm;
      try {
        return await slot.ready;
      } catch (error) {
        if (!slot.replaced || this.disposed) throw error;
      }
    }
  }

  /**
   * Runs a program in a fresh interpreter and resolves with its whole, checked trace. Never
   * rejects for anything the program does; runs are taken one at a time, in the order asked.
   */
  run(input: RunInput): Promise<Trace> {
    const result = this.queue.then(() => this.runNow(input));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Ends the run in progress, if any; its trace ends with a `stopped` limit. A run still waiting
   * for its interpreter is stopped too, before its program begins. A run whose worker has
   * already said it finished is not: its whole trace comes, as if Stop had come a moment later.
   */
  stop(): void {
    const run = this.active;
    if (run) {
      if (!run.finishing) this.abandon(run, 'stopped', '');
    } else if (this.waiting) {
      this.waiting.stopped = true;
    }
  }

  dispose(): void {
    this.disposed = true;
    if (this.active) this.clearTimers(this.active);
    if (this.active) this.kill(this.active.slot);
    if (this.warm) this.kill(this.warm);
    this.warm = null;
    if (this.waiting) {
      this.waiting.stopped = true;
      this.kill(this.waiting.slot);
    }
    if (this.spareTimer !== null) clearTimeout(this.spareTimer);
    this.spareTimer = null;
    if (this.keepingCap !== null) clearTimeout(this.keepingCap);
    this.keepingCap = null;
  }

  private async runNow(input: RunInput, attempt = 0): Promise<Trace> {
    const slot = this.warm ?? this.startSlot();
    this.warm = null;
    const waiting: WaitingRun = { slot, stopped: false };
    this.waiting = waiting;
    let ready: WorkerReady;
    try {
      ready = await slot.ready;
    } catch (error) {
      this.waiting = null;
      this.kill(slot);
      if (waiting.stopped) return this.stoppedBeforeStart(input);
      if (attempt < 1 && !this.disposed) return this.runNow(input, attempt + 1);
      const why = error instanceof Error ? error.message : String(error);
      this.setStatus({ status: 'failed', message: why });
      return this.assemble(input, [], [], [], endOf('limit', 2, 0, 0, 0, input), why);
    }
    this.waiting = null;
    if (waiting.stopped) {
      // Its interpreter has run nothing: it is the next run's.
      if (!slot.dead && !this.disposed && !this.warm) this.warm = slot;
      else this.kill(slot);
      return this.stoppedBeforeStart(input);
    }
    if (slot.dead) return this.runNow(input, attempt);
    // The next run's interpreter starts now, while this one runs (or once it has ended).
    if (this.keepSpare && !this.disposed && this.spareAfterRunMs === null) this.warm = this.startSlot();
    return new Promise<Trace>((resolve) => {
      const runId = this.nextRunId++;
      const maxSteps = input.options?.maxSteps ?? DEFAULT_MAX_STEPS;
      const speed = Math.min(8, Math.max(1, ready.calibrationMs / REFERENCE_CALIBRATION_MS));
      const allowanceSeconds = (input.options?.wallSeconds ?? DEFAULT_WALL_SECONDS) * speed;
      // A busy machine stretches one long operation as it stretches the whole run: a program
      // filling memory 10 MB at a time went 8 s with no message at a load of 11 on 2 cores
      // (user CPU 1.9 s of 17.7 s), and its MemoryError was reported as a stuck program.
      const stallMs = this.stallMs * speed;
      const started = performance.now();
      const run: ActiveRun = {
        runId,
        slot,
        input,
        // The host holds the run to its bounds itself: the program can write frames too.
        decoder: new WireDecoder({
          maxSteps,
          maxOutputChars: input.options?.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS,
          maxEvents: DEFAULT_MAX_EVENTS,
          verify: input.options?.verify === true,
          maxLine: lastLineOf(input.source),
          // Each limit the run may end with is held to the host's own measure of it.
          wallSeconds: allowanceSeconds,
          elapsedSeconds: () => (performance.now() - started) / 1000,
          memoryLimitBytes: ready.memoryLimitBytes,
        }),
        events: [],
        tasks: [],
        callbacks: [],
        maxSteps,
        started,
        stallTimer: setTimeout(() => this.abandon(run, 'time', ''), stallMs),
        allowanceTimer: setTimeout(() => this.abandon(run, 'time', '', allowanceSeconds), allowanceSeconds * 1000 + GRACE_MS),
        allowanceSeconds,
        stallMs,
        messages: 0,
        chunks: 0,
        finishing: false,
        resolve,
      };
      this.active = run;
      this.setStatus({ status: 'running', message: 'Running…' });
      slot.listener = (message) => this.onRunMessage(run, message);
      slot.failure = (why) => this.abandon(run, 'crashed', why);
      const options: WorkerRunOptions = {
        maxSteps,
        wallSeconds: allowanceSeconds,
        ...(input.options?.maxOutputChars !== undefined ? { maxOutputChars: input.options.maxOutputChars } : {}),
        ...(input.options?.verify !== undefined ? { verify: input.options.verify } : {}),
      };
      slot.worker.post({ type: 'run', runId, source: input.source, filename: input.filename, options });
    });
  }

  /** The trace of a run stopped while its interpreter started: no step, the `stopped` limit. */
  private stoppedBeforeStart(input: RunInput): Trace {
    if (!this.disposed) this.setStatus(this.idleStatus());
    return this.assemble(input, [], [], [{ kind: 'limit', reason: 'stopped', message: LIMIT_TEXT.stopped }], endOf('limit', 2, 0, 0, 0, input));
  }

  private onRunMessage(run: ActiveRun, raw: unknown): void {
    if (this.active !== run) return;
    // Checked here as well as by the timers: a host busy with a flood of messages runs no timer
    // until the flood is over (Node takes a port's queued messages before its timers).
    if (performance.now() - run.started > run.allowanceSeconds * 1000 + GRACE_MS) return this.abandon(run, 'time', '', run.allowanceSeconds);
    if (++run.messages > MAX_RUN_MESSAGES) return this.abandon(run, 'damaged', 'more messages than the tracer ever sends');
    const message = parseWorkerMessage(raw);
    if (message === null) return this.abandon(run, 'damaged', 'a message of the wrong shape');
    if (message.type === 'fatal') return this.abandon(run, 'crashed', message.message);
    if ((message.type !== 'chunk' && message.type !== 'finished') || message.runId !== run.runId) {
      return this.abandon(run, 'damaged', `an unexpected ${message.type} message`);
    }
    if (message.type === 'finished') return this.complete(run, message);
    try {
      const chunk = run.decoder.decode(message.wire, message.lines);
      // Appended whole: a chunk holds at most MESSAGE_LINES + MESSAGE_EVENTS events (the decoder
      // refuses more), well within what one call takes as arguments. One by one, the appends
      // were the most of this handler's own time for a runaway loop's million steps.
      Array.prototype.push.apply(run.events, chunk.events);
      Array.prototype.push.apply(run.tasks, chunk.tasks);
      Array.prototype.push.apply(run.callbacks, chunk.callbacks);
    } catch (error) {
      if (!(error instanceof TraceError)) this.log(`decoding a chunk failed: ${String(error)}`);
      // Too much trace is not a forgery: it ends as the tracer ends a trace grown too long.
      if (error instanceof TraceTooLarge) return this.abandon(run, 'events', error.message);
      return this.abandon(run, 'damaged', error instanceof TraceError ? error.message : 'a chunk could not be read');
    }
    run.chunks++;
    clearTimeout(run.stallTimer);
    run.stallTimer = setTimeout(() => this.abandon(run, 'time', ''), run.stallMs);
  }

  private complete(run: ActiveRun, finished: RunFinished): void {
    if (finished.damaged !== null) {
      // The worker's words: logged, and the banner says it in the app's own.
      this.log(`the worker found its trace channel damaged: ${finished.damaged}`);
      return this.abandon(run, 'damaged', 'something other than the tracer wrote to its channel');
    }
    try {
      run.decoder.finish(finished.memoryPeakBytes);
    } catch (error) {
      return this.abandon(run, 'damaged', error instanceof TraceError ? error.message : 'the end of the trace could not be read');
    }
    const disagrees = summaryDisagreement(finished, run.decoder.endedBy, lastClock(run.events));
    if (disagrees !== null) return this.abandon(run, 'damaged', disagrees);
    const status = finished.limited ? 'limit' : finished.exitCode === 0 ? 'ok' : 'error';
    // The worker's own count of real time, never more than the host saw pass: a program can
    // make the tracer's clock say anything (an attacker's run of a moment "took" 10^12 s).
    const wallMs = Math.min(finished.wallMs, performance.now() - run.started);
    const end = endOf(status, finished.exitCode, finished.clock, wallMs, run.decoder.lineSteps, run.input, run.maxSteps);
    // The checks over the whole trace get tasks of their own, and the trace's first use by
    // whoever asked for it another: this one has decoded the last chunk. In one task, for a
    // runaway loop's 200,000 lines, they held the page's thread for 60–100 ms in Chromium here
    // (the cross references alone ~30 ms, their code not yet optimised on a page's first runs),
    // and for its million steps 70–100 ms more (checkInSlices). The worker has said all it
    // will: it is ended now, and nothing it sent after is read.
    run.finishing = true;
    this.clearTimers(run);
    this.kill(run.slot);
    setTimeout(() => this.checkInSlices(run, end), 0);
  }

  /**
   * A finished run's trace, its cross-references checked in slices of CHECK_SLICE_MS, each a
   * task of its own; then the run is resolved with it, or ended as damaged. Resolved even if the
   * host was disposed meanwhile (or Stop pressed): the run had finished.
   */
  private checkInSlices(run: ActiveRun, end: Trace['end']): void {
    let trace: Trace;
    let check: Generator<void, BadReference | null>;
    try {
      trace = this.assemble(run.input, run.tasks, run.callbacks, run.events, end);
      check = checkingReferences(trace);
    } catch {
      return this.abandon(run, 'damaged', 'the trace could not be checked');
    }
    void inSlices(check, CHECK_SLICE_MS, () => this.active === run).then(
      (checked) => {
        if (checked === null || this.active !== run) return;
        if (checked.value !== null) return this.abandon(run, 'damaged', checked.value.problem);
        this.finish(run);
        run.resolve(trace);
      },
      () => this.abandon(run, 'damaged', 'the trace could not be checked'),
    );
  }

  /**
   * The worker did not finish the run well: terminate it, keep the checked steps, say why. The
   * run ends at once (no longer active); it resolves once its steps are checked, in slices
   * (keepingSound), tasks after this one, even if the host is disposed meanwhile.
   */
  private abandon(run: ActiveRun, reason: AbandonReason, why: string, allowanceSeconds?: number): void {
    if (this.active !== run) return;
    this.finish(run);
    this.restarts++;
    const seconds = allowanceSeconds ?? run.stallMs / 1000;
    // A crash's words are the worker's (a Python traceback the program may have written): kept
    // for the log, never put in the banner. A damaged run's are the host's own (TraceError).
    if (reason === 'crashed') this.log(`the Python worker failed: ${why || 'no reason given'}`);
    // The tracer's first chunk is sent just before the program's first line (runner.py,
    // say_begun): a run that crashed, stalled or sent something malformed before it broke in
    // Loop Lab's own start of the run, never in the program. From a restored interpreter, its
    // snapshot is suspect: dropped, and the program runs again in a cold one, as if nothing
    // had happened (a reviewer's damaged snapshot, which restored well and then hung every
    // run before its first line, blamed the program each time and was never dropped).
    // Except for a source longer than any shell of the app hands over (MAX_SOURCE_CHARS): taking
    // one in (JavaScript's string made Python's, before the tracer's first chunk) can itself run
    // the interpreter out of memory, which is the program's size, not the snapshot (a reviewer's
    // 100 M-character file had the shipped snapshot refused for good in the CLI's cache folder).
    const suspect = run.input.source.length <= MAX_SOURCE_CHARS;
    if (run.chunks === 0 && suspect && (reason === 'crashed' || reason === 'time' || reason === 'damaged') && this.forgetSnapshot(run.slot) && !this.disposed) {
      this.log(`an interpreter restored from the kept snapshot broke before the program began (${reason}): the snapshot is dropped, and the program runs again in a cold one`);
      void this.runNow(run.input, 1).then(run.resolve);
      return;
    }
    // Replacer functions: a string replacement would expand `$&`, `$'` and the like.
    const message = LIMIT_TEXT[allowanceSeconds !== undefined ? 'allowance' : reason]
      .replace('{s}', () => String(Number(seconds.toFixed(1))))
      .replace('{why}', () => why || 'no reason given');
    // The steps kept must still hold together: they end before the first one that names a task
    // or callback the trace does not have (a forged chunk's), and so do the tables (keepingSound).
    // Found in slices of CHECK_SLICE_MS, each a task of its own after this one: the run is over
    // now (`finish` cleared it: Stop and new runs work at once), and only its resolution waits.
    // Its slices run whatever happens meanwhile (dispose, another run): the run must resolve.
    const wallMs = performance.now() - run.started;
    const limit: TraceEvent = { kind: 'limit', reason: reason as LimitReason, message };
    const resolveWith = (kept: KeptSteps): void => {
      kept.events.push(limit);
      const end = endOf('limit', 2, kept.clock, wallMs, kept.lineSteps, run.input, run.maxSteps);
      run.resolve(this.assemble(run.input, kept.tasks, kept.callbacks, kept.events, end));
    };
    const nothing: KeptSteps = { tasks: [], callbacks: [], events: [], lineSteps: 0, clock: 0 };
    const whole = this.assemble(run.input, run.tasks, run.callbacks, run.events, endOf('limit', 2, 0, 0, 0, run.input));
    void nextTask()
      .then(() => inSlices(keepingSound(whole), CHECK_SLICE_MS))
      .then(
        (kept) => resolveWith(kept?.value ?? nothing),
        (error: unknown) => {
          this.log(`checking an ended run's steps failed: ${String(error)}`);
          resolveWith(nothing);
        },
      );
  }

  private finish(run: ActiveRun): void {
    this.clearTimers(run);
    this.active = null;
    this.kill(run.slot);
    if (!this.disposed) this.setStatus(this.idleStatus());
    if (this.keepSpare && this.spareAfterRunMs !== null && !this.disposed && this.spareTimer === null) {
      this.spareTimer = setTimeout(() => {
        this.spareTimer = null;
        // A run that came first started its own interpreter (and may be waiting for it): its
        // end starts the spare.
        void this.keeping.then(() => {
          if (!this.disposed && !this.warm && !this.active && !this.waiting) this.warm = this.startSlot();
        });
      }, this.spareAfterRunMs);
    }
  }

  private clearTimers(run: ActiveRun): void {
    clearTimeout(run.stallTimer);
    clearTimeout(run.allowanceTimer);
  }

  private assemble(input: RunInput, tasks: TaskInfo[], callbacks: CallbackInfo[], events: TraceEvent[], end: Trace['end'], failure?: string): Trace {
    if (failure !== undefined) {
      // Each start's failure says it in a sentence of its own ("Python could not start: …",
      // "Python took too long to start."): once, not "Python could not start: Python could not start: …".
      events = [{ kind: 'limit', reason: 'crashed', message: failure }];
    }
    return { version: TRACE_VERSION, filename: input.filename, source: input.source, tasks, callbacks, events, end };
  }

  private idleStatus(): StatusInfo {
    if (!this.everReady) return { status: 'starting', message: 'Starting Python…' };
    const info = this.lastReady;
    return {
      status: 'ready',
      message: 'Ready',
      ...(info ? { startupMs: info.startupMs, pythonVersion: info.pythonVersion, restored: info.restored } : {}),
    };
  }

  /** A slot for a new worker, or for `startedWorker` (already sent its `start` and `restore`). */
  private startSlot(startedWorker?: WorkerHandle): Slot {
    const worker = startedWorker ?? this.spawn();
    const slot: Slot = {
      worker,
      dead: false,
      listener: null,
      failure: null,
      startTimer: null,
      ready: Promise.resolve() as unknown as Promise<WorkerReady>,
      abortStart: () => undefined,
      restoring: null,
      replaced: false,
    };
    slot.ready = new Promise<WorkerReady>((resolve, reject) => {
      slot.abortStart = (why) => reject(new Error(why));
      let asked: Uint8Array | Blob | null = null;
      let made = false;
      let settled = false;
      /** The worker said it had everything its restore needs and began it (`restoring`). */
      let restoringBegun = false;
      /** The worker refused its snapshot and starts cold (`starting-cold`). */
      let startingCold = false;
      /**
       * The start failed: if the worker had a snapshot to restore, that is forgotten first (the
       * retry starts cold), unless the snapshot is known not to be what failed (`snapshotSound`:
       * Python's WebAssembly did not load, which a cold start would meet the same way; a learner
       * who then repairs the copy, or reloads, still starts from the kept snapshot).
       */
      const fail = (why: string, snapshotSound = false, tryAgain = false): void => {
        if (slot.startTimer !== null) clearTimeout(slot.startTimer);
        slot.startTimer = null;
        const forgot = !settled && !snapshotSound && this.forgetSnapshot(slot);
        settled = true;
        // The interpreter started ahead, for nobody yet: its replacement starts now (cold, if
        // the snapshot was forgotten; from it again, if it ran out of time waiting for Python's
        // files: the page goes on fetching them, and it was not failed, so the next start
        // waits on). Left failed, Run stayed greyed out until the page was reloaded.
        if ((forgot || tryAgain) && this.warm === slot && !this.disposed) {
          slot.replaced = true;
          this.warm = this.startSlot();
        }
        reject(new Error(why));
      };
      const giveUpIn = (ms: number): void => {
        if (slot.startTimer !== null) clearTimeout(slot.startTimer);
        slot.startTimer = setTimeout(() => {
          // Out of time before its restore began (Python's files still on their way: a first
          // visit over a slow network), the snapshot is not what failed, and is kept: dropped,
          // the app's own was refused for good, and every later start in that browser booted
          // cold. (One the worker refused itself, `starting-cold`, is forgotten as before.)
          const stillWaiting = asked !== null && !restoringBegun && !startingCold;
          fail('Python took too long to start.', stillWaiting, stillWaiting);
          this.kill(slot);
        }, ms);
      };
      giveUpIn(this.startTimeoutMs);
      let started = false;
      const listen = (): void => {
        worker.onMessage((raw) => {
          if (started) {
            slot.listener?.(raw);
            return;
          }
          const message = parseWorkerMessage(raw);
          if (message?.type === 'snapshot' && this.snapshots && !made) {
            // Made by a worker that has run nothing yet: the one message kept from before `ready`.
            made = true;
            const bytes = message.bytes;
            this.snapshot = Promise.resolve(bytes);
            this.snapshotGeneration++;
            const store = this.snapshots;
            const keeping = store
              .save(bytes)
              .then(async () => {
                // Kept as a Blob (IndexedDB's gzip), the next workers are given that: a handle.
                // The 30 MB of bytes were copied on the page's thread for every worker started
                // (~50 ms in one task, measured in Chromium here), the spare after every run.
                const kept = (await store.kept?.()) ?? null;
                if (kept !== null && (await this.snapshot) === bytes) this.snapshot = Promise.resolve(kept);
              })
              .catch(() => undefined);
            // Waited for at most KEEPING_WAIT_MS from now: a save that never settles must not cost every later run its spare.
            if (store.kept) {
              this.keeping = Promise.race([
                keeping,
                new Promise<void>((resolve) => {
                  if (this.keepingCap !== null) clearTimeout(this.keepingCap);
                  this.keepingCap = setTimeout(resolve, KEEPING_WAIT_MS);
                }),
              ]);
            }
          } else if (message?.type === 'restoring') {
            // Everything in hand: a restore's wait, from now (once; a cold start's wait stands).
            if (!settled && asked !== null && !restoringBegun && !startingCold) {
              restoringBegun = true;
              giveUpIn(this.restoreTimeoutMs);
            }
          } else if (message?.type === 'starting-cold') {
            // It refused its snapshot and starts cold: a cold start's wait, from now. (A restore
            // that failed after most of restoreTimeoutMs left too little for the cold start: the
            // host gave up on a start that was going well.)
            // Said once: said again, it would put the start off for ever.
            if (!settled && !startingCold) giveUpIn(this.startTimeoutMs);
            startingCold = true;
          } else if (message?.type === 'ready') {
            started = true;
            settled = true;
            if (slot.startTimer !== null) clearTimeout(slot.startTimer);
            slot.startTimer = null;
            // Started cold after all (it could not use the snapshot): that is dealt with here.
            if (!message.restored) slot.restoring = null;
            this.noteStart(message, asked !== null, made);
            resolve(message);
          } else {
            fail(message?.type === 'fatal' ? message.message : 'Python sent something unexpected while starting.', message?.type === 'fatal' && message.wasmNotLoaded === true);
            this.kill(slot);
          }
        });
        worker.onError((message) => {
          const wasDead = slot.dead;
          slot.dead = true;
          fail(`Python could not start: ${message}`);
          if (!wasDead) slot.failure?.(message);
        });
      };
      // The worker loads Python while the snapshot is read (IndexedDB, a file): ~0.05–0.1 s.
      if (!startedWorker) {
        listen();
        slot.worker.post({ type: 'start', makeSnapshot: this.snapshots !== null });
      }
      const generation = this.snapshotGeneration;
      void (startedWorker ? this.snapshot : this.snapshotForWorker()).then((given) => {
        if (slot.dead) return;
        // Forgotten while it was read (it broke another interpreter meanwhile): this one starts cold.
        const bytes = !startedWorker && this.forgotten.has(generation) ? null : given;
        asked = bytes;
        // The wait for the restore itself starts once the worker says it has begun (`restoring`).
        if (bytes !== null && !settled) slot.restoring = generation;
        if (!startedWorker) slot.worker.post({ type: 'restore', snapshot: bytes });
        // A worker started already may have said `ready` before this supervisor existed (its
        // spawn keeps what it said): heard once what it was given is known, so that a snapshot
        // it rejected is counted and dropped as for any other worker.
        else listen();
      });
    });
    slot.ready.then(
      () => {
        if (!this.everReady) {
          this.everReady = true;
          if (!this.active) this.setStatus(this.idleStatus());
        }
      },
      (error: unknown) => {
        // Not while a run waits on it: the run tries once more with a fresh interpreter, and
        // says so itself if that fails too (runNow).
        if (!this.everReady && !this.disposed && !slot.replaced && this.waiting?.slot !== slot) {
          this.setStatus({ status: 'failed', message: error instanceof Error ? error.message : String(error) });
        }
      },
    );
    return slot;
  }

  /**
   * The snapshot to hand a worker this supervisor starts. One that the first worker was given
   * by moving it (the CLI's: NodeWorkerHandle.handOverSnapshot) is empty on this thread
   * afterwards: the store's is loaded again.
   */
  private snapshotForWorker(): Promise<Uint8Array | Blob | null> {
    return this.snapshot.then((given) => {
      if (!(given instanceof Uint8Array) || given.length > 0) return given;
      const store = this.snapshots;
      this.snapshot = Promise.resolve()
        .then(() => store?.load() ?? null)
        .catch(() => null);
      return this.snapshot;
    });
  }

  private noteStart(ready: WorkerReady, hadSnapshot: boolean, madeOne: boolean): void {
    this.lastReady = ready;
    if (ready.restored && hadSnapshot) this.handOnKeptForm();
    if (ready.restored) this.starts.restored++;
    else this.starts.cold++;
    if (hadSnapshot && ready.snapshotRejected !== null) {
      this.starts.rejected++;
      // Made by another build, or damaged: forget it. This worker then started cold and, as
      // asked, sent a new one before it said it was ready (already saved over the old one).
      if (!madeOne) {
        this.snapshot = Promise.resolve(null);
        void this.snapshots?.drop().catch(() => undefined);
      }
    }
  }

  /**
   * The interpreter `slot` restored broke before it served a run (its start failed or never
   * ended; it crashed before its run sent a chunk): the snapshot it was handed is damaged
   * inside, however sound its gzip. It is forgotten and dropped from the store, so that the
   * next interpreter starts cold (and makes a new one), and a spare handed it is ended. Else
   * every start, or every run, failed the same way until the learner emptied the store by hand
   * (found by scrambling a kept snapshot: tests/supervisor.test.ts has the shapes). True if
   * it forgot one.
   */
  /**
   * Once an interpreter has restored the store's snapshot, the later ones are given it in the
   * form the store says is cheaper for a worker (SnapshotStore.kept: the browser's, inflated
   * once for the page), once per snapshot; a form that cannot be had leaves the one that worked.
   */
  private handOnKeptForm(): void {
    const store = this.snapshots;
    if (!store?.kept || this.keptFormOf === this.snapshotGeneration) return;
    this.keptFormOf = this.snapshotGeneration;
    const working = this.snapshot;
    this.snapshot = store
      .kept()
      .catch(() => null)
      .then(async (kept) => kept ?? working);
  }

  private forgetSnapshot(slot: Slot): boolean {
    const generation = slot.restoring;
    slot.restoring = null;
    if (generation === null || generation !== this.snapshotGeneration) return false;
    this.forgotten.add(generation);
    this.snapshotGeneration++;
    this.starts.rejected++;
    this.snapshot = Promise.resolve(null);
    void this.snapshots?.drop().catch(() => undefined);
    const spare = this.warm;
    if (spare !== null && spare !== slot && spare.restoring === generation) {
      this.warm = null;
      this.kill(spare);
    }
    return true;
  }

  private kill(slot: Slot): void {
    // Terminated even when already marked dead: a worker that reported an error (a message
    // that could not be read, a crash) is marked so first, and was otherwise never terminated.
    slot.dead = true;
    // A spare killed while it starts (dispose) must not keep its start timer: in Node it would
    // hold the process open for startTimeoutMs after everything else is done.
    if (slot.startTimer !== null) clearTimeout(slot.startTimer);
    slot.startTimer = null;
    slot.listener = null;
    slot.failure = null;
    slot.abortStart('Python was stopped before it was ready.');
    slot.worker.terminate();
  }

  private setStatus(info: StatusInfo): void {
    this.statusInfo = info;
    for (const listener of this.statusListeners) listener(info);
  }
}

function endOf(
  status: Trace['end']['status'],
  exitCode: number,
  clock: number,
  wallMs: number,
  lineSteps: number,
  input: RunInput,
  maxSteps = input.options?.maxSteps ?? DEFAULT_MAX_STEPS,
): Trace['end'] {
  return { status, exitCode, clock, wallMs, lineSteps, maxSteps };
}

/**
 * Why a run's `finished` summary cannot be true of its events, or null if it can be. The summary
 * comes from the tracer, which shares its interpreter with the program (a program can replace
 * the tracer's functions), so it is held to what the events show: a limit event ends a run
 * with status 2 and `limited`, and the clock is where the last clock event left it. Any other
 * status a program may choose itself (`sys.exit`, `os._exit`), 0 after an uncaught exception
 * too: python3 ends with 0 when an atexit function or a `__del__` at exit calls `os._exit(0)`.
 */
function summaryDisagreement(finished: RunFinished, endedBy: 'limit' | 'exception' | null, clock: number): string | null {
  if (finished.limited !== (endedBy === 'limit') || (endedBy === 'limit' && finished.exitCode !== 2)) {
    return 'the run’s summary and its last event disagree on how it ended';
  }
  if (finished.clock !== clock) return 'the run’s summary and its events disagree on the clock';
  return null;
}

function lastClock(events: readonly TraceEvent[]): number {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.kind === 'clock') return event.time;
  }
  return 0;
}
