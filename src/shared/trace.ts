/**
 * The trace contract: what the runtime records about one run of a learner's program, and the
 * only thing the player, the CLI and the tests read. See trace.md beside this file.
 *
 * One trace = the program, the tasks and callbacks it met, and a list of events in the order
 * they happened. Step i of the player is event i; what the board shows at step i is a pure
 * function of the trace and i (src/trace/board.ts).
 */

export const TRACE_VERSION = 1 as const;

/** Tasks are numbered 0, 1, 2 … in the order the loop first met them. */
export type TaskId = number;
/** Handles (plain callbacks and timers) are numbered in the order the loop first met them. */
export type HandleId = number;
/** Event loops are numbered in the order the program created them. */
export type LoopId = number;

export interface TaskInfo {
  id: TaskId;
  /** Task-1, Task-2 … as CPython names them in a fresh process, or the name the program gave. */
  name: string;
  /** The coroutine and the arguments it was called with, e.g. `print_nums(5)`. */
  coro: string;
  /** The task that was running when this one was created; null when created outside the loop. */
  creator: TaskId | null;
  loop: LoopId;
  /** True for asyncio's own tasks (asyncio.run's clean-up), which run none of the learner's code. */
  internal: boolean;
  /** Index of the `task` event that created it. */
  createdAt: number;
}

export interface CallbackInfo {
  id: HandleId;
  /** The callback's qualified name, e.g. `_set_result_unless_cancelled` or `on_done`. */
  label: string;
  /** True when the callback is a function of the learner's program. */
  user: boolean;
  /** For the learner's own functions, the line where the function is defined. */
  line: number | null;
}

/** One entry of a loop's ready queue: a task's next step, or a plain callback. */
export type QueueItem =
  | { kind: 'task'; task: TaskId }
  | { kind: 'callback'; callback: HandleId };

/** Why something joined the back of the ready queue. */
export type PushReason =
  | 'start' // a new task's first step
  | 'wake' // what a task waited for is done
  | 'yield' // the task gave way with a bare yield (asyncio.sleep(0))
  | 'cancel' // the task is cancelled and must run to see its CancelledError
  | 'timer' // a timer's deadline came: its callback is due
  | 'soon'; // loop.call_soon() or a future's done-callbacks

/** What a suspended task is waiting for. `deadline` is set when a timeout hangs over the wait. */
export type Wait = WaitKind & { deadline?: number };

export type WaitKind =
  | { kind: 'yield' } // nothing: it is already back in the ready queue
  | { kind: 'sleep'; timer: HandleId; until: number | null }
  | { kind: 'task'; task: TaskId }
  | { kind: 'gather'; tasks: TaskId[] }
  | { kind: 'wait'; tasks: TaskId[] }
  | { kind: 'as_completed'; tasks: TaskId[] }
  | { kind: 'taskgroup'; tasks: TaskId[] }
  | { kind: 'wait_for'; task: TaskId | null }
  | { kind: 'sync'; primitive: string; method: string } // Queue.get, Lock.acquire, Event.wait …
  | { kind: 'future'; label: string };

export type Outcome = 'result' | 'exception' | 'cancelled';

export type LimitReason =
  | 'steps' // the step budget (lines) ran out
  | 'time' // real time ran out
  | 'memory'
  | 'output'
  | 'events' // the trace itself grew too long
  | 'deadlock' // every task waits for something that never happens (or a timer at infinity)
  | 'stopped' // the learner pressed Stop
  | 'crashed'; // the interpreter itself failed

export type LoopAction = 'new' | 'run' | 'stop' | 'close';

export type TraceEvent =
  /** A line of the learner's code is about to run, in `task` (or in a callback, or neither). */
  | { kind: 'line'; line: number; task: TaskId | null; callback: HandleId | null }
  /** A task was created (its details are in `Trace.tasks`). */
  | { kind: 'task'; task: TaskId }
  | { kind: 'rename'; task: TaskId; name: string }
  /** Something joined the back of a loop's ready queue. `real` is only recorded in verify mode. */
  | { kind: 'push'; loop: LoopId; item: QueueItem; reason: PushReason; real?: QueueItem[] }
  /** The loop took the head of its ready queue and runs it (or drops it, when cancelled). */
  | { kind: 'pop'; loop: LoopId; item: QueueItem; cancelled: boolean; real?: QueueItem[] }
  /** The running task gave control back to the loop. */
  | { kind: 'suspend'; task: TaskId; wait: Wait; line: number | null }
  /** The running plain callback returned. */
  | { kind: 'callback_end'; callback: HandleId }
  /** A task finished. `text` is the result's repr, `Type: message`, or `cancelled`. */
  | { kind: 'done'; task: TaskId; outcome: Outcome; text: string; line: number | null }
  /** A timer joined the loop's timer heap; `when` is on the virtual clock (null: never). */
  | { kind: 'timer'; loop: LoopId; timer: HandleId; when: number | null }
  | { kind: 'timer_cancel'; loop: LoopId; timer: HandleId }
  /** The virtual clock moved forward to `time` seconds. */
  | { kind: 'clock'; time: number }
  | { kind: 'output'; stream: 'stdout' | 'stderr'; text: string }
  | { kind: 'loop'; loop: LoopId; action: LoopAction }
  /** time.sleep(): the whole thread, and so every task, stood still for `seconds`. */
  | { kind: 'block'; seconds: number; line: number | null }
  /** An exception nobody caught ended the program; the traceback is in the stderr output. */
  | { kind: 'exception'; type: string; message: string; line: number | null }
  /** The run was ended early; the events before this one are all kept. */
  | { kind: 'limit'; reason: LimitReason; message: string };

export type TraceEventKind = TraceEvent['kind'];

export type RunStatus = 'ok' | 'error' | 'limit';

export interface RunEnd {
  /** ok: the program ended by itself; error: an uncaught exception; limit: ended early. */
  status: RunStatus;
  /** What `python3 FILE.py` would exit with (2 when Loop Lab ended the run). */
  exitCode: number;
  /** The virtual clock at the end, in seconds. */
  clock: number;
  /** Real time the run took, in milliseconds. */
  wallMs: number;
  /** Number of `line` events: the steps counted against the step budget. */
  lineSteps: number;
  /** The step budget this run had (RunOptions.maxSteps, or the default). */
  maxSteps: number;
}

export interface Trace {
  version: typeof TRACE_VERSION;
  filename: string;
  source: string;
  tasks: TaskInfo[];
  callbacks: CallbackInfo[];
  events: TraceEvent[];
  end: RunEnd;
}

/** The options a run accepts; every field has a default. */
export interface RunOptions {
  /** Line steps before the run is ended with a `steps` limit. Default 10,000. */
  maxSteps?: number;
  /** Real seconds the interpreter may run before it ends the run itself. Default 1.5. */
  wallSeconds?: number;
  /** Characters of output before the run is ended. Default 1,000,000. */
  maxOutputChars?: number;
  /** Record the loop's real ready queue beside every push and pop (for tests). Default false. */
  verify?: boolean;
}

export const DEFAULT_MAX_STEPS = 10_000;

export function sameItem(a: QueueItem, b: QueueItem): boolean {
  return a.kind === 'task'
    ? b.kind === 'task' && a.task === b.task
    : b.kind === 'callback' && a.callback === b.callback;
}
