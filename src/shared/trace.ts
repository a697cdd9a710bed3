/**
 * The trace contract: what the runtime records about one run of a learner's program, and the
 * only thing the player, the CLI and the tests read. See trace.md beside this file.
 *
 * One trace = the program, the tasks and callbacks it met, and a list of events in the order
 * they happened. Step i of the player is event i; what the board shows at step i is a pure
 * function of the trace and i (src/trace/board.ts).
 *
 * Every shape here is a valibot schema, and its TypeScript type is inferred from it: a trace
 * that crosses a boundary (from a worker, from Electron's main process, from a cache, a file
 * or a link) is checked against the same definition the code is typed by (`parseTraceFile`).
 *
 * Two forms: `Trace`, what the code reads (one object per event), and `TraceFile`, what is
 * stored and sent (the same, with each run of consecutive `line` events of one task packed
 * into one `lines` record: a long loop's million steps take a few MB, not a hundred).
 */
import * as v from 'valibot';
import { NetEventSchema, NetWaitSchema } from './trace-net';
import { keyedVariant } from './keyed-variant';
import { ABORT_EARLY } from './abort-early';
import { thousands } from './numbers';
import { lastLineOf, PAST_LAST_LINE, TraceRules } from './trace-rules';

export const TRACE_VERSION = 1 as const;

/** The most characters a text field of a trace may hold (the output cap is far below it). */
export const MAX_TEXT = 64 * 1024 * 1024;
/** The most characters a name or label keeps (a program can name a task or a class as it likes). */
const MAX_NAME = 4096;

/**
 * The most characters of a message the player shows (an exception's, a task's outcome, a
 * limit's): the tracer keeps 2,000 and notes how many more (recorder.py, MESSAGE_CHARS). A
 * longer one, from a trace written elsewhere or forged, is cut to this: a 40 MB message held
 * the page for 13–18 s drawing its banner.
 */
export const MAX_MESSAGE = 4096;

const Text = v.pipe(v.string(), v.maxLength(MAX_TEXT));
/**
 * The first `max` characters of `text` and a mark, as a string of their own: a slice of a long
 * string keeps the whole of it in memory in V8 (a sliced string points into its parent), and the
 * point of cutting is to let the rest go.
 */
function cut(text: string, max: number, mark: string): string {
  return new TextDecoder().decode(new TextEncoder().encode(`${text.slice(0, max)}${mark}`));
}
/** A lone surrogate, high or low. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/**
 * `text` with each lone surrogate replaced by U+FFFD: `String.prototype.toWellFormed` where the
 * browser has it, else the same by a regular expression (an exported page's player is built for
 * browsers from Chrome 110, and toWellFormed came in 111, Firefox 119 and Safari 16.4: an
 * attacker's finding, every export failing on Firefox ESR 115).
 */
export function wellFormed(text: string): string {
  return typeof text.toWellFormed === 'function' ? text.toWellFormed() : text.replace(LONE_SURROGATE, '\uFFFD');
}
/**
 * A name or label (a task's, an exception type's, a coroutine's …): a longer one is cut, with a
 * mark. Well-formed Unicode, as is a Message: a lone surrogate (a program's
 * `create_task(…, name="\ud800")`; Python's JSON escapes it, and JSON.parse gives it back) becomes
 * U+FFFD, as a cut one already did (TextDecoder's replacement). So the trace the player holds is
 * the one a file or a link carries: UTF-8 has no lone surrogates (TextEncoder writes U+FFFD for
 * one), so a trace exported and read back differed from the one shown, and `encodeURIComponent`
 * throws on one.
 */
const Name = v.pipe(
  v.string(),
  v.maxLength(MAX_TEXT),
  v.transform((text) => (text.length <= MAX_NAME ? wellFormed(text) : cut(text, MAX_NAME - 1, '…'))),
);
const Message = v.pipe(
  v.string(),
  v.maxLength(MAX_TEXT),
  v.transform((text) =>
    text.length <= MAX_MESSAGE ? wellFormed(text) : cut(text, MAX_MESSAGE, `… (${thousands(text.length - MAX_MESSAGE)} more characters)`),
  ),
);
const Count = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
const Seconds = v.pipe(v.number(), v.finite(), v.minValue(0));
/**
 * A moment on the virtual clock a timer or a timeout is due at: before 0 too, as a real run has
 * it (`loop.call_later(-1, f)` or `asyncio.wait(…, timeout=-1)` at 0 make a timer due at -1).
 */
const Instant = v.pipe(v.number(), v.finite());
/**
 * The longest the whole thread can be held in one `block`: time.sleep()'s longest, 2^63 - 1
 * nanoseconds (clock.py's _LONGEST_SLEEP, CPython's own limit); a longer one is not the tracer's.
 */
const MAX_BLOCK_SECONDS = (2 ** 63 - 1) / 1e9;
const LineNumber = v.pipe(v.number(), v.safeInteger(), v.minValue(0));


