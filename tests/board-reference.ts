/**
 * THE REFERENCE, for tests only: src/trace/board.ts's event application as it was before the
 * board replayed over indexed structures (commit 84475ae), kept word for word (imports and the
 * index aside) so that tests/board-scale.test.ts can hold the new board to it at every step.
 * It scans, splices and filters arrays per event: never use it in the app.
 *
 * The board at step i: where every task stands (Running, Ready, Waiting, Done), the timers,
 * the clock, the line each task is on, each task's await chain and locals as last recorded,
 * and what is inside the asyncio objects the program uses. A pure function of the trace and i, so stepping
 * back is exact and any step opens directly; `BoardIndex` keeps a snapshot every few hundred
 * steps (further apart while the board is large) so that opening step 99,999 of a long trace
 * replays at most that few events.
 */
import {
  type Frame,
  type HandleId,
  type LimitReason,
  type LoopId,
  type Outcome,
  type QueueItem,
  sameItem,
  type SyncObject,
  type TaskId,
  type Trace,
  type TraceEvent,
  type Wait,
  type Wake,
} from '../src/shared/trace';
import { applyNet, cloneNet, emptyNet, type NetBoard } from './board-net-reference';
import { exceptionWords } from '../src/trace/describe';

export interface SleepEntry {
  task: TaskId;
  wait: Wait;
  /** The learner's line where the task waits. */
  line: number | null;
  /** The step at which it went to sleep. */
  since: number;
  /** The asyncio object it waits on (an id of `Board.objects`), if any. */
  sync: number | null;
}

/** A task's await chain as last recorded: every frame with its locals filled in. */
export interface ChainRecord {
  /** Outermost first (`main`, then `baker`, then asyncio's `Queue.put`). */
  frames: readonly (Frame & { locals: Readonly<Record<string, string>> })[];
  /** The step that recorded it. */
  step: number;
}

/** Why a task in the ready queue (or running after it) was woken, until it waits again. */
export interface WakeEntry {
  wake: Wake;
  /** The `push` step that woke it. */
  step: number;
}

/** time.sleep() holding the whole thread: from its `block` event to the clock's move. */
export interface Blocked {
  /** Virtual seconds the whole thread stood still. */
  seconds: number;
  line: number | null;
  /** The `block` step. */
  step: number;
  /** The timed wait that held it (`Event.wait()` …), or null for time.sleep(). */
  call: string | null;
}

export interface DoneEntry {
  task: TaskId;
  outcome: Outcome;
  text: string;
  line: number | null;
  step: number;
}

export interface TimerEntry {
  timer: HandleId;
  loop: LoopId;
  when: number | null;
  /** The task sleeping on this timer, once it is known. */
  task: TaskId | null;
}

export interface LoopQueues {
  ready: QueueItem[];
  timers: TimerEntry[];
  running: boolean;
  closed: boolean;
}

export interface BoardEnd {
  kind: 'exception' | 'limit';
  reason: LimitReason | null;
  message: string;
  line: number | null;
}

/** Everything the board shows at one step. Treat as read-only. */
export interface Board {
  /** Index of the last event applied; -1 before the first. */
  step: number;
  clock: number;
  /** The loop whose queues the board shows: the last one that did anything. */
  loop: LoopId | null;
  loops: Record<LoopId, LoopQueues>;
  running: QueueItem | null;
  /**
   * Steps set aside while an eager task's first step runs inside them (its creator's, or a
   * callback's), outermost first: each carries on at its `eager_end`.
   */
  paused: QueueItem[];
  sleeping: SleepEntry[];
  done: DoneEntry[];
  /** Task id -> the line it is on: where it runs, or where it waits. */
  lines: Record<TaskId, number>;
  /** The line that runs at this step, if this step is a line. */
  line: number | null;
  /** Tasks renamed with set_name(), by id. */
  names: Record<TaskId, string>;
  /** Number of output events up to and including this step. */
  outputs: number;
  /** How the program ended early, once it has. */
  end: BoardEnd | null;
  /** Each unfinished task's await chain and locals, as last recorded. */
  chains: Record<TaskId, ChainRecord>;
  /** asyncio's Queues, Locks, Events … the program uses, as last recorded, by id. */
  objects: Record<number, SyncObject>;
  /** Tasks woken from a wait, by why, until they suspend or finish. */
  woken: Record<TaskId, WakeEntry>;
  /** time.sleep() holds the thread at this step (its block and the clock's move after it). */
  blocked: Blocked | null;
  /** The `pop` step at which the running item was taken from the ready queue (-1: none). */
  runningSince: number;
  /** The virtual network (board-net.ts), once the program has used it. */
  net: NetBoard | null;
}

