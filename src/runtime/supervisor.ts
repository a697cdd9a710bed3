/**
 * The host side of the runtime: owns the worker that holds the interpreter, sends it runs,
 * assembles the streamed trace, and stays in charge when a program misbehaves. A worker that
 * does not finish a run in time, or breaks, is terminated and replaced; the trace recorded up
 * to that moment is kept and ends with a `limit` event saying why.
 *
 * Platform neutral: the caller supplies `spawn`, which makes a Web Worker (browser edition,
 * Electron's runtime window) or a worker thread (CLI, tests, soak).
 */
import type { RunInput, StatusInfo } from '../shared/ipc';
import {
  type HostToWorker,
  isWorkerMessage,
  type RunFinished,
  type TraceChunk,
  type WorkerReady,
  type WorkerToHost,
} from '../shared/runtime-protocol';
import {
  type CallbackInfo,
  DEFAULT_MAX_STEPS,
  type LimitReason,
  type TaskInfo,
  TRACE_VERSION,
  type Trace,
  type TraceEvent,
} from '../shared/trace';

export interface WorkerHandle {
  post(message: HostToWorker): void;
  terminate(): void;
  /** Called with each message the worker sends (unchecked: the supervisor checks it). */
  onMessage(handler: (message: unknown) => void): void;
  /** Called once if the worker dies or cannot load. */
  onError(handler: (message: string) => void): void;
}

export interface SupervisorOptions {
  /** Real time a run may take, all told, before its worker is terminated. Default 1,900 ms:
   * a runaway run ends within 2 s of being asked for. */
  hardTimeoutMs?: number;
  /** Time the interpreter may take to start. Default 60 s. */
  startTimeoutMs?: number;
  /** After a run, a worker whose heap is larger than this is replaced. Default 192 MB. */
  recycleHeapBytes?: number;
  /** Keep a second interpreter started, so that a replaced worker costs no wait. */
  standby?: boolean;
}

interface Slot {
  worker: WorkerHandle;
  startTimer: ReturnType<typeof setTimeout> | null;
  ready: Promise<WorkerReady>;
  dead: boolean;
  listener: ((message: WorkerToHost) => void) | null;
  failure: ((message: string) => void) | null;
}

interface ActiveRun {
  runId: number;
  slot: Slot;
  filename: string;
  source: string;
  events: TraceEvent[];
  tasks: TaskInfo[];
  callbacks: CallbackInfo[];
  lineSteps: number;
  maxSteps: number;
  started: number;
  timer: ReturnType<typeof setTimeout>;
  resolve: (trace: Trace) => void;
  onProgress?: (events: readonly TraceEvent[]) => void;
}

const LIMIT_TEXT: Record<'time' | 'stopped' | 'crashed', string> = {
  time:
    'Loop Lab stopped the program after {s} seconds: it was stuck inside one long operation ' +
    'that gives no chance to look in. The steps recorded before that are kept.',
  stopped: 'You stopped the program. The steps recorded before that are kept.',
  crashed: 'The Python interpreter broke while running the program ({why}). It has been restarted.',
};

export class RuntimeSupervisor {
  private readonly hardTimeoutMs: number;
  private readonly startTimeoutMs: number;
  private readonly recycleHeapBytes: number;
  private readonly standby: boolean;
  private current: Slot;
  private spare: Slot | null = null;
  private active: ActiveRun | null = null;
  private nextRunId = 1;
  private statusInfo: StatusInfo = { status: 'starting', message: 'Starting Python…' };
  private readonly statusListeners = new Set<(info: StatusInfo) => void>();
  private queue: Promise<unknown> = Promise.resolve();
  private readyInfo: WorkerReady | null = null;
  private disposed = false;
  restarts = 0;
  /** Workers replaced after a run left them with a large heap (the run itself finished). */
  recycles = 0;