/** Tasks are numbered 0, 1, 2 … in the order the loop first met them. */
export const TaskIdSchema = Count;
export type TaskId = number;
/** Handles (plain callbacks and timers) are numbered in the order the loop first met them. */
export const HandleIdSchema = Count;
export type HandleId = number;
/** Event loops are numbered in the order the program created them (-1: made outside a run). */
export const LoopIdSchema = v.pipe(v.number(), v.safeInteger(), v.minValue(-1));
export type LoopId = number;

export const TaskInfoSchema = v.strictObject({
  id: TaskIdSchema,
  /** Task-1, Task-2 … as CPython names them in a fresh process, or the name the program gave. */
  name: Name,
  /** The coroutine and the arguments it was called with, e.g. `print_nums(5)`. */
  coro: Name,
  /** The task that was running when this one was created; null when created outside the loop. */
  creator: v.nullable(TaskIdSchema),
  loop: LoopIdSchema,
  /** True for asyncio's own tasks (asyncio.run's clean-up), which run none of the learner's code. */
  internal: v.boolean(),
  /** Index of the `task` event that created it. */
  createdAt: Count,
});
export type TaskInfo = v.InferOutput<typeof TaskInfoSchema>;

export const CallbackInfoSchema = v.strictObject({
  id: HandleIdSchema,
  /** The callback's qualified name, e.g. `_set_result_unless_cancelled` or `on_done`. */
  label: Name,
  /** True when the callback is a function of the learner's program. */
  user: v.boolean(),
  /** For the learner's own functions, the line where the function is defined. */
  line: v.nullable(LineNumber),
});
export type CallbackInfo = v.InferOutput<typeof CallbackInfoSchema>;

/** One entry of a loop's ready queue: a task's next step, or a plain callback. */
export const QueueItemSchema = keyedVariant('kind', [
  v.strictObject({ kind: v.literal('task'), task: TaskIdSchema }),
  v.strictObject({ kind: v.literal('callback'), callback: HandleIdSchema }),
]);
export type QueueItem = v.InferOutput<typeof QueueItemSchema>;

/** Why something joined the back of the ready queue. */
export const PushReasonSchema = v.picklist([
  'start', // a new task's first step
  'wake', // what a task waited for is done
  'yield', // the task gave way with a bare yield (asyncio.sleep(0))
  'cancel', // the task is cancelled and must run to see its CancelledError
  'timer', // a timer's deadline came: its callback is due
  'soon', // loop.call_soon() or a future's done-callbacks
]);
export type PushReason = v.InferOutput<typeof PushReasonSchema>;

/**
 * Why a woken task joins the ready queue: what became of the wait it was stopped at (the
 * future whose done-callback, Task.__wakeup in Lib/asyncio/tasks.py, wakes it).
 */
export const WakeSchema = v.picklist([
  'result', // what it waited for is done: the await gives back its result
  'exception', // what it waited for failed: the exception is raised at the task's await
  'cancelled', // its wait was cancelled: CancelledError is raised at the task's await
  'timeout', // a timeout's timer ended the wait (asyncio.timeout, wait_for, wait, as_completed)
]);
export type Wake = v.InferOutput<typeof WakeSchema>;

/**
 * A frame's local variables, name → short text, at most 64 (the tracer sends 16: inside.py,
 * MAX_LOCALS). Every name is kept: valibot's `record` leaves out `constructor` and `prototype`
 * (and `__proto__`), against prototype pollution, and a learner's variable named `constructor`
 * vanished from the board (an attacker's finding). Here each is an own property of an object
 * with no prototype, so no name means anything but itself; names and texts are Names.
 */
const Locals = v.pipe(
  v.custom<Record<string, unknown>>((raw) => typeof raw === 'object' && raw !== null && !Array.isArray(raw), 'locals must be an object'),
  v.check((raw) => Object.keys(raw).length <= 64, 'too many locals'),
  v.rawTransform(({ dataset, addIssue, NEVER }) => {
    const locals: Record<string, string> = Object.create(null) as Record<string, string>;
    for (const [name, text] of Object.entries(dataset.value)) {
      const key = v.safeParse(Name, name);
      const value = v.safeParse(Name, text);
      if (!key.success || !value.success) {
        addIssue({ message: 'a local variable is not a name and a text' });
        return NEVER;
      }
      locals[key.output] = value.output;
    }
    return locals;
  }),
);

/**
 * One coroutine of a task's await chain, outermost first (the order of CPython 3.14's
 * asyncio.capture_call_graph): `main` at line 24, then `baker` at line 5, then asyncio's own
 * `Queue.put`. `locals` is absent when the frame's variables are as last recorded for this
 * task at this depth.
 */
export const FrameSchema = v.strictObject({
  /** The function's qualified name (co_qualname): `main`, `Worker.run`, `Queue.get`. */
  name: Name,
  /** The learner's line the frame is at; null for asyncio's own frames. */
  line: v.nullable(LineNumber),
  /** True for the learner's own code. */
  user: v.boolean(),
  /** Local variables as short texts (`'Ada'`, `Queue`, `[1, 2, …]`), in the frame's order. */
  locals: v.optional(Locals),
});
export type Frame = v.InferOutput<typeof FrameSchema>;

