/**
 * Everything the player reads from one trace, computed once when the trace arrives: the board
 * index, the narrator, the timeline, each task's colour, the console's lines, and how long each
 * step deserves on screen. Per step, the player then only looks things up.
 */
import type { HandleId, TaskId, Trace, TraceEvent } from '../../shared/trace';
import { BoardIndex } from '../../trace/board';
import { isInternalTask, Narrator } from '../../trace/narrate';
import { buildTimeline, type Timeline } from '../../trace/timeline';

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
}

let serial = 0;

export class TraceView {
  /** Different for every trace loaded, so that cards of two runs never animate into each other. */
  readonly serial = ++serial;
  readonly index: BoardIndex;
  readonly narrator: Narrator;
  readonly timeline: Timeline;
  readonly console: ConsoleLine[];
  /** For each step, true when nothing the learner sees by default changes (loop bookkeeping). */
  private readonly quiet: Uint8Array;
  private readonly colourSlot = new Map<TaskId, number>();
  /** Timer (handle) id -> the task sleeping on it. */
  readonly timerTask = new Map<HandleId, TaskId>();

  constructor(readonly trace: Trace) {
    this.index = new BoardIndex(trace);
    this.narrator = new Narrator(trace);
    this.timeline = buildTimeline(trace);
    let slot = 0;
    for (const task of trace.tasks) {
      if (!isInternalTask(trace, task.id)) this.colourSlot.set(task.id, slot++);
    }
    for (const event of trace.events) {
      if (event.kind === 'suspend' && event.wait.kind === 'sleep') this.timerTask.set(event.wait.timer, event.task);
    }
    this.console = consoleLines(trace);
    this.quiet = new Uint8Array(trace.events.length);
    trace.events.forEach((event, i) => {
      this.quiet[i] = this.isQuiet(event) ? 1 : 0;
    });
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
  const lines: ConsoleLine[] = [];
  const fileRef = new RegExp(`File "${escapeRegExp(trace.filename)}", line (\\d+)`);
  let ordinal = 0;
  let open: ConsoleLine | null = null;
  let running: TaskId | null = null;
  trace.events.forEach((event, step) => {
    if (event.kind === 'pop') running = event.item.kind === 'task' && !event.cancelled ? event.item.task : null;
    else if (event.kind === 'suspend' || event.kind === 'done' || event.kind === 'callback_end') running = null;
    else if (event.kind === 'loop' && event.action === 'stop') running = null;
    if (event.kind !== 'output') return;
    const pieces = event.text.split('\n');
    pieces.forEach((piece, k) => {
      const last = k === pieces.length - 1;
      if (last && piece === '') return; // the text ended with a newline
      if (!open || open.stream !== event.stream) {
        const opens = event.stream === 'stderr' && lines.at(-1)?.stream !== 'stderr';
        open = { key: lines.length, stream: event.stream, task: running, segments: [], first: ordinal, opens, last: ordinal, text: null };
        lines.push(open);
      }
      const match = event.stream === 'stderr' ? fileRef.exec(piece) : null;
      open.segments.push({ ordinal, step, text: piece, link: match ? Number(match[1]) : null });
      open.last = ordinal;
      if (!last) open = null;
    });
    if (event.text.endsWith('\n')) open = null;
    ordinal++;
  });
  for (const line of lines) {
    const only = line.segments.length === 1 ? line.segments[0]! : null;
    line.text = only && only.link === null ? only.text : null;
  }
  return lines;
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
