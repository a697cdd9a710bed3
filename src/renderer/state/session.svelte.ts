/**
 * The program on screen and the runtime that traces it: the program (a lesson's, the
 * scratchpad, a file), the source in the code pane, the runtime's status, and Run / Stop. A
 * finished run hands its trace to the player, which keeps its speed and the view settings.
 */
import type { LoopLabBridge, OpenedFile, StatusInfo } from '../../shared/ipc';
import type { Trace } from '../../shared/trace';
import type { DraftStore } from '../lib/drafts';
import type { FoundTrace, TraceStore } from '../lib/trace-store';
import type { Player } from './player.svelte';

/** A program the learner can open: a lesson's example, the scratchpad, a file. */
export interface Program {
  /**
   * Which program this is (`lesson:09-numbers-and-letters/main.py`, `scratchpad`): a trace
   * belongs to the program it was run for, so that a lesson's tour never reads another's run.
   */
  key: string;
  title: string;
  summary: string;
  filename: string;
  /** The program as it came, which "Reset to original" brings back. */
  source: string;
}

/** A request to show a line in the code pane (a traceback link was followed). */
export interface LineRequest {
  line: number;
  /** Changes on every request, so that asking for the same line twice shows it twice. */
  serial: number;
}

export interface SessionOptions {
  /** Called as a run starts, with the code being run (the scratchpad keeps it). */
  onRun?: (program: Program, source: string) => void;
  /** Keeps the learner's edits per program, so that opening another loses nothing. */
  drafts?: DraftStore;
  /** Recorded traces (shipped with the app, or kept from earlier runs): a run seen before is not run again. */
  traces?: TraceStore;
}

/** What a look for a recorded trace came to (see `Session.#showRecorded`). */
type Lookup = 'shown' | 'absent' | 'stale';

export class Session {
  #status = $state<StatusInfo>({ status: 'starting', message: 'Starting Python…' });
  #program = $state.raw<Program | null>(null);
  #source = $state('');
  #running = $state(false);
  #error = $state<string | null>(null);
  #showLine = $state<LineRequest | null>(null);
  /** The key of the program the player's trace was run for. */
  #traced = $state<string | null>(null);
  /** A program was opened and waits to be traced (Python is still starting, or busy). */
  #wanted = false;
  /** A run was asked for before Python was up: it starts by itself when Python is. */
  #queued = $state(false);
  #playWhenTraced = false;
  /** The step to show once the program's trace is on the board (a shared link's), then forgotten. */
  #stepWhenTraced: number | null = null;
  /** Counts opens and runs: a lookup that comes back after a newer one was asked for is dropped. */
  #ticket = 0;
  /** Recorded-trace lookups in flight (Python coming up then does not start a run of its own). */
  #lookups = 0;
  #unsubscribe: () => void;
  readonly #bridge: LoopLabBridge;
  readonly #player: Player;
  readonly #options: SessionOptions;