/**
 * What is inside one of asyncio's synchronisation objects (a Queue, Lock, Event, Condition,
 * Semaphore or Barrier) the program uses, read from CPython's own fields (Lib/asyncio/queues.py,
 * locks.py). Objects are numbered in the order the tracer first met them.
 */
/**
 * The most asyncio objects (Queues, Locks, Events …) a trace may name: the tracer numbers them
 * from 0 in the order it first meets them (inside.py, _object_id), so every id is below this,
 * and a list of the objects that changed names each once. The player walks every object a board
 * holds at each step it shows them (src/renderer/lib/board-view.ts, objectModels): a forged
 * trace of 1.9 million objects made each step take 1.5-2.5 s (a reviewer's). The tracer looks
 * at every object it has met at every event (inside.py, _objects_diff), so a run of thousands
 * crawls long before this; the programs in tests/ name a few each.
 */
export const MAX_OBJECTS = 10_000;

export const SyncObjectSchema = v.strictObject({
  id: v.pipe(Count, v.maxValue(MAX_OBJECTS - 1)),
  /** Its class: `Queue`, `PriorityQueue`, `Lock`, `Event`, `Semaphore` … */
  type: Name,
  /** The name the learner's code gives it where it was first seen (`shelf`). */
  label: Name,
  /** Queues: the items, in the order get() takes them (at most 12; `size` counts them all). */
  items: v.optional(v.pipe(v.array(Name), v.maxLength(64))), // the tracer shows at most 12 (inside.py, MAX_ITEMS)
  size: v.optional(Count),
  /** Queues: the most items it holds (0: no limit). */
  maxsize: v.optional(Count),
  /** Queues: items put and not yet marked task_done(); join() waits for 0. */
  unfinished: v.optional(Count),
  /** Queues: shut down (Queue.shutdown(), 3.13+). */
  shutdown: v.optional(v.boolean()),
  /** Locks and Conditions: held, and by which task (null: by no task the trace knows). */
  locked: v.optional(v.boolean()),
  owner: v.optional(v.nullable(TaskIdSchema)),
  /** Events: the flag. */
  set: v.optional(v.boolean()),
  /** Semaphores: the counter. */
  value: v.optional(v.pipe(v.number(), v.safeInteger())),
  /** Barriers: parties needed, tasks waiting now, and its state (filling, draining …). */
  parties: v.optional(Count),
  count: v.optional(Count),
  state: v.optional(Name),
});
export type SyncObject = v.InferOutput<typeof SyncObjectSchema>;

const Frames = v.optional(v.pipe(v.array(FrameSchema), v.maxLength(64)));
/** The objects whose state changed since they were last recorded. */
const Objects = v.optional(v.pipe(v.array(SyncObjectSchema), v.maxLength(MAX_OBJECTS)));

/**
 * The tasks a wait names, each once (the tracer lists each once: observe.py's task_ids). A
 * trace from a file or a forged chunk that repeated one id 140,000 times made the player join
 * its name that many times at every step the task slept (a reviewer's: past V8's longest string).
 */
const TaskList = v.pipe(
  v.array(TaskIdSchema),
  v.maxLength(1_000_000),
  v.check((ids) => new Set(ids).size === ids.length, 'a wait names a task more than once'),
);
/** A timeout hanging over a wait: the virtual time it fires at. */
const deadline = v.optional(Instant);

/** What a suspended task is waiting for. `deadline` is set when a timeout hangs over the wait. */
export const WaitSchema = keyedVariant('kind', [
  v.strictObject({ kind: v.literal('yield'), deadline }), // nothing: it is already back in the ready queue
  v.strictObject({ kind: v.literal('sleep'), timer: HandleIdSchema, until: v.nullable(Instant), deadline }),
  v.strictObject({ kind: v.literal('task'), task: TaskIdSchema, deadline }),
  v.strictObject({ kind: v.literal('gather'), tasks: TaskList, deadline }),
  v.strictObject({ kind: v.literal('wait'), tasks: TaskList, deadline }),
  v.strictObject({ kind: v.literal('as_completed'), tasks: TaskList, deadline }),
  v.strictObject({ kind: v.literal('taskgroup'), tasks: TaskList, deadline }),
  v.strictObject({ kind: v.literal('wait_for'), task: v.nullable(TaskIdSchema), deadline }),
  // Queue.get, Lock.acquire, Event.wait …: `primitive` is the class the program made (a
  // subclass's own name: PriorityQueue, BoundedSemaphore), `method` what it called (`async
  // with` calls acquire); `holder` is the task that holds the Lock waited for, when known.
  v.strictObject({ kind: v.literal('sync'), primitive: Name, method: Name, holder: v.optional(TaskIdSchema), deadline }),
  v.strictObject({ kind: v.literal('future'), label: Name, deadline }),
  // A read, a drain, a connection, a server … on the virtual network (trace-net.ts).
  NetWaitSchema,
]);
export type Wait = v.InferOutput<typeof WaitSchema>;
export type WaitKind = Wait;

export const OutcomeSchema = v.picklist(['result', 'exception', 'cancelled']);
export type Outcome = v.InferOutput<typeof OutcomeSchema>;

