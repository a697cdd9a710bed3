/**
 * The rules every trace the real tracer writes keeps, beyond its shape: the one place that knows
 * them. The host holds a live run to them event by event as it decodes the worker's chunks
 * (src/runtime/wire.ts), and a trace read from a file, a cache or a link to the same rules, with
 * the same words (checkingReferences in trace.ts). The tracer shares its interpreter with the
 * program, which can reach its recorder or write frames of its own, so a trace is the program's
 * account of itself: these rules are what the board and the narration take for granted.
 *
 * - Tasks are made by their `task` event, numbered 0, 1, 2 … in that order, and named by no
 *   event before it; callbacks are numbered in the order their details come (`callback`).
 * - Only what is in a loop's ready queue leaves it (`pop`); a task finishes once, and is never
 *   queued, run or stopped again after that.
 * - Steps (`line`), a task's `suspend` and `done`, a callback's end, an eager step's start and
 *   end, and an await chain carried by `output` or `block` belong to what is running, as the
 *   events before them left it (the same state the decoder gives each line to); a step begins
 *   (a `pop` not cancelled) only once the one before has ended.
 * - Every line a field names is a line of the program (at most `lastLineOf(source)`).
 * - A timer handle is in one loop's timer heap at a time: the tracer records each handle asyncio's
 *   `call_at` makes (loop.py), a new object every time, on the loop that made it. A forged trace
 *   setting one handle on thousands of loops made every sleep on it visit them all (helper-145:
 *   5,000 loops, 7 s to index). Only a program that has asyncio hand two loops the very same
 *   TimerHandle (by replacing the class asyncio makes them with) could write that, and is refused.
 * - The virtual clock only moves forward.
 * - After the run's last event (an uncaught exception, or a limit) only output follows, and then
 *   at most one limit of the host's own, as the very last event.
 *
 * Every check is O(1) per event (maps and sets keyed by id; the lists an event carries, a wait's
 * tasks, its await chain, its objects, are walked once each). The rules hold of every prefix of a
 * sound trace, so the host may keep the steps before the first event that breaks one.
 */
import { ReadyCounts } from './ready-counts';
import type { Frame, LineEvent, QueueItem, SyncObject, TraceEvent, Wait } from './trace';

/** Limit reasons the host writes itself, as it ends a run (supervisor.ts, abandon). */
const HOST_LIMITS: ReadonlySet<string> = new Set(['time', 'stopped', 'crashed', 'damaged', 'events']);

/**
 * The highest line number the source can have, as CPython counts lines: \n, \r\n and \r each
 * end one (a form feed or U+2028 does not: checked against `co_lines` in Pyodide and python3).
 */
export function lastLineOf(source: string): number {
  let breaks = 0;
  for (let i = 0; i < source.length; i++) {
    const code = source.charCodeAt(i);
    if (code === 10 || (code === 13 && source.charCodeAt(i + 1) !== 10)) breaks++;
  }
  return breaks + 1;
}

/** Words for a rule broken, the app's own: never a value the trace carried. */
export const PAST_LAST_LINE = 'an event points at a line past the program’s last';

export interface RulesStart {
  /** The program's last line (lastLineOf), or Infinity when the source is not known. */
  maxLine: number;
  /** Callbacks known from the start (a trace file's table, whose entries have no place of their own); 0 for a live run. */
  callbacks?: number;
}

/**
 * A trace's state as the rules need it, moved on one event at a time. Each method returns what
 * is wrong with the event handed to it, in a sentence for a learner ("a task leaves the ready
 * queue it never joined"), or null; an event refused leaves the state as it was before it.
 */
export class TraceRules {
  private readonly maxLine: number;
  /** Tasks made so far (their `task` events): every task id below it is known. */
  private tasks = 0;
  private callbacks: number;
  /** Tasks that have joined a ready queue, or run an eager first step: no eager start after. */
  private readonly started = new Set<number>();
  private readonly done = new Set<number>();
  private readonly ready = new ReadyCounts();
  /** What each eager first step in progress interrupted, innermost last. */
  private readonly eager: { task: number; parent: QueueItem | null }[] = [];
  private clock = 0;
  /** Handle id -> the loop whose timer heap holds it now (set, not yet fired, cancelled or closed). */
  private readonly timerLoop = new Map<number, number>();
  /** Loop id -> the handles set on it (some since gone from timerLoop): what a close takes away. */
  private readonly loopTimers = new Map<number, Set<number>>();
  /** The run's last events so far: 0, 1 (its exception or limit), 2 (the host's limit after it). */
  private ends = 0;
  /** The task running now, as the events so far leave it (the task its lines belong to), or null. */
  runningTask: number | null = null;
  /** The plain callback running now, or null. */
  runningCallback: number | null = null;

  constructor(start: RulesStart) {
    this.maxLine = start.maxLine;
    this.callbacks = start.callbacks ?? 0;
  }

  /** How many tasks the events so far have made (ids 0 to this, less one). */
  get tasksMade(): number {
    return this.tasks;
  }