  constructor(
    private readonly spawn: () => WorkerHandle,
    options: SupervisorOptions = {},
  ) {
    this.hardTimeoutMs = options.hardTimeoutMs ?? 1900;
    this.startTimeoutMs = options.startTimeoutMs ?? 60_000;
    this.recycleHeapBytes = options.recycleHeapBytes ?? 192 * 1024 * 1024;
    this.standby = options.standby ?? false;
    this.current = this.startSlot();
    this.watchStartup(this.current);
    this.prepareSpare();
  }

  get status(): StatusInfo {
    return this.statusInfo;
  }

  onStatus(listener: (info: StatusInfo) => void): () => void {
    this.statusListeners.add(listener);
    listener(this.statusInfo);
    return () => this.statusListeners.delete(listener);
  }

  /** Resolves when an interpreter is up (or rejects when it cannot start). */
  ready(): Promise<WorkerReady> {
    return this.current.ready;
  }

  /**
   * Runs a program and resolves with its whole trace. Never rejects for anything the program
   * does; runs are taken one at a time, in the order asked.
   */
  run(input: RunInput, onProgress?: (events: readonly TraceEvent[]) => void): Promise<Trace> {
    const result = this.queue.then(() => this.runNow(input, onProgress));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Ends the run in progress, if any; its trace ends with a `stopped` limit. */
  stop(): void {
    const run = this.active;
    if (run) this.abandon(run, 'stopped', '');
  }

  dispose(): void {
    this.disposed = true;
    if (this.active) clearTimeout(this.active.timer);
    this.kill(this.current);
    if (this.spare) this.kill(this.spare);
  }

  private async runNow(
    input: RunInput,
    onProgress?: (events: readonly TraceEvent[]) => void,
  ): Promise<Trace> {
    const slot = this.current;
    await slot.ready;
    if (slot !== this.current || slot.dead) return this.runNow(input, onProgress);
    return new Promise<Trace>((resolve) => {
      const runId = this.nextRunId++;
      const run: ActiveRun = {
        runId,
        slot,
        filename: input.filename,
        source: input.source,
        events: [],
        tasks: [],
        callbacks: [],
        lineSteps: 0,
        maxSteps: input.options?.maxSteps ?? DEFAULT_MAX_STEPS,
        started: performance.now(),
        timer: setTimeout(() => this.abandon(run, 'time', ''), this.hardTimeoutMs),
        resolve,
        onProgress,
      };
      this.active = run;
      this.setStatus({ status: 'running', message: 'Running…' });
      slot.listener = (message) => this.onRunMessage(run, message);
      slot.failure = (why) => this.abandon(run, 'crashed', why);
      slot.worker.post({
        type: 'run',
        runId,
        source: input.source,
        filename: input.filename,
        options: input.options ?? {},
      });
    });
  }

  private onRunMessage(run: ActiveRun, message: WorkerToHost): void {
    if (this.active !== run) return;
    if (message.type === 'chunk' && message.runId === run.runId) {
      this.absorb(run, message);
    } else if (message.type === 'finished' && message.runId === run.runId) {
      this.complete(run, message);
    } else if (message.type === 'fatal') {
      this.abandon(run, 'crashed', message.message);
    }
  }

  private absorb(run: ActiveRun, chunk: TraceChunk): void {
    for (const event of chunk.events) {
      run.events.push(event);
      if (event.kind === 'line') run.lineSteps++;
    }
    run.tasks.push(...chunk.tasks);
    run.callbacks.push(...chunk.callbacks);
    run.onProgress?.(run.events);
  }

  private complete(run: ActiveRun, finished: RunFinished): void {
    clearTimeout(run.timer);
    this.active = null;
    run.slot.listener = null;
    run.slot.failure = null;
    run.resolve(this.assemble(run, { ...finished.end, lineSteps: run.lineSteps }));
    if (finished.heapBytes > this.recycleHeapBytes) {
      this.recycles++;
      this.replace('The last program used a lot of memory; restarting Python…');
    }
    else this.setStatus(this.readyStatus());
  }

  /** The worker did not finish the run: terminate it, keep its trace, start a fresh one. */
  private abandon(run: ActiveRun, reason: 'time' | 'stopped' | 'crashed', why: string): void {
    if (this.active !== run) return;
    clearTimeout(run.timer);
    this.active = null;
    const message = LIMIT_TEXT[reason]
      .replace('{s}', String(Number((this.hardTimeoutMs / 1000).toFixed(1))))
      .replace('{why}', why || 'no reason given');
    run.events.push({ kind: 'limit', reason: reason as LimitReason, message });
    const clock = lastClock(run.events);
    run.resolve(
      this.assemble(run, {
        status: 'limit',
        exitCode: 2,
        clock,
        wallMs: performance.now() - run.started,
        lineSteps: run.lineSteps,
        maxSteps: run.maxSteps,
      }),
    );
    this.restarts++;
    this.replace(reason === 'crashed' ? 'Python broke; restarting it…' : 'Restarting Python…');
  }

  private assemble(run: ActiveRun, end: Trace['end']): Trace {
    return {
      version: TRACE_VERSION,
      filename: run.filename,
      source: run.source,
      tasks: run.tasks,
      callbacks: run.callbacks,
      events: run.events,
      end,
    };
  }

  private replace(message: string): void {
    this.kill(this.current);
    if (this.spare) {
      this.current = this.spare;
      this.spare = null;
    } else {
      this.current = this.startSlot();
    }
    this.setStatus({ status: 'restarting', message });
    this.watchStartup(this.current);
    this.prepareSpare();
  }

  /**
   * With `standby`, a second interpreter is started once the current one is up (starting
   * both at once would make the learner wait longer for the first: each start takes a core
   * for seconds), so that replacing a worker later costs no wait.
   */
  private prepareSpare(): void {
    if (!this.standby) return;
    const slot = this.current;
    void slot.ready.then(
      () => {
        if (!this.spare && slot === this.current && !this.disposed) this.spare = this.startSlot();
      },
      () => undefined,
    );
  }

  private watchStartup(slot: Slot): void {
    slot.ready.then(
      () => {
        if (slot === this.current && !this.active) this.setStatus(this.readyStatus());
      },
      (error: unknown) => {
        if (slot === this.current) {
          this.setStatus({
            status: 'failed',
            message: error instanceof Error ? error.message : String(error),
          });
        }
      },
    );
  }

  private readyStatus(): StatusInfo {
    const info = this.readyInfo;
    return {
      status: 'ready',
      message: 'Ready',
      ...(info ? { startupMs: info.startupMs, pythonVersion: info.pythonVersion } : {}),
    };
  }

  private startSlot(): Slot {
    const worker = this.spawn();
    const slot: Slot = {
      worker,
      startTimer: null,
      dead: false,
      listener: null,
      failure: null,
      ready: Promise.resolve() as unknown as Promise<WorkerReady>,
    };
    slot.ready = new Promise<WorkerReady>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('Python took too long to start.'));
        this.kill(slot);
      }, this.startTimeoutMs);
      slot.startTimer = timer;
      worker.onMessage((raw) => {
        if (!isWorkerMessage(raw)) return;
        if (raw.type === 'ready') {
          clearTimeout(timer);
          this.readyInfo = raw;
          resolve(raw);
        } else if (raw.type === 'fatal' && !slot.listener) {
          clearTimeout(timer);
          reject(new Error(raw.message));
        }
        slot.listener?.(raw);
      });
      worker.onError((message) => {
        clearTimeout(timer);
        const wasDead = slot.dead;
        slot.dead = true;
        reject(new Error(message));
        if (!wasDead) slot.failure?.(message);
      });
    });
    slot.ready.catch(() => undefined);
    return slot;
  }

  private kill(slot: Slot): void {
    if (slot.startTimer !== null) clearTimeout(slot.startTimer);
    if (slot.dead) return;
    slot.dead = true;
    slot.listener = null;
    slot.failure = null;
    slot.worker.terminate();
  }

  private setStatus(info: StatusInfo): void {
    this.statusInfo = info;
    for (const listener of this.statusListeners) listener(info);
  }
}

function lastClock(events: readonly TraceEvent[]): number {
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.kind === 'clock') return event.time;
  }
  return 0;
}