export const LimitReasonSchema = v.picklist([
  'steps', // the step budget (lines) ran out
  'time', // real time ran out, or the program made no progress for too long
  'memory',
  'output',
  'events', // the trace itself grew too long
  'deadlock', // every task waits for something that never happens (or a timer at infinity)
  'stopped', // the learner pressed Stop
  'crashed', // the interpreter itself failed
  'damaged', // what the worker sent was not a well-formed trace
]);
export type LimitReason = v.InferOutput<typeof LimitReasonSchema>;

export const LoopActionSchema = v.picklist(['new', 'run', 'stop', 'close']);
export type LoopAction = v.InferOutput<typeof LoopActionSchema>;

const QueueItems = v.optional(v.array(QueueItemSchema));

/** A line of the learner's code is about to run, in `task` (or in a callback, or neither). */
export const LineEventSchema = v.strictObject({
  kind: v.literal('line'),
  line: LineNumber,
  task: v.nullable(TaskIdSchema),
  callback: v.nullable(HandleIdSchema),
});

export type LineEvent = v.InferOutput<typeof LineEventSchema>;

/**
 * Makes the `line` events of one task's (or callback's) steps, one object per line number:
 * every later step on that line, in that task or callback, is the same frozen object. A trace
 * holds one event per line run, and a loop runs the same few lines over and over: a runaway
 * `while True: pass` sends its 1,000,000-line budget. Made one by one, those events were a
 * million objects (~32 MB) made while the page shows the run, and the garbage collections of
 * them held the page's thread past 100 ms at a time (a CPU profile of the app in Chromium here:
 * 250–430 ms of collection for that run). Nothing in Loop Lab writes to a trace's events; a
 * frozen event says so to anything that tries (a TypeError in strict code).
 */
export class LineSteps {
  private task: number | null = null;
  private callback: number | null = null;
  /** This task's or callback's events, by line number. */
  private byLine: LineEvent[] = [];

  /** The event of a step on `line` (a line number checked by the caller) in `task` or `callback`. */
  at(line: number, task: number | null, callback: number | null): LineEvent {
    if (task !== this.task || callback !== this.callback) {
      this.task = task;
      this.callback = callback;
      this.byLine = [];
    }
    return (this.byLine[line] ??= Object.freeze({ kind: 'line', line, task, callback }) as LineEvent);
  }
}

/** Every event but `line`: the ones a TraceFile stores one by one. */
const OTHER_EVENTS = [
  /** A task was created (its details are in `Trace.tasks`). */
  v.strictObject({ kind: v.literal('task'), task: TaskIdSchema }),
  v.strictObject({ kind: v.literal('rename'), task: TaskIdSchema, name: Name }),
  /** Something joined the back of a loop's ready queue. `real` is only recorded in verify mode. */
  v.strictObject({
    kind: v.literal('push'),
    loop: LoopIdSchema,
    item: QueueItemSchema,
    reason: PushReasonSchema,
    real: QueueItems,
    /** A task woken from a wait (reason `wake` or `cancel`): what became of that wait. */
    wake: v.optional(WakeSchema),
    objects: Objects,
  }),
  /** The loop took the head of its ready queue and runs it (or drops it, when cancelled). */
  v.strictObject({ kind: v.literal('pop'), loop: LoopIdSchema, item: QueueItemSchema, cancelled: v.boolean(), real: QueueItems }),
  /**
   * A new task runs its first step at once, inside the step that is running (`parent`: its
   * creator, or a callback), without joining the ready queue: `eager_start=True` or an eager
   * task factory. The lines that follow are the new task's, until its `suspend` or `done`
   * and then `eager_end`.
   */
  v.strictObject({ kind: v.literal('eager_start'), task: TaskIdSchema, parent: v.nullable(QueueItemSchema) }),
  /** The eager first step of `task` is over; `parent`'s step carries on from where it created it. */
  v.strictObject({ kind: v.literal('eager_end'), task: TaskIdSchema, parent: v.nullable(QueueItemSchema) }),
  /** The running task gave control back to the loop. */
  v.strictObject({
    kind: v.literal('suspend'),
    task: TaskIdSchema,
    wait: WaitSchema,
    line: v.nullable(LineNumber),
    /** Its await chain with its locals, when changed since the task's last record. */
    frames: Frames,
    /** The asyncio object (SyncObject id) it waits on: a Queue.get, a Lock.acquire … */
    sync: v.optional(Count),
    objects: Objects,
  }),
  /** The running plain callback returned. */
  v.strictObject({ kind: v.literal('callback_end'), callback: HandleIdSchema, objects: Objects }),
  /** A task finished. `text` is the result's repr, `Type: message`, or `cancelled`. */
  v.strictObject({
    kind: v.literal('done'),
    task: TaskIdSchema,
    outcome: OutcomeSchema,
    text: Message,
    line: v.nullable(LineNumber),
    objects: Objects,
  }),
  /** A timer joined the loop's timer heap; `when` is on the virtual clock (null: never). */
  v.strictObject({ kind: v.literal('timer'), loop: LoopIdSchema, timer: HandleIdSchema, when: v.nullable(Instant) }),
  v.strictObject({ kind: v.literal('timer_cancel'), loop: LoopIdSchema, timer: HandleIdSchema }),
  /** The virtual clock moved forward to `time` seconds. */
  v.strictObject({ kind: v.literal('clock'), time: Seconds }),
  /** The program wrote; while a task runs, `frames` is its chain at that moment (when changed). */
  v.strictObject({ kind: v.literal('output'), stream: v.picklist(['stdout', 'stderr']), text: Text, frames: Frames, objects: Objects }),
  v.strictObject({ kind: v.literal('loop'), loop: LoopIdSchema, action: LoopActionSchema }),
  /**
   * The whole thread, and so every task, stood still for `seconds`: in time.sleep(), or, when
   * `call` names it, in a timed wait nothing could end (`Event.wait()`, `Queue.get()`,
   * `Lock.acquire()` …: no other thread can set, put or release), which then timed out.
   * While a task runs, `frames` is its chain as it blocks (when changed), as `output`'s is.
   */
  v.strictObject({
    kind: v.literal('block'),
    seconds: v.pipe(Seconds, v.maxValue(MAX_BLOCK_SECONDS)),
    line: v.nullable(LineNumber),
    call: v.optional(Name),
    frames: Frames,
    objects: Objects,
  }),
  /** An exception nobody caught ended the program; the traceback is in the stderr output. */
  v.strictObject({ kind: v.literal('exception'), type: Name, message: Message, line: v.nullable(LineNumber) }),
  /** The run was ended early; the events before this one are all kept. */
  v.strictObject({ kind: v.literal('limit'), reason: LimitReasonSchema, message: Message }),
  /** The virtual network did something: a listen, a connection, bytes sent, arriving, read … (trace-net.ts). */
  NetEventSchema,
] as const;