  /** What is running now, as an eager step names its parent. */
  runningItem(): QueueItem | null {
    if (this.runningTask !== null) return { kind: 'task', task: this.runningTask };
    if (this.runningCallback !== null) return { kind: 'callback', callback: this.runningCallback };
    return null;
  }

  /** The innermost eager first step in progress (the task, and what it interrupted), if any. */
  openEager(): { readonly task: number; readonly parent: QueueItem | null } | undefined {
    return this.eager.at(-1);
  }

  /** An eager first step is in progress (a deadlock is never found inside one). */
  eagerOpen(): boolean {
    return this.eager.length > 0;
  }

  isDone(task: number): boolean {
    return this.done.has(task);
  }

  /** How many items `loop`'s ready queue holds now. */
  readySize(loop: number): number {
    return this.ready.size(loop);
  }

  /** A callback's details came (a live run's `cb`): they must be the next one's. */
  callback(id: number): string | null {
    if (this.ends > 0) return 'a callback came after the run’s last event';
    if (id !== this.callbacks) return 'a callback is numbered out of the order callbacks are met in';
    this.callbacks++;
    return null;
  }

  /** A step, as a trace file holds it (a live run's steps are given to what runs: `runningTask`). */
  line(e: LineEvent): string | null {
    if (e.line > this.maxLine) return 'a step is on a line past the program’s last';
    if (this.ends > 0) return 'a step came after the run’s last event';
    if (e.task !== this.runningTask || e.callback !== this.runningCallback) return 'a step is given to a task or callback that is not running';
    return null;
  }

  /** Any event but a step. */
  event(e: TraceEvent): string | null {
    const problem = this.problem(e);
    if (problem === null) this.apply(e);
    return problem;
  }

  private problem(e: TraceEvent): string | null {
    if (this.ends === 2) return 'an event came after the run’s last one';
    if (this.ends === 1 && e.kind !== 'output') {
      return e.kind === 'limit' && HOST_LIMITS.has(e.reason) ? null : 'an event came after the run’s last one';
    }
    switch (e.kind) {
      case 'line':
        return this.line(e);
      case 'task':
        return e.task === this.tasks ? null : 'a task is made out of the order tasks are numbered in';
      case 'rename':
        return this.task(e.task);
      case 'push':
        if (!this.item(e.item) || !(e.real ?? []).every((it) => this.item(it))) return UNKNOWN;
        if (e.item.kind === 'task' && this.done.has(e.item.task)) return 'a finished task joins the ready queue again';
        return this.objects(e.objects);
      case 'pop':
        if (!this.item(e.item) || !(e.real ?? []).every((it) => this.item(it))) return UNKNOWN;
        if (!this.ready.holds(e.loop, e.item)) return `a ${e.item.kind} leaves a ready queue it is not in`;
        // The tracer records how the running step ended (a suspend, a callback's end, a task's
        // end) before the loop takes the next item (observe.py, on_pop): a step of its own would
        // hide the one running from every lane (helper-144's forgery).
        if (!e.cancelled && this.runningItem() !== null) return 'a step begins while another is still running';
        return null;
      case 'eager_start':
        if (!this.known(e.task)) return UNKNOWN;
        if (this.started.has(e.task) || this.done.has(e.task)) return 'a task that had already started starts its first step again';
        return sameItem(e.parent, this.runningItem()) ? null : 'an eager step names as its parent a step that is not running';
      case 'eager_end': {
        const open = this.eager.at(-1);
        return open !== undefined && open.task === e.task && sameItem(open.parent, e.parent) ? null : 'an eager step ends that did not begin';
      }
      case 'suspend':
        if (!this.known(e.task) || !this.waitKnown(e.wait)) return UNKNOWN;
        if (e.task !== this.runningTask) return 'a task that is not running gives control back';
        return this.lineOf(e.line) ?? this.frames(e.frames) ?? this.objects(e.objects);
      case 'callback_end':
        if (e.callback >= this.callbacks) return UNKNOWN;
        if (e.callback !== this.runningCallback) return 'a callback that is not running returns';
        return this.objects(e.objects);
      case 'done':
        if (!this.known(e.task)) return UNKNOWN;
        if (this.done.has(e.task)) return 'a task finishes a second time';
        // A task finishes in a step of its own: the tracer records the end of the task that is
        // running (observe.py, note_done), so a sleeping task shown as done is a forgery (helper-144's).
        if (e.task !== this.runningTask) return 'a task finishes while it is not running';
        return this.lineOf(e.line) ?? this.objects(e.objects);
      case 'timer': {
        if (e.timer >= this.callbacks) return UNKNOWN;
        const held = this.timerLoop.get(e.timer);
        return held === undefined || held === e.loop ? null : 'a timer is set on two event loops at once';
      }
      case 'timer_cancel':
        return e.timer < this.callbacks ? null : UNKNOWN;
      case 'clock':
        return e.time > this.clock ? null : 'the virtual clock moves back (or nowhere)';
      case 'output':
      case 'block':
        // An await chain is the running task's (the board records it as that task's).
        if (e.frames !== undefined && this.runningTask === null) return `${e.kind === 'output' ? 'output' : 'a block'} carries an await chain while no task runs`;
        return (e.kind === 'block' ? this.lineOf(e.line) : null) ?? this.frames(e.frames) ?? this.objects(e.objects);
      case 'exception':
        return this.lineOf(e.line);
      default:
        return null;
    }
  }

