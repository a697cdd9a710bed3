/**
 * Everything the player reads from one trace, computed once when the trace arrives: the board
 * index, the narrator, the timeline, each task's colour, the console's lines, and how long each
 * step deserves on screen. Per step, the player then only looks things up.
 */
import type { HandleId, TaskId, Trace, TraceEvent } from '../../shared/trace';
import { BoardIndex } from '../../trace/board';
import { isInternalTask, Narrator } from '../../trace/narrate';
import { buildNow, nextTask, passOver, runInSlices, runNow, type TraceBuilder } from '../../trace/pass';
import { type Timeline, timelineBuilder } from '../../trace/timeline';

/** Okabe–Ito, without its black (kept for text): colour-blind safe, one colour per task. */
export const TASK_COLOURS = ['#E69F00', '#56B4E9', '#009E73', '#F0E442', '#0072B2', '#D55E00', '#CC79A7'] as const;

/** A piece of console text; `link` is the learner's line a traceback entry points at. */
export interface ConsoleSegment {
  /** Which output event (0, 1, 2 … among the output events) wrote it. */
  ordinal: number;
  step: number;
  text: string;
  link: number | null;
}

export interface ConsoleLine {
  key: number;
  stream: 'stdout' | 'stderr';
  /** The task that printed it, if a task did. */
  task: TaskId | null;
  segments: ConsoleSegment[];
  /** The ordinal of its first segment. */
  first: number;
  /** True for the first line of a run of stderr lines (it carries the "stderr" tag). */
  opens: boolean;
  /** The ordinal of its last segment. */
  last: number;
  /** Its whole text, when it is one plain segment (the common case: drawn as plain text). */
  text: string | null;
  /**
   * How many times it was printed, one right after the other, by one write: 1, or more for a
   * run of the same whole line (`print("\n" * 1_999_999)`, `print("spam\n" * 100_000)`), kept
   * as one line and drawn once with its count. Made one by one, the 2,000,000 lines of that first
   * program took the page 5.6–7.3 s in one task and 730 MB (a reviewer's, helper-137).
   */
  repeat: number;
}

let serial = 0;

interface Built {
  index: BoardIndex;
  narrator: Narrator;
  timeline: Timeline;
  console: ConsoleLine[];
}

interface ViewPass {
  builders: TraceBuilder<unknown>[];
  finish: () => Built;
}

export class TraceView {
  /** Different for every trace loaded, so that cards of two runs never animate into each other. */
  readonly serial = ++serial;
  /** For each step, true when nothing the learner sees by default changes (loop bookkeeping). */
  private readonly quiet: Uint8Array;
  private readonly colourSlot = new Map<TaskId, number>();

  /** The pass that builds the view, until it has run. */
  #pass: ViewPass | null;