export const TraceEventSchema = keyedVariant('kind', [LineEventSchema, ...OTHER_EVENTS]);
export type TraceEvent = v.InferOutput<typeof TraceEventSchema>;
export type TraceEventKind = TraceEvent['kind'];

export const RunStatusSchema = v.picklist(['ok', 'error', 'limit']);
export type RunStatus = v.InferOutput<typeof RunStatusSchema>;

export const RunEndSchema = v.strictObject({
  /** ok: the program ended by itself; error: an uncaught exception; limit: ended early. */
  status: RunStatusSchema,
  /** What `python3 FILE.py` would exit with (2 when Loop Lab ended the run). */
  exitCode: v.pipe(v.number(), v.safeInteger()),
  /** The virtual clock at the end, in seconds. */
  clock: Seconds,
  /** Real time the run took, in milliseconds (a measurement: it differs from run to run). */
  wallMs: Seconds,
  /** Number of `line` events: the steps counted against the step budget. */
  lineSteps: Count,
  /** The step budget this run had (RunOptions.maxSteps, or the default). */
  maxSteps: Count,
});
export type RunEnd = v.InferOutput<typeof RunEndSchema>;

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
  /** Line steps before the run is ended with a `steps` limit. Default DEFAULT_MAX_STEPS. */
  maxSteps?: number;
  /**
   * Real seconds a run may take in all before it is ended with a `time` limit. Default
   * DEFAULT_WALL_SECONDS. (A run that makes no progress at all is ended sooner: see the
   * supervisor's stall limit.)
   */
  wallSeconds?: number;
  /** Characters of output before the run is ended. Default DEFAULT_MAX_OUTPUT_CHARS. */
  maxOutputChars?: number;
  /** Record the loop's real ready queue beside every push and pop (for tests). Default false. */
  verify?: boolean;
}

/** Line steps a run may take by default. The tracer records about 2 million a second. */
export const DEFAULT_MAX_STEPS = 1_000_000;
/** Real seconds a run may take in all, by default (a guard: the step budget comes first). */
export const DEFAULT_WALL_SECONDS = 30;
/** Characters a run may print by default (at least 1 MB of output). */
export const DEFAULT_MAX_OUTPUT_CHARS = 2_000_000;
/** Events other than LINE steps a run may record (recorder.py's DEFAULT_MAX_EVENTS: each costs
 * the player about 100 bytes). */
export const DEFAULT_MAX_EVENTS = 200_000;
/**
 * Events other than LINE steps the tracer may record past its maxEvents: its limit record and
 * the run's last events (recorder.py, TEARDOWN_EVENTS and the rest: the host allows this many,
 * src/runtime/wire.ts).
 */
export const RECORDER_EVENTS_SLACK = 64;
/**
 * The most events (steps of the player) a trace holds: what a run of the app's budgets ever
 * records. The host takes at most DEFAULT_MAX_STEPS line steps (WireDecoder.placeLines) and
 * DEFAULT_MAX_EVENTS + RECORDER_EVENTS_SLACK other events (callbacks' details counted with them:
 * WireDecoder.countEvent), and adds one `limit` when it ends a run itself (supervisor.ts,
 * abandon). A trace file or link holding more is refused before anything is built of it: a
 * 10 kB share link unpacked into 3.9 million steps, 2-3 s of the page's thread in one task (a
 * reviewer's). (The CLI's --max-steps makes longer runs, which it never writes as a trace file.)
 */