export function emptyBoard(): Board {
  return {
    step: -1,
    clock: 0,
    loop: null,
    loops: {},
    running: null,
    paused: [],
    sleeping: [],
    done: [],
    lines: {},
    line: null,
    names: {},
    outputs: 0,
    end: null,
    chains: {},
    objects: {},
    woken: {},
    blocked: null,
    runningSince: -1,
    net: null,
  };
}

/** The ready queue of the loop in view, head first. */
export function readyOf(board: Board): readonly QueueItem[] {
  return board.loop === null ? [] : (board.loops[board.loop]?.ready ?? []);
}

/** The timer heap of the loop in view, soonest first. */
export function timersOf(board: Board): readonly TimerEntry[] {
  return board.loop === null ? [] : (board.loops[board.loop]?.timers ?? []);
}

function queues(board: Board, loop: LoopId): LoopQueues {
  let q = board.loops[loop];
  if (!q) {
    q = { ready: [], timers: [], running: false, closed: false };
    board.loops[loop] = q;
  }
  return q;
}

function removeItem(list: QueueItem[], item: QueueItem): void {
  const at = list.findIndex((other) => sameItem(other, item));
  if (at >= 0) list.splice(at, 1);
}

function removeTask(board: Board, task: TaskId): void {
  const item: QueueItem = { kind: 'task', task };
  for (const q of Object.values(board.loops)) removeItem(q.ready, item);
  board.sleeping = board.sleeping.filter((s) => s.task !== task);
  removeItem(board.paused, item);
  if (board.running && sameItem(board.running, item)) board.running = null;
}

function insertTimer(timers: TimerEntry[], entry: TimerEntry): void {
  // Soonest first; equal deadlines keep the order they were set (the heap's order for ties
  // is an implementation detail; the loop runs them all in the same turn).
  const when = entry.when ?? Infinity;
  let at = timers.length;
  while (at > 0 && (timers[at - 1]!.when ?? Infinity) > when) at--;
  timers.splice(at, 0, entry);
}

function sleepKey(entry: SleepEntry): number {
  return entry.wait.kind === 'sleep' && entry.wait.until !== null ? entry.wait.until : Infinity;
}

function insertSleeper(sleeping: SleepEntry[], entry: SleepEntry): void {
  const key = sleepKey(entry);
  let at = sleeping.length;
  while (at > 0 && sleepKey(sleeping[at - 1]!) > key) at--;
  sleeping.splice(at, 0, entry);
}

/** A newly recorded chain, each frame's locals filled in from the last record where absent. */
function recordChain(board: Board, task: TaskId, frames: readonly Frame[], step: number): void {
  const before = board.chains[task]?.frames;
  board.chains[task] = {
    step,
    frames: frames.map((frame, depth) => {
      if (frame.locals !== undefined) return { ...frame, locals: frame.locals };
      const last = before?.[depth];
      return { ...frame, locals: last && last.name === frame.name ? last.locals : {} };
    }),
  };
}

function recordObjects(board: Board, objects: readonly SyncObject[] | undefined): void {
  if (!objects) return;
  for (const object of objects) board.objects[object.id] = object;
}