  /**
   * Builds the view at once; with `pass: 'later'`, leaves the pass over the events to
   * `TraceView.build`, which runs it in slices so that no frame waits on a long trace.
   */
  constructor(
    readonly trace: Trace,
    pass: 'now' | 'later' = 'now',
  ) {
    let slot = 0;
    for (const task of trace.tasks) {
      if (!isInternalTask(trace, task.id)) this.colourSlot.set(task.id, slot++);
    }
    this.quiet = new Uint8Array(trace.events.length);
    this.#pass = this.prepare();
    if (pass === 'now') {
      runNow(passOver(trace, this.#pass.builders));
      this.complete();
    }
  }

  /** Builds the view in slices of about `sliceMs`, giving the UI thread back between them. */
  static async build(trace: Trace, sliceMs = 8): Promise<TraceView> {
    const view = new TraceView(trace, 'later');
    const slices = await runInSlices(passOver(trace, view.#pass!.builders), sliceMs);
    // A trace long enough to take slices has its builders' last work, and then its first render
    // (the caller's), each in a task of their own: for a runaway program's trace (~100,000
    // events) the last slice, the finish and the render in one task made a frame of 100–160 ms.
    // A short one is shown in the task it was built in, as before.
    if (slices > 0) await nextTask();
    view.complete();
    if (slices > 0) await nextTask();
    return view;
  }

  private prepare(): ViewPass {
    const trace = this.trace;
    const own: TraceBuilder<void> = {
      visit: (event, i) => {
        this.quiet[i] = this.isQuiet(event) ? 1 : 0;
      },
      finish: () => undefined,
    };
    const index = BoardIndex.builder(trace);
    const narrator = Narrator.builder(trace);
    const timeline = timelineBuilder(trace);
    const lines = consoleBuilder(trace);
    return {
      builders: [index, narrator, timeline, lines, own],
      finish: () => ({ index: index.finish(), narrator: narrator.finish(), timeline: timeline.finish(), console: lines.finish() }),
    };
  }

  private complete(): void {
    this.#built = this.#pass!.finish();
    this.#pass = null;
  }

  #built: Built | null = null;

  #parts(): Built {
    if (!this.#built) throw new Error('TraceView used before it was built');
    return this.#built;
  }

  get index(): BoardIndex {
    return this.#parts().index;
  }

  get narrator(): Narrator {
    return this.#parts().narrator;
  }

  get timeline(): Timeline {
    return this.#parts().timeline;
  }

  get console(): ConsoleLine[] {
    return this.#parts().console;
  }

  get length(): number {
    return this.trace.events.length;
  }

  /** True for the clean-up tasks asyncio makes for itself; hidden unless Loop internals is on. */
  internal(task: TaskId): boolean {
    return !this.colourSlot.has(task);
  }

  /** True for the learner's own callbacks (call_soon, call_later …). */
  userCallback(callback: HandleId): boolean {
    return this.trace.callbacks[callback]?.user ?? false;
  }

  /** The task's colour: the same on its card, its code marks, its console lines and its timeline row. */
  colour(task: TaskId): string {
    const slot = this.colourSlot.get(task);
    return slot === undefined ? 'var(--internal)' : TASK_COLOURS[slot % TASK_COLOURS.length]!;
  }

  /** How long step `step` stays on screen at 1×, in ms. */
  dwell(step: number, internals: boolean): number {
    return !internals && this.quiet[step] === 1 ? 140 : 520;
  }

  private isQuiet(event: TraceEvent): boolean {
    switch (event.kind) {
      case 'push':
      case 'pop':
        return event.item.kind === 'callback' ? !this.userCallback(event.item.callback) : this.internal(event.item.task);
      case 'callback_end':
        return !this.userCallback(event.callback);
      case 'task':
      case 'done':
        return this.internal(event.task);
      case 'timer':
      case 'timer_cancel':
      case 'rename':
        return true;
      case 'loop':
        return event.action === 'stop' || event.action === 'run';
      default:
        return false;
    }
  }
}

/** Splits the program's output into console lines, remembering who printed what and when. */
export function consoleLines(trace: Trace): ConsoleLine[] {
  return buildNow(trace, consoleBuilder(trace));
}

function consoleBuilder(trace: Trace): TraceBuilder<ConsoleLine[]> {
  const lines: ConsoleLine[] = [];
  const fileRef = new RegExp(`File "${escapeRegExp(trace.filename)}", line (\\d+)`);
  let ordinal = 0;
  let open: ConsoleLine | null = null;
  let running: TaskId | null = null;
  const visit = (event: TraceEvent, step: number): void => {
    if (event.kind === 'pop') running = event.item.kind === 'task' && !event.cancelled ? event.item.task : null;
    else if (event.kind === 'eager_start') running = event.task;
    else if (event.kind === 'eager_end') running = event.parent?.kind === 'task' ? event.parent.task : null;
    else if (event.kind === 'suspend' || event.kind === 'done' || event.kind === 'callback_end') running = null;
    else if (event.kind === 'loop' && event.action === 'stop') running = null;
    // What is printed after the run's end (its teardown) is no task's.
    else if (event.kind === 'limit' || event.kind === 'exception') running = null;
    if (event.kind !== 'output') return;
    const text = event.text;
    /** The whole line this write made last, if it is plain: the next, if the same, is counted on it. */
    let repeatable: ConsoleLine | null = null;
    // Line by line with indexOf, not split: a repeat is told by comparing in place, so a write
    // of 2,000,000 equal lines makes no string for them (split made 2,000,000: 250 ms).
    for (let from = 0; from <= text.length; ) {
      const end = text.indexOf('\n', from);
      const last = end === -1;
      if (last && from === text.length) break; // the text ended with a newline
      const stop = last ? text.length : end;
      if (!last && open === null && repeatable !== null) {
        const previous = repeatable.segments[0]!.text;
        if (stop - from === previous.length && text.startsWith(previous, from)) {
          repeatable.repeat++;
          from = stop + 1;
          continue;
        }
      }
      const piece = text.slice(from, stop);
      const match = event.stream === 'stderr' ? fileRef.exec(piece) : null;
      const whole = open === null && !last && match === null;
      if (!open || open.stream !== event.stream) {
        const opens = event.stream === 'stderr' && lines.at(-1)?.stream !== 'stderr';
        open = { key: lines.length, stream: event.stream, task: running, segments: [], first: ordinal, opens, last: ordinal, text: null, repeat: 1 };
        lines.push(open);
      }
      open.segments.push({ ordinal, step, text: piece, link: match ? Number(match[1]) : null });
      open.last = ordinal;
      repeatable = whole ? open : null;
      if (!last) open = null;
      from = stop + 1;
    }
    if (event.text.endsWith('\n')) open = null;
    ordinal++;
  };
  const finish = (): ConsoleLine[] => {
    for (const line of lines) {
      const only = line.segments.length === 1 ? line.segments[0]! : null;
      line.text = only && only.link === null ? only.text : null;
    }
    return lines;
  };
  return { visit, finish };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** How many console lines have begun once `outputs` output events have been written. */
export function visibleLineCount(lines: readonly ConsoleLine[], outputs: number): number {
  let lo = 0;
  let hi = lines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (lines[mid]!.first < outputs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