export const MAX_TRACE_EVENTS = DEFAULT_MAX_STEPS + DEFAULT_MAX_EVENTS + RECORDER_EVENTS_SLACK + 1;
/**
 * The most asyncio object records (SyncObject: one per object whose state changed, per event) a
 * trace holds in all: each is built and checked as a trace is read, and the board keeps them.
 * What the host takes from a run is under it: its weight cap keeps a run to ~1.6 million
 * (wire.ts MAX_RUN_WEIGHT; a record, `{"id":0,"type":"Lock","label":"l"}`, weighs at least 5,
 * and one with any state ~7: tests/wire.test.ts).
 */
export const MAX_OBJECT_RECORDS = 2_000_000;
/**
 * The most task ids the waits of one trace may list in all (a gather's, a wait()'s, an
 * as_completed's, a TaskGroup's: each suspend lists every task it waits on, observe.py): as many
 * as the host takes values from one run (wire.ts, MAX_RUN_WEIGHT), which bounded them before
 * this cap and still does first. Not fewer: a task waiting in as_completed() or wait(…,
 * FIRST_COMPLETED) lists every task still pending at each of its waits, so n tasks done one by
 * one list n(n+1)/2 ids; a cap of 2,000,000 refused such a loop over 2,100 tasks, which python3
 * finishes in a second (a reviewer's, helper-140), and refused its trace as a file too. A trace
 * file past it is refused unread (parseTraceFile); the host ends a run past it as a trace grown
 * too long (wire.ts).
 */
export const MAX_WAIT_IDS = 8_000_000;

export function sameItem(a: QueueItem, b: QueueItem): boolean {
  return a.kind === 'task'
    ? b.kind === 'task' && a.task === b.task
    : b.kind === 'callback' && a.callback === b.callback;
}

// ----------------------------------------------------------------------------- the file form

/**
 * A packed run's line numbers: at most DEFAULT_MAX_STEPS numbers, then each checked to be a
 * LineNumber by one plain loop. Valibot's pipe on each item took ~200 ms of the 360-600 ms a
 * trace file of a million steps took to check (tsx here, helper-139).
 */
const LineNumbers = v.pipe(
  v.array(v.number()),
  v.maxLength(DEFAULT_MAX_STEPS),
  v.check((lines) => {
    for (const line of lines) if (!Number.isSafeInteger(line) || line < 0) return false;
    return true;
  }, 'line numbers are whole numbers from 0'),
);

/** Consecutive `line` events of one task (or callback, or neither), packed: `lines[i]` is a line number. */
export const LineRunSchema = v.strictObject({
  kind: v.literal('lines'),
  task: v.nullable(TaskIdSchema),
  callback: v.nullable(HandleIdSchema),
  lines: LineNumbers,
});
export type LineRun = v.InferOutput<typeof LineRunSchema>;

export const PackedEventSchema = keyedVariant('kind', [LineRunSchema, ...OTHER_EVENTS]);
export type PackedEvent = v.InferOutput<typeof PackedEventSchema>;

export const TRACE_FILE_FORMAT = 'loop-lab-trace' as const;

/** The runtime a trace was recorded with: the same source on the same runtime gives the same trace. */
export const RuntimeIdSchema = v.strictObject({
  /** Pyodide's version, e.g. `314.0.7`. */
  pyodide: Name,
  /** SHA-256 (hex) of the tracer package's sources. */
  tracer: Name,
});
export type RuntimeId = v.InferOutput<typeof RuntimeIdSchema>;

/** True when two runtime ids name the same runtime (a trace of one is a trace of the other). */
export function sameRuntime(a: RuntimeId, b: RuntimeId): boolean {
  return a.pyodide === b.pyodide && a.tracer === b.tracer;
}

export const TraceFileSchema = v.strictObject({
  format: v.literal(TRACE_FILE_FORMAT),
  version: v.literal(TRACE_VERSION),
  /** What recorded it, when known (a trace built by hand for a test has none). */
  runtime: v.optional(RuntimeIdSchema),
  filename: Name,
  source: Text,
  tasks: v.array(TaskInfoSchema),
  callbacks: v.array(CallbackInfoSchema),
  events: v.pipe(v.array(PackedEventSchema), v.maxLength(MAX_TRACE_EVENTS)),
  end: RunEndSchema,
});
export type TraceFile = v.InferOutput<typeof TraceFileSchema>;

/** A trace that failed its checks: `message` says what was wrong, for a log or a test. */
export class TraceError extends Error {
  override readonly name = 'TraceError';
}

/** The trace in its stored and sent form (line events packed). */
export function packTrace(trace: Trace, runtime?: RuntimeId): TraceFile {
  const events: PackedEvent[] = [];
  let run: LineRun | null = null;
  for (const event of trace.events) {
    if (event.kind === 'line') {
      if (run === null || run.task !== event.task || run.callback !== event.callback) {
        run = { kind: 'lines', task: event.task, callback: event.callback, lines: [] };
        events.push(run);
      }
      run.lines.push(event.line);
    } else {
      run = null;
      events.push(event);
    }
  }
  return {
    format: TRACE_FILE_FORMAT,
    version: TRACE_VERSION,
    ...(runtime ? { runtime } : {}),
    filename: trace.filename,
    source: trace.source,
    tasks: trace.tasks,
    callbacks: trace.callbacks,
    events,
    end: trace.end,
  };
}