/** Applies event `index` of a trace to a board, in place. */
export function apply(board: Board, event: TraceEvent, index: number): void {
  board.step = index;
  board.line = null;
  if (board.blocked && event.kind !== 'clock') board.blocked = null;
  switch (event.kind) {
    case 'line':
      board.line = event.line;
      if (event.task !== null) board.lines[event.task] = event.line;
      break;
    case 'task':
      break;
    case 'rename':
      board.names[event.task] = event.name;
      break;
    case 'push': {
      const q = queues(board, event.loop);
      board.loop = event.loop;
      q.ready.push(event.item);
      recordObjects(board, event.objects);
      if (event.item.kind === 'task') {
        const task = event.item.task;
        board.sleeping = board.sleeping.filter((s) => s.task !== task);
        if (event.wake !== undefined) board.woken[task] = { wake: event.wake, step: index };
      } else if (event.reason === 'timer') {
        const timer = event.item.callback;
        q.timers = q.timers.filter((t) => t.timer !== timer);
      }
      break;
    }
    case 'pop': {
      const q = queues(board, event.loop);
      board.loop = event.loop;
      removeItem(q.ready, event.item);
      if (!event.cancelled) {
        board.running = event.item;
        board.runningSince = index;
      }
      break;
    }
    case 'eager_start':
      if (event.parent) board.paused.push(event.parent);
      board.running = { kind: 'task', task: event.task };
      break;
    case 'eager_end': {
      const parent = event.parent;
      if (parent) removeItem(board.paused, parent);
      board.running = parent;
      break;
    }
    case 'suspend':
      board.running = null;
      delete board.woken[event.task];
      if (event.frames) recordChain(board, event.task, event.frames, index);
      recordObjects(board, event.objects);
      if (event.line !== null) board.lines[event.task] = event.line;
      if (event.wait.kind !== 'yield') {
        insertSleeper(board.sleeping, { task: event.task, wait: event.wait, line: event.line, since: index, sync: event.sync ?? null });
        if (event.wait.kind === 'sleep') {
          const timer = event.wait.timer;
          for (const q of Object.values(board.loops)) {
            const entry = q.timers.find((t) => t.timer === timer);
            if (entry) entry.task = event.task;
          }
        }
      }
      break;
    case 'callback_end':
      board.running = null;
      recordObjects(board, event.objects);
      break;
    case 'done':
      removeTask(board, event.task);
      delete board.lines[event.task];
      delete board.chains[event.task];
      delete board.woken[event.task];
      recordObjects(board, event.objects);
      board.done.push({ task: event.task, outcome: event.outcome, text: event.text, line: event.line, step: index });
      break;
    case 'timer':
      insertTimer(queues(board, event.loop).timers, {
        timer: event.timer,
        loop: event.loop,
        when: event.when,
        task: null,
      });
      break;
    case 'timer_cancel': {
      const q = queues(board, event.loop);
      q.timers = q.timers.filter((t) => t.timer !== event.timer);
      break;
    }
    case 'clock':
      board.clock = event.time;
      break;
    case 'output':
      board.outputs++;
      recordObjects(board, event.objects);
      if (event.frames && board.running?.kind === 'task') recordChain(board, board.running.task, event.frames, index);
      break;
    case 'loop': {
      const q = queues(board, event.loop);
      if (event.action === 'run' || event.action === 'new') board.loop = event.loop;
      if (event.action === 'run') q.running = true;
      if (event.action === 'stop') {
        board.running = null;
        q.running = false;
      }
      if (event.action === 'close') {
        q.closed = true;
        q.running = false;
        q.ready = [];
        q.timers = [];
      }
      break;
    }
    case 'block':
      board.line = event.line;
      board.blocked = { seconds: event.seconds, line: event.line, step: index, call: event.call ?? null };
      recordObjects(board, event.objects);
      if (event.frames && board.running?.kind === 'task') recordChain(board, board.running.task, event.frames, index);
      break;
    case 'exception':
      board.running = null;
      board.paused = [];
      board.end = { kind: 'exception', reason: null, message: exceptionWords(event.type, event.message), line: event.line };
      break;
    case 'limit':
      // What was running when the run was ended stays where it was: a Stop or a limit cut the
      // program short in the middle of that step (the board says so), it did not finish it.
      board.end = { kind: 'limit', reason: event.reason, message: event.message, line: null };
      break;
    case 'net':
      applyNet((board.net ??= emptyNet()), event, board.clock);
      break;
  }
}

export function cloneBoard(board: Board): Board {
  const loops: Record<LoopId, LoopQueues> = {};
  for (const [id, q] of Object.entries(board.loops)) {
    loops[Number(id)] = {
      ready: q.ready.slice(),
      timers: q.timers.map((t) => ({ ...t })),
      running: q.running,
      closed: q.closed,
    };
  }
  return {
    ...board,
    loops,
    paused: board.paused.slice(),
    sleeping: board.sleeping.slice(),
    done: board.done.slice(),
    lines: { ...board.lines },
    names: { ...board.names },
    chains: { ...board.chains },
    objects: { ...board.objects },
    woken: { ...board.woken },
    net: board.net ? cloneNet(board.net) : null,
  };
}