  /** Moves the state on past an event its rules allow. */
  private apply(e: TraceEvent): void {
    switch (e.kind) {
      case 'task':
        this.tasks++;
        break;
      case 'push':
        this.ready.push(e.loop, e.item);
        if (e.item.kind === 'task') this.started.add(e.item.task);
        // A timer that fires leaves its loop's heap for the ready queue (the board's account too).
        else if (e.reason === 'timer') this.timerGone(e.loop, e.item.callback);
        break;
      case 'timer': {
        this.timerLoop.set(e.timer, e.loop);
        let handles = this.loopTimers.get(e.loop);
        if (handles === undefined) this.loopTimers.set(e.loop, (handles = new Set()));
        handles.add(e.timer);
        break;
      }
      case 'timer_cancel':
        this.timerGone(e.loop, e.timer);
        break;
      case 'pop':
        this.ready.pop(e.loop, e.item);
        if (!e.cancelled) {
          this.runningTask = e.item.kind === 'task' ? e.item.task : null;
          this.runningCallback = e.item.kind === 'callback' ? e.item.callback : null;
        }
        break;
      case 'eager_start':
        this.started.add(e.task);
        this.eager.push({ task: e.task, parent: e.parent });
        this.runningTask = e.task;
        this.runningCallback = null;
        break;
      case 'eager_end':
        this.eager.pop();
        this.runningTask = e.parent?.kind === 'task' ? e.parent.task : null;
        this.runningCallback = e.parent?.kind === 'callback' ? e.parent.callback : null;
        break;
      case 'suspend':
      case 'callback_end':
      case 'exception':
        this.idle();
        break;
      case 'done':
        this.done.add(e.task);
        this.ready.done(e.task);
        if (this.runningTask === e.task) this.idle();
        break;
      case 'clock':
        this.clock = e.time;
        break;
      case 'loop':
        if (e.action === 'stop') this.idle();
        if (e.action === 'close') {
          this.ready.close(e.loop);
          for (const handle of this.loopTimers.get(e.loop) ?? []) if (this.timerLoop.get(handle) === e.loop) this.timerLoop.delete(handle);
          this.loopTimers.delete(e.loop);
        }
        break;
      case 'limit':
        this.idle();
        break;
      default:
        break;
    }
    if (e.kind === 'exception' || e.kind === 'limit') this.ends++;
  }

  /** `loop`'s heap no longer holds `handle` (it fired, was cancelled, or the loop closed). */
  private timerGone(loop: number, handle: number): void {
    if (this.timerLoop.get(handle) === loop) this.timerLoop.delete(handle);
    this.loopTimers.get(loop)?.delete(handle);
  }

  private idle(): void {
    this.runningTask = null;
    this.runningCallback = null;
  }

  private known(task: number): boolean {
    return task < this.tasks;
  }

  private task(task: number): string | null {
    return this.known(task) ? null : UNKNOWN;
  }

  private item(it: QueueItem): boolean {
    return it.kind === 'task' ? this.known(it.task) : it.callback < this.callbacks;
  }

  private waitKnown(wait: Wait): boolean {
    switch (wait.kind) {
      case 'sleep':
        return wait.timer < this.callbacks;
      case 'task':
        return this.known(wait.task);
      case 'wait_for':
        return wait.task === null || this.known(wait.task);
      case 'sync':
        return wait.holder === undefined || this.known(wait.holder);
      case 'gather':
      case 'wait':
      case 'as_completed':
      case 'taskgroup':
        return wait.tasks.every((t) => this.known(t));
      default:
        return true;
    }
  }

  private lineOf(line: number | null): string | null {
    return line !== null && line > this.maxLine ? PAST_LAST_LINE : null;
  }

  /** The learner's frames are on the program's lines (asyncio's own have none). */
  private frames(frames: readonly Frame[] | undefined): string | null {
    if (frames !== undefined) for (const frame of frames) if (frame.user && frame.line !== null && frame.line > this.maxLine) return PAST_LAST_LINE;
    return null;
  }

  private objects(objects: readonly SyncObject[] | undefined): string | null {
    if (objects !== undefined) for (const o of objects) if (o.owner !== undefined && o.owner !== null && !this.known(o.owner)) return UNKNOWN;
    return null;
  }
}

/** A task or callback named before the event that makes it (or never made). */
const UNKNOWN = 'an event names a task or callback before the trace makes it';

function sameItem(a: QueueItem | null, b: QueueItem | null): boolean {
  if (a === null || b === null) return a === b;
  return a.kind === 'task' ? b.kind === 'task' && a.task === b.task : b.kind === 'callback' && a.callback === b.callback;
}