/** The trace a (checked) TraceFile holds, one event per step. */
export function unpackTrace(file: TraceFile): Trace {
  const events: TraceEvent[] = [];
  const steps = new LineSteps();
  for (const event of file.events) {
    if (event.kind === 'lines') {
      const { task, callback } = event;
      for (const line of event.lines) events.push(steps.at(line, task, callback));
    } else {
      events.push(event);
    }
  }
  return {
    version: TRACE_VERSION,
    filename: file.filename,
    source: file.source,
    tasks: file.tasks,
    callbacks: file.callbacks,
    events,
    end: file.end,
  };
}

/**
 * Checks anything that claims to be a TraceFile (from a worker's host, a cache, a file, a
 * link) and returns the trace it holds. Throws TraceError saying what was wrong: a field of
 * the wrong shape, or a reference to a task, callback or event that is not there.
 */
export function parseTraceFile(value: unknown): Trace {
  return readTraceFile(value).trace;
}

/**
 * Checks a TraceFile as parseTraceFile does, and returns it as checked, still packed: for a
 * checker that passes the file on (Electron's main process, between the runtime's window and the
 * learner's), where unpacking it and packing it again cost 155-200 ms more for a million steps
 * (tsx here, helper-139). Unpacked, it is the trace parseTraceFile returns.
 */
export function checkTraceFile(value: unknown): TraceFile {
  return readTraceFile(value).file;
}

function readTraceFile(value: unknown): { file: TraceFile; trace: Trace } {
  const tooMuch = pastWhatARunRecords(value);
  if (tooMuch !== null) throw new TraceError(tooMuch);
  const result = v.safeParse(TraceFileSchema, value, ABORT_EARLY);
  if (!result.success) throw new TraceError(`not a Loop Lab trace: ${describeIssue(result.issues[0])}`);
  const trace = unpackTrace(result.output);
  const problem = checkReferences(trace);
  if (problem) throw new TraceError(`not a Loop Lab trace: ${problem}`);
  return { file: result.output, trace };
}

/**
 * Why a would-be TraceFile holds more than any run records (MAX_TRACE_EVENTS steps,
 * MAX_OBJECT_RECORDS object records, MAX_WAIT_IDS task ids in waits), in a sentence for a
 * learner; or null (its shape is then the schema's to check). It only counts, before anything is
 * built or checked: one look at each packed event, ~1.2 million at most (a few ms).
 */
function pastWhatARunRecords(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const events: unknown = (value as { events?: unknown }).events;
  if (!Array.isArray(events)) return null;
  const tooMany = (what: string, most: number): string =>
    `This trace holds more ${what} than a Loop Lab run ever records (at most ${thousands(most)}), so it was not opened. Run the program again to see its steps.`;
  if (events.length > MAX_TRACE_EVENTS) return tooMany('steps', MAX_TRACE_EVENTS);
  let steps = 0;
  let objects = 0;
  let waitIds = 0;
  for (const event of events as unknown[]) {
    if (typeof event !== 'object' || event === null) {
      steps++;
      continue;
    }
    const e = event as { kind?: unknown; lines?: unknown; objects?: unknown; wait?: unknown };
    steps += e.kind === 'lines' && Array.isArray(e.lines) ? e.lines.length : 1;
    if (Array.isArray(e.objects)) objects += e.objects.length;
    const tasks: unknown = typeof e.wait === 'object' && e.wait !== null ? (e.wait as { tasks?: unknown }).tasks : undefined;
    if (Array.isArray(tasks)) waitIds += tasks.length;
  }
  if (steps > MAX_TRACE_EVENTS) return tooMany('steps', MAX_TRACE_EVENTS);
  if (objects > MAX_OBJECT_RECORDS) return tooMany('records of asyncio objects', MAX_OBJECT_RECORDS);
  if (waitIds > MAX_WAIT_IDS) return tooMany('tasks named by waits', MAX_WAIT_IDS);
  return null;
}

/**
 * What is wrong with a well-shaped trace's cross-references, or null: every task and callback
 * is numbered by its place, and every id an event names is one of them. The player indexes by
 * these ids, so a forged one must never reach it. The virtual clock, too, only moves forward.
 */
export function checkReferences(trace: Trace): string | null {
  return firstBadReference(trace)?.problem ?? null;
}

/**
 * Where a trace's cross-references first go wrong: `at` is the first event that cannot be kept
 * (0 when the task or callback table itself is wrong), with what is wrong. Null if nothing is.
 */
export function firstBadReference(trace: Trace): BadReference | null {
  const check = checkingReferences(trace);
  for (;;) {
    const step = check.next();
    if (step.done) return step.value;
  }
}

/** Where a trace's cross-references first go wrong, and what is wrong there (firstBadReference). */
export interface BadReference {
  at: number;
  problem: string;
}