  constructor(bridge: LoopLabBridge, player: Player, options: SessionOptions = {}) {
    this.#bridge = bridge;
    this.#player = player;
    this.#options = options;
    this.#unsubscribe = bridge.onStatus((info) => {
      // The bench and the tests read when Python was first ready to run a program, how it
      // started (`detail.restored`: from the kept snapshot, or cold), and how long its worker
      // took to start it (`detail.startupMs`, ms: from the engine's start to ready).
      if (info.status === 'ready' && this.#status.status !== 'ready' && performance.getEntriesByName('loop-lab:python-ready').length === 0) {
        performance.mark('loop-lab:python-ready', { detail: { restored: info.restored ?? null, startupMs: info.startupMs ?? null } });
      }
      this.#status = info;
      // Python is up: trace the program that was opened, or run, while it started.
      this.#startIfWaiting();
    });
  }

  /**
   * Traces the program that waits for Python (opened, or Run pressed, while Python started), if
   * Python is up and nothing is under way. Not while a recorded trace is being looked up: that
   * lookup shows the trace, or runs the program itself if it finds none; and a lookup that was
   * overtaken calls this again as it ends (the status that came meanwhile would be lost).
   */
  #startIfWaiting(): void {
    if (this.#status.status === 'ready' && (this.#wanted || this.#queued) && !this.#running && this.#lookups === 0) void this.run();
  }

  /** True while a run waits for Python to start (it then starts by itself). */
  get queued(): boolean {
    return this.#queued;
  }

  get status(): StatusInfo {
    return this.#status;
  }

  /**
   * Run is possible: a program is open and no run is in progress. Before Python is up, a run
   * waits in line (`queued`) and starts by itself; a run seen before needs no Python at all.
   */
  get canRun(): boolean {
    return !this.#running && !this.#queued && this.#program !== null && this.#status.status !== 'failed';
  }

  get running(): boolean {
    return this.#running;
  }

  get program(): Program | null {
    return this.#program;
  }

  /** The key of the program whose trace the player shows (null before the first run). */
  get tracedKey(): string | null {
    return this.#traced;
  }

  /** The player shows a run of the program on screen (not of one opened before it). */
  get traceIsCurrent(): boolean {
    return this.#program !== null && this.#traced === this.#program.key && this.#player.trace !== null;
  }

  /** True when the traced program is the learner's own edit of the program as it came. */
  get traceEdited(): boolean {
    const trace = this.#player.trace;
    return this.traceIsCurrent && trace !== null && trace.source !== this.#program?.source;
  }

  get title(): string {
    return this.#program?.title ?? '';
  }

  get summary(): string {
    return this.#program?.summary ?? '';
  }

  /** True when the code pane differs from the program as it came. */
  get changed(): boolean {
    return this.#program !== null && this.#source !== this.#program.source;
  }

  get filename(): string {
    return this.#program?.filename ?? 'main.py';
  }

  get source(): string {
    return this.#source;
  }

  set source(text: string) {
    this.#source = text;
    const program = this.#program;
    if (program) this.#options.drafts?.save(program.key, text === program.source ? null : text);
  }

  /** True when the code pane differs from the code the player shows. */
  get edited(): boolean {
    const trace = this.#player.trace;
    return this.traceIsCurrent && trace !== null && trace.source !== this.#source;
  }

  get error(): string | null {
    return this.#error;
  }

  get showLine(): LineRequest | null {
    return this.#showLine;
  }

  /** Scrolls the code pane to a line and flashes it. */
  revealLine(line: number): void {
    this.#showLine = { line, serial: (this.#showLine?.serial ?? 0) + 1 };
  }

  /**
   * Shows a program in the code pane (with `source` in place of its own text, when given, else
   * the learner's last edit of it, if any) and traces it as soon as Python can; with `play`,
   * the player plays the new trace at once. A shared link also brings its trace (`trace`, shown
   * as it is when it is of this very source and file, and never kept as a recorded run), the
   * step to show once traced (`step`, -1 = before the first event) and the speed.
   */
  open(program: Program, options: { source?: string; play?: boolean; trace?: Trace | null; step?: number; speed?: number } = {}): void {
    // The last program's run leaves the board: nothing of it may pass for this one's.
    this.#player.unload();
    this.#traced = null;
    this.#program = program;
    this.#source = options.source ?? this.#options.drafts?.load(program.key) ?? program.source;
    this.#error = null;
    this.#showLine = null; // a line asked for in the last program is not this one's
    this.#wanted = true;
    this.#queued = false;
    this.#playWhenTraced = options.play ?? false;
    this.#stepWhenTraced = options.step ?? null;
    if (options.speed !== undefined) this.#player.speed = options.speed;
    const given = options.trace;
    if (given && given.source === this.#source && given.filename === program.filename) {
      void this.#showGiven(program, given);
      return;
    }
    void this.#showRecorded(program, this.#source).then((found) => {
      // Not recorded: it needs Python (now, or as soon as Python is up). A lookup overtaken by a
      // newer open or run leaves the program to that one (running it here too loaded it twice,
      // and the second load put the board back at its start).
      if (found === 'absent' && this.#program === program && this.#status.status === 'ready' && !this.#running) void this.run();
    });
  }

  /**
   * Shows the program's recorded trace, if there is one (shipped with the app, or kept from a
   * run before): no Python needed. `shown` when it did; `absent` when there is none (the program
   * needs Python); `stale` when a newer open or run was asked for meanwhile (that one decides).
   */
  async #showRecorded(program: Program, source: string, play = this.#playWhenTraced): Promise<Lookup> {
    const store = this.#options.traces;
    if (!store) return 'absent';
    const ticket = ++this.#ticket;
    let found: FoundTrace | null;
    this.#lookups += 1;
    try {
      found = await store.find({ source, filename: program.filename });
    } finally {
      this.#lookups -= 1;
    }
    if (ticket !== this.#ticket || this.#program !== program) {
      // The newer open or run may have found nothing and waited for Python, which became ready
      // while this lookup was out (and so did not start it): start it now.
      this.#startIfWaiting();
      return 'stale';
    }
    if (!found) return 'absent';
    this.#wanted = false;
    this.#queued = false;
    this.#playWhenTraced = false;
    this.#options.onRun?.(program, source);
    this.#traced = program.key;
    await this.#player.load(found.trace, { play });
    // A newer open while the board was built (a long trace is built in slices) has its own step to show.
    if (ticket === this.#ticket && this.#program === program) this.#goToAskedStep();
    return 'shown';
  }

  /** Shows a trace that came with the program (a shared link's): no Python, nothing kept. */
  async #showGiven(program: Program, trace: Trace): Promise<void> {
    const ticket = ++this.#ticket;
    this.#wanted = false;
    this.#traced = program.key;
    const play = this.#playWhenTraced;
    this.#playWhenTraced = false;
    await this.#player.load(trace, { play });
    if (ticket === this.#ticket && this.#program === program) this.#goToAskedStep();
  }

  /** The step a shared link asked for, once its program's trace is on the board. */
  #goToAskedStep(): void {
    const step = this.#stepWhenTraced;
    this.#stepWhenTraced = null;
    if (step !== null && step >= 0) this.#player.seek(step);
  }

  /** Puts the original program back in the code pane and traces it. */
  reset(): void {
    if (!this.#program) return;
    this.source = this.#program.source;
    void this.run();
  }

  /** Asks for a file; says why when it cannot be read. */
  async pickFile(): Promise<OpenedFile | null> {
    const file = await this.#bridge.openFile();
    if (!file) return null;
    if (file.text === null) {
      this.#error = file.error ?? `${file.name} could not be opened.`;
      return null;
    }
    this.#error = null;
    return file;
  }

  async saveFile(): Promise<void> {
    await this.#bridge.saveFile({ suggestedName: this.filename, text: this.#source });
  }

  /**
   * Traces the code in the code pane and shows the new trace from its start. A run seen before
   * (recorded with the app, or kept from an earlier run) is shown at once; otherwise Python runs
   * it, and if Python is not up yet the run waits in line and starts by itself.
   */
  async run(): Promise<void> {
    const program = this.#program;
    if (!program) return;
    if (this.#running) {
      this.#wanted = true; // traced when the run in progress ends
      return;
    }
    const play = this.#playWhenTraced || (this.#player.playing && this.#traced === program.key);
    const source = this.#source;
    this.#error = null;
    this.#player.pause();
    if ((await this.#showRecorded(program, source, play)) !== 'absent') return;
    if (this.#program !== program || this.#source !== source || this.#running) return;
    if (this.#status.status !== 'ready') {
      this.#queued = true; // starts when Python is up (see the status listener)
      return;
    }
    this.#wanted = false;
    this.#queued = false;
    this.#running = true;
    this.#playWhenTraced = false;
    this.#options.onRun?.(program, source);
    try {
      const input = { source, filename: program.filename };
      const trace = await this.#bridge.run(input);
      void this.#options.traces?.remember(input, trace);
      // Another program was opened during the run: that one is traced next, this trace is dropped.
      if (this.#program === program) {
        this.#traced = program.key;
        await this.#player.load(trace, { play });
        if (this.#program === program && this.#source === source) this.#goToAskedStep();
      }
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error);
    } finally {
      this.#running = false;
    }
    if (this.#wanted && this.#status.status === 'ready') void this.run();
  }

  async stop(): Promise<void> {
    await this.#bridge.stop();
  }

  dispose(): void {
    this.#unsubscribe();
  }
}
