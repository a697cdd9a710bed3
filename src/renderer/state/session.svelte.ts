/**
 * The program on screen and the runtime that traces it: the source in the code pane, the
 * example it came from, the runtime's status, and Run / Stop. A finished run hands its trace to
 * the player, which keeps its speed and the view settings.
 */
import type { LoopLabBridge, StatusInfo } from '../../shared/ipc';
import { DEFAULT_EXAMPLE, type Example, exampleById } from '../examples';
import type { Player } from './player.svelte';

/** A request to show a line in the code pane (a traceback link was followed). */
export interface LineRequest {
  line: number;
  /** Changes on every request, so that asking for the same line twice shows it twice. */
  serial: number;
}

export class Session {
  #status = $state<StatusInfo>({ status: 'starting', message: 'Starting Python…' });
  #example = $state.raw<Example>(DEFAULT_EXAMPLE);
  #title = $state(DEFAULT_EXAMPLE.title);
  /** The program as it came (from an example or a file), before any edit. */
  #original = $state(DEFAULT_EXAMPLE.source);
  #summary = $state(DEFAULT_EXAMPLE.summary);
  #filename = $state(DEFAULT_EXAMPLE.filename);
  #source = $state(DEFAULT_EXAMPLE.source);
  #running = $state(false);
  #error = $state<string | null>(null);
  #showLine = $state<LineRequest | null>(null);
  #runs = 0;
  #unsubscribe: () => void;
  readonly #bridge: LoopLabBridge;
  readonly #player: Player;

  constructor(bridge: LoopLabBridge, player: Player) {
    this.#bridge = bridge;
    this.#player = player;
    this.#unsubscribe = bridge.onStatus((info) => {
      this.#status = info;
      // The first time Python is up, trace the default program so there is something to play.
      if (info.status === 'ready' && this.#runs === 0 && !this.#running) void this.run();
    });
  }

  get status(): StatusInfo {
    return this.#status;
  }

  /** Run is possible: the runtime is up and no run is in progress. */
  get canRun(): boolean {
    return this.#status.status === 'ready' && !this.#running;
  }

  get running(): boolean {
    return this.#running;
  }

  get example(): Example {
    return this.#example;
  }

  /** True when the traced program is the learner's own edit of the example (or file). */
  get traceEdited(): boolean {
    const trace = this.#player.trace;
    return trace !== null && trace.source !== this.#original;
  }

  /** The traced program's title; says so when the learner changed it. */
  get title(): string {
    return this.traceEdited ? 'Your program' : this.#title;
  }

  get summary(): string {
    if (!this.traceEdited) return this.#summary;
    return `You changed “${this.#title}”. “Reset” in the code pane brings the original back.`;
  }

  /** True when the code pane differs from the program as it came. */
  get changed(): boolean {
    return this.#source !== this.#original;
  }

  /** Puts the original program back in the code pane and traces it. */
  reset(): void {
    this.#source = this.#original;
    void this.run();
  }

  get filename(): string {
    return this.#filename;
  }

  get source(): string {
    return this.#source;
  }

  set source(text: string) {
    this.#source = text;
  }

  /** True when the code pane differs from the code the player shows. */
  get edited(): boolean {
    const trace = this.#player.trace;
    return trace !== null && trace.source !== this.#source;
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

  chooseExample(id: string): void {
    const example = exampleById(id);
    if (!example) return;
    this.#example = example;
    this.#title = example.title;
    this.#summary = example.summary;
    this.#filename = example.filename;
    this.#source = example.source;
    this.#original = example.source;
    void this.run();
  }

  /** Shows a program that did not come from the examples (a file the learner opened). */
  openProgram(name: string, text: string): void {
    this.#title = name;
    this.#summary = '';
    this.#filename = /^[^\0/\\]{1,255}$/.test(name) ? name : 'main.py';
    this.#source = text;
    this.#original = text;
    void this.run();
  }

  async openFile(): Promise<void> {
    const file = await this.#bridge.openFile();
    if (!file) return;
    if (file.text === null) {
      this.#error = file.error ?? `${file.name} could not be opened.`;
      return;
    }
    this.#error = null;
    this.openProgram(file.name, file.text);
  }

  async saveFile(): Promise<void> {
    await this.#bridge.saveFile({ suggestedName: this.#filename, text: this.#source });
  }

  /** Traces the code in the code pane and shows the new trace from its start. */
  async run(): Promise<void> {
    if (this.#running) return;
    this.#runs++;
    this.#running = true;
    this.#error = null;
    const wasPlaying = this.#player.playing;
    this.#player.pause();
    try {
      const trace = await this.#bridge.run({ source: this.#source, filename: this.#filename });
      this.#player.load(trace, { play: wasPlaying });
    } catch (error) {
      this.#error = error instanceof Error ? error.message : String(error);
    } finally {
      this.#running = false;
    }
  }

  async stop(): Promise<void> {
    await this.#bridge.stop();
  }

  dispose(): void {
    this.#unsubscribe();
  }
}