/**
 * The checks `checkingReferences` makes between two pauses: one per event, and one per id in
 * the lists an event carries (a gather's tasks, the asyncio objects, a verified queue).
 */
const REFERENCE_STRIDE = 8192;

/**
 * `firstBadReference` as a generator that pauses (yields) every REFERENCE_STRIDE checks and
 * returns its answer, so that a host can check a long trace in slices, giving its thread back
 * between them: a runaway program's million steps took 30–100 ms in one task in Chromium here.
 * Counted by checks, not events: seven gathers of 50,000 ids each held one stride of 8,192
 * events 68–71 ms (a reviewer's, helper-137).
 */
export function* checkingReferences(trace: Trace): Generator<void, BadReference | null> {
  const { tasks, callbacks, events } = trace;
  for (let i = 0; i < tasks.length; i++) {
    const task = tasks[i]!;
    if (task.id !== i) return { at: 0, problem: `tasks[${i}] has id ${task.id}` };
    // Its creator was running as it was made: made before it.
    if (task.creator !== null && task.creator >= i) return { at: 0, problem: `tasks[${i}] names an unknown creator` };
    if (task.createdAt >= events.length) return { at: 0, problem: `tasks[${i}] was created after the last event` };
  }
  for (let i = 0; i < callbacks.length; i++) {
    if (callbacks[i]!.id !== i) return { at: 0, problem: `callbacks[${i}] has id ${callbacks[i]!.id}` };
  }
  const maxLine = lastLineOf(trace.source);
  for (let i = 0; i < callbacks.length; i++) {
    const line = callbacks[i]!.line;
    if (line !== null && line > maxLine) return { at: 0, problem: `callbacks[${i}]: ${PAST_LAST_LINE}` };
  }
  // A file's callbacks have no place among its events: each is known from the start.
  const rules = new TraceRules({ maxLine, callbacks: callbacks.length });
  let work = 0;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind === 'line') {
      const problem = rules.line(e);
      if (problem !== null) return { at: i, problem: `events[${i}] (line): ${problem}` };
      if (++work >= REFERENCE_STRIDE) {
        work = 0;
        yield;
      }
      continue;
    }
    // A task's entry points at the event that made it, and that event at it.
    if (e.kind === 'task' && tasks[e.task]?.createdAt !== i) return { at: i, problem: `events[${i}] (task) makes a task the table puts elsewhere` };
    const problem = rules.event(e);
    if (problem !== null) return { at: i, problem: `events[${i}] (${e.kind}): ${problem}` };
    work += 1 + idsCarried(e);
    if (work >= REFERENCE_STRIDE) {
      work = 0;
      yield;
    }
  }
  const unmade = tasks[rules.tasksMade];
  if (unmade !== undefined) return { at: unmade.createdAt, problem: `tasks[${unmade.id}] is made by no event` };
  return null;
}

/** How many ids an event's lists carry: what checking it walks, past the event itself. */
function idsCarried(e: TraceEvent): number {
  let ids = 0;
  if ('objects' in e && e.objects !== undefined) ids += e.objects.length;
  if ('real' in e && e.real !== undefined) ids += e.real.length;
  if (e.kind === 'suspend' && 'tasks' in e.wait) ids += e.wait.tasks.length;
  return ids;
}

/**
 * What a schema found wrong, in words that are all the app's own: where (a path, when it is a
 * short plain name) and what was expected, never the value found. The value, and a key in the
 * path, may have been chosen by whoever made the input (a program writing frames, a stranger's
 * file or link), and the message is shown as the app's.
 */
export function describeIssue(issue: v.BaseIssue<unknown> | undefined): string {
  if (issue === undefined) return 'unknown shape';
  // Each step of the path is shown only if it is an index or a field the contract names: an
  // unknown key, or a local variable's name, was chosen by whoever made the input.
  const path = (issue.path ?? []).map((item) => {
    const key: unknown = item.key;
    return typeof key === 'number' ? String(key) : typeof key === 'string' && CONTRACT_FIELDS.has(key) ? key : '…';
  });
  const expected = issue.expected !== null && issue.expected.length <= 60 ? `expected ${issue.expected}` : 'not the expected shape';
  return path.length > 0 ? `${path.join('.')}: ${expected}` : expected;
}

/** Every field name the trace file's schemas define (walked once, through every kind of schema they use). */
const CONTRACT_FIELDS: ReadonlySet<string> = (() => {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const walk = (schema: unknown): void => {
    if (schema === null || typeof schema !== 'object' || seen.has(schema)) return;
    seen.add(schema);
    const s = schema as { entries?: Record<string, unknown>; options?: unknown[]; wrapped?: unknown; item?: unknown; items?: unknown[]; pipe?: unknown[]; value?: unknown; rest?: unknown };
    if (s.entries) for (const [name, entry] of Object.entries(s.entries)) (names.add(name), walk(entry));
    for (const inner of [...(s.options ?? []), ...(s.items ?? []), ...(s.pipe ?? [])]) walk(inner);
    for (const inner of [s.wrapped, s.item, s.value, s.rest]) walk(inner);
  };
  walk(TraceFileSchema);
  walk(TraceEventSchema);
  return names;
})();
