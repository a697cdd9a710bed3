/**
 * Applying trace events to the board, one at a time, in time that does not grow with the
 * board: a `ReplayBoard` is a `Board` (board.ts) whose ready queues (item-queue.ts), timer
 * heaps and waiting tasks (schedule.ts) are kept indexed by id, so that taking a task out when
 * it is woken or finishes, cancelling a timer, or sleeping until a deadline earlier than every
 * other, costs O(1) amortised (O(log n) to set a timer or put a task to sleep, n the entries
 * there) where scanning arrays cost O(tasks). Its ordered lists (each
 * loop's `ready` and `timers`, `paused`, `sleeping`) are made when read, and kept until the
 * next change, so a pass that reads only the clock or the running task never makes them.
 *
 * The semantics are exactly those of the array board it replaced (tests/board-reference.ts;
 * tests/board-scale.test.ts holds them equal at every step): the ready queue is first in, first
 * out, a task taken out leaves its first occurrence; the timer heap and the waiting tasks are
 * soonest deadline first (Infinity: never), equal deadlines in the order they were set.
 */
import type { Frame, HandleId, LoopId, QueueItem, SyncObject, TaskId, TraceEvent } from '../shared/trace';
import { applyNet, boardNetSize, cloneNet, emptyNet, type NetBoard } from './board-net';
import type { Blocked, Board, BoardEnd, ChainRecord, DoneEntry, LoopQueues, SleepEntry, TimerEntry, WakeEntry } from './board';
import { ItemQueue } from './item-queue';
import { Schedule } from './schedule';
import { exceptionWords } from './describe';

/** One loop's queues, indexed. */
interface LoopState {
  ready: ItemQueue;
  /** Keyed by handle id, ordered by `when` (Infinity for never). */
  timers: Schedule<TimerEntry>;
  running: boolean;
  closed: boolean;
}

/** A waiting task's deadline for the order of `sleeping`: a timed sleep's, else Infinity. */
function sleepKey(entry: SleepEntry): number {
  return entry.wait.kind === 'sleep' && entry.wait.until !== null ? entry.wait.until : Infinity;
}

/** What `Board.loops` shows of a loop: its lists, made when read. */
function loopView(state: LoopState): LoopQueues {
  return {
    get ready(): QueueItem[] {
      return state.ready.items() as QueueItem[];
    },
    get timers(): TimerEntry[] {
      return state.timers.entries() as TimerEntry[];
    },
    get running(): boolean {
      return state.running;
    },
    get closed(): boolean {
      return state.closed;
    },
  };
}

/**
 * Which loops hold an id, and how many times (a task in their ready queues, a handle in their
 * timer heaps): so that a finished task or a fired timer goes straight to its loops, however
 * many loops a trace makes. An id held once (the usual case) is one Map entry, no more.
 */
class Holders {
  /** Id -> the loop that holds it, once. */
  #one = new Map<number, LoopId>();
  /** Id -> loop -> how many times, for an id held more than once. */
  #many = new Map<number, Map<LoopId, number>>();

  add(id: number, loop: LoopId): void {
    const many = this.#many.get(id);
    if (many) {
      many.set(loop, (many.get(loop) ?? 0) + 1);
      return;
    }
    const one = this.#one.get(id);
    if (one === undefined) {
      this.#one.set(id, loop);
      return;
    }
    this.#one.delete(id);
    const counts = new Map<LoopId, number>([[one, 1]]);
    counts.set(loop, (counts.get(loop) ?? 0) + 1);
    this.#many.set(id, counts);
  }

  /** `loop` holds `id` `by` times fewer. */
  remove(id: number, loop: LoopId, by = 1): void {
    const many = this.#many.get(id);
    if (many) {
      const count = (many.get(loop) ?? 0) - by;
      if (count > 0) many.set(loop, count);
      else many.delete(loop);
      if (many.size === 0) this.#many.delete(id);
    } else if (this.#one.get(id) === loop) {
      this.#one.delete(id);
    }
  }

  /** The loops that hold `id`. */
  loopsOf(id: number): LoopId[] {
    const many = this.#many.get(id);
    if (many) return [...many.keys()];
    const one = this.#one.get(id);
    return one === undefined ? [] : [one];
  }
}

/**
 * The board, changed in place by `apply`. Read it as a `Board` (treat every list it hands out
 * as read-only: it is kept until the next change); `toBoard()` gives a plain copy to keep.
 */
export class ReplayBoard implements Board {
  step = -1;
  clock = 0;
  loop: LoopId | null = null;
  running: QueueItem | null = null;
  done: DoneEntry[] = [];
  lines: Record<TaskId, number> = {};
  line: number | null = null;
  names: Record<TaskId, string> = {};
  outputs = 0;
  end: BoardEnd | null = null;
  chains: Record<TaskId, ChainRecord> = {};
  objects: Record<number, SyncObject> = {};
  woken: Record<TaskId, WakeEntry> = {};
  blocked: Blocked | null = null;
  runningSince = -1;

  #net: NetBoard | null = null;
  /** In the order the loops were first met. */
  #loops = new Map<LoopId, LoopState>();
  #loopViews: Record<LoopId, LoopQueues> = {};
  #paused = new ItemQueue();
  /** Keyed by task id, ordered by the sleep's deadline (Infinity for any other wait). */
  #sleeping = new Schedule<SleepEntry>();
  /** Task id -> the loops whose ready queue holds it: kept once there are two loops (#indexed). */
  #readyIn = new Holders();
  /** Handle id -> the loops whose timer heap holds it: kept once there are two loops (#indexed). */
  #timerIn = new Holders();
  /**
   * Whether #readyIn and #timerIn are kept. With one loop (nearly every program) whatever is
   * queued is in it, and asking that loop is as quick: the two are made when a second loop
   * comes, from what the loops hold then. A board of 50,000 timers was copied ~15% sooner.
   */
  #indexed = false;

  // The lists made when read: own, enumerable accessors (defined in the constructor), so that
  // the board reads, spreads and compares (`toEqual`) as a plain `Board` with these fields does.
  declare readonly loops: Record<LoopId, LoopQueues>;
  declare readonly paused: QueueItem[];
  declare readonly sleeping: SleepEntry[];
  declare readonly net: NetBoard | null;

  constructor() {
    Object.defineProperties(this, {
      loops: { enumerable: true, get: (): Record<LoopId, LoopQueues> => this.#loopViews },
      paused: { enumerable: true, get: (): readonly QueueItem[] => this.#paused.items() },
      sleeping: { enumerable: true, get: (): readonly SleepEntry[] => this.#sleeping.entries() },
      net: { enumerable: true, get: (): NetBoard | null => this.#net },
    });
  }

  /** The first `most` items of the ready queue in view (`readyOf(board).slice(0, most)`), without making the whole list. */
  readyHead(most: number): QueueItem[] {
    const q = this.loop === null ? undefined : this.#loops.get(this.loop);
    return q ? q.ready.head(most) : [];
  }

  /** The first `most` timers of the loop in view, soonest first (`timersOf(board).slice(0, most)`), without making the whole heap. */
  timersHead(most: number): TimerEntry[] {
    const q = this.loop === null ? undefined : this.#loops.get(this.loop);
    return q ? q.timers.head(most) : [];
  }

  /** The first `most` waiting tasks (`board.sleeping.slice(0, most)`), without making the whole list. */
  sleepingHead(most: number): SleepEntry[] {
    return this.#sleeping.head(most);
  }

  /** Applies event `index` of a trace, in place. */
  apply(event: TraceEvent, index: number): void {
    this.step = index;
    this.line = null;
    if (this.blocked && event.kind !== 'clock') this.blocked = null;
    switch (event.kind) {
      case 'line':
        this.line = event.line;
        if (event.task !== null) this.lines[event.task] = event.line;
        break;
      case 'task':
        break;
      case 'rename':
        this.names[event.task] = event.name;
        break;
      case 'push': {
        const q = this.#queues(event.loop);
        this.loop = event.loop;
        this.#pushReady(q, event.loop, event.item);
        this.#recordObjects(event.objects);
        if (event.item.kind === 'task') {
          const task = event.item.task;
          this.#sleeping.removeAll(task);
          if (event.wake !== undefined) this.woken[task] = { wake: event.wake, step: index };
        } else if (event.reason === 'timer') {
          this.#removeTimer(q, event.loop, event.item.callback);
        }
        break;
      }
      case 'pop': {
        const q = this.#queues(event.loop);
        this.loop = event.loop;
        this.#removeReady(q, event.loop, event.item);
        if (!event.cancelled) {
          this.running = event.item;
          this.runningSince = index;
        }
        break;
      }
      case 'eager_start':
        if (event.parent) this.#paused.push(event.parent);
        this.running = { kind: 'task', task: event.task };
        break;
      case 'eager_end': {
        const parent = event.parent;
        if (parent) this.#paused.remove(parent);
        this.running = parent;
        break;
      }
      case 'suspend':
        this.running = null;
        delete this.woken[event.task];
        if (event.frames) this.#recordChain(event.task, event.frames, index);
        this.#recordObjects(event.objects);
        if (event.line !== null) this.lines[event.task] = event.line;
        if (event.wait.kind !== 'yield') {
          const entry: SleepEntry = { task: event.task, wait: event.wait, line: event.line, since: index, sync: event.sync ?? null };
          this.#sleeping.add(event.task, sleepKey(entry), entry);
          if (event.wait.kind === 'sleep') {
            const timer = event.wait.timer;
            const task = event.task;
            for (const loop of this.#loopsHoldingTimer(timer)) this.#loops.get(loop)!.timers.replaceFirst(timer, (found) => ({ ...found, task }));
          }
        }
        break;
      case 'callback_end':
        this.running = null;
        this.#recordObjects(event.objects);
        break;
      case 'done':
        this.#removeTask(event.task);
        delete this.lines[event.task];
        delete this.chains[event.task];
        delete this.woken[event.task];
        this.#recordObjects(event.objects);
        this.done.push({ task: event.task, outcome: event.outcome, text: event.text, line: event.line, step: index });
        break;
      case 'timer': {
        this.#addTimer(this.#queues(event.loop), event.loop, { timer: event.timer, loop: event.loop, when: event.when, task: null });
        break;
      }
      case 'timer_cancel':
        this.#removeTimer(this.#queues(event.loop), event.loop, event.timer);
        break;
      case 'clock':
        this.clock = event.time;
        break;
      case 'output':
        this.outputs++;
        this.#recordObjects(event.objects);
        if (event.frames && this.running?.kind === 'task') this.#recordChain(this.running.task, event.frames, index);
        break;
      case 'loop': {
        const q = this.#queues(event.loop);
        if (event.action === 'run' || event.action === 'new') this.loop = event.loop;
        if (event.action === 'run') q.running = true;
        if (event.action === 'stop') {
          this.running = null;
          q.running = false;
        }
        if (event.action === 'close') {
          q.closed = true;
          q.running = false;
          if (this.#indexed) {
            for (const item of q.ready.items()) if (item.kind === 'task') this.#readyIn.remove(item.task, event.loop);
            for (const timer of q.timers.entries()) this.#timerIn.remove(timer.timer, event.loop);
          }
          q.ready.clear();
          q.timers.clear();
        }
        break;
      }
      case 'block':
        this.line = event.line;
        this.blocked = { seconds: event.seconds, line: event.line, step: index, call: event.call ?? null };
        this.#recordObjects(event.objects);
        if (event.frames && this.running?.kind === 'task') this.#recordChain(this.running.task, event.frames, index);
        break;
      case 'exception':
        this.running = null;
        this.#paused.clear();
        this.end = { kind: 'exception', reason: null, message: exceptionWords(event.type, event.message), line: event.line };
        break;
      case 'limit':
        // What was running when the run was ended stays where it was: a Stop or a limit cut the
        // program short in the middle of that step (the board says so), it did not finish it.
        this.end = { kind: 'limit', reason: event.reason, message: event.message, line: null };
        break;
      case 'net':
        applyNet((this.#net ??= emptyNet()), event, this.clock);
        break;
    }
  }

  /**
   * A board to replay on from a plain one (a `BoardIndex` snapshot, made by `toBoard()`): its
   * indexes built anew, O(entries); nothing shared that either changes in place.
   */
  static from(board: Board): ReplayBoard {
    const copy = new ReplayBoard();
    copy.step = board.step;
    copy.clock = board.clock;
    copy.loop = board.loop;
    copy.running = board.running;
    copy.done = board.done.slice();
    copy.lines = { ...board.lines };
    copy.line = board.line;
    copy.names = { ...board.names };
    copy.outputs = board.outputs;
    copy.end = board.end;
    copy.chains = { ...board.chains };
    copy.objects = { ...board.objects };
    copy.woken = { ...board.woken };
    copy.blocked = board.blocked;
    copy.runningSince = board.runningSince;
    copy.#net = board.net ? cloneNet(board.net) : null;
    for (const [id, q] of Object.entries(board.loops)) {
      const loop = Number(id);
      const state = copy.#queues(loop);
      state.closed = q.closed;
      state.running = q.running;
      for (const item of q.ready) copy.#pushReady(state, loop, item);
      // Soonest first already: added in that order, they keep it (equal deadlines too). Timer
      // entries are never changed in place (a sleeper's task is set on a copy): shared.
      state.timers.expect(q.timers.length);
      for (const t of q.timers) {
        state.timers.addInOrder(t.timer, t.when ?? Infinity, t);
        if (copy.#indexed) copy.#timerIn.add(t.timer, loop);
      }
    }
    for (const item of board.paused) copy.#paused.push(item);
    // Waiting entries are never changed in place: shared, as the array board's copies did.
    copy.#sleeping.expect(board.sleeping.length);
    for (const entry of board.sleeping) copy.#sleeping.addInOrder(entry.task, sleepKey(entry), entry);
    return copy;
  }

  /** A plain `Board` of its own (arrays and records, nothing shared that is changed in place): O(entries). */
  toBoard(): Board {
    const loops: Record<LoopId, LoopQueues> = {};
    for (const [loop, q] of this.#loops) {
      loops[loop] = { ready: q.ready.items().slice(), timers: q.timers.entries().map((t) => ({ ...t })), running: q.running, closed: q.closed };
    }
    return {
      step: this.step,
      clock: this.clock,
      loop: this.loop,
      loops,
      running: this.running,
      paused: this.#paused.items().slice(),
      sleeping: this.#sleeping.entries().slice(),
      done: this.done.slice(),
      lines: { ...this.lines },
      line: this.line,
      names: { ...this.names },
      outputs: this.outputs,
      end: this.end,
      chains: { ...this.chains },
      objects: { ...this.objects },
      woken: { ...this.woken },
      blocked: this.blocked,
      runningSince: this.runningSince,
      net: this.#net ? cloneNet(this.#net) : null,
    };
  }

  /**
   * The entries it holds (tasks done, waiting, lines, chains, objects …): what a copy of it
   * costs, in the same units as replaying a step.
   */
  size(): number {
    let size = this.#paused.size + this.#sleeping.size + this.done.length;
    for (const map of [this.lines, this.names, this.chains, this.objects, this.woken]) {
      for (const _key in map) size++;
    }
    for (const q of this.#loops.values()) size += 1 + q.ready.size + q.timers.size;
    return size + (this.#net ? boardNetSize(this.#net) : 0);
  }

  #addLoop(loop: LoopId, state: LoopState): void {
    this.#loops.set(loop, state);
    this.#loopViews[loop] = loopView(state);
    if (!this.#indexed && this.#loops.size > 1) {
      this.#indexed = true;
      for (const [held, q] of this.#loops) {
        for (const item of q.ready.items()) if (item.kind === 'task') this.#readyIn.add(item.task, held);
        for (const timer of q.timers.entries()) this.#timerIn.add(timer.timer, held);
      }
    }
  }

  /** The loops whose ready queue may hold `task`: with one loop, that loop. */
  #loopsHoldingTask(task: TaskId): Iterable<LoopId> {
    return this.#indexed ? this.#readyIn.loopsOf(task) : this.#loops.keys();
  }

  /** The loops whose timer heap may hold `timer`: with one loop, that loop. */
  #loopsHoldingTimer(timer: HandleId): Iterable<LoopId> {
    return this.#indexed ? this.#timerIn.loopsOf(timer) : this.#loops.keys();
  }

  #queues(loop: LoopId): LoopState {
    let q = this.#loops.get(loop);
    if (!q) {
      q = { ready: new ItemQueue(), timers: new Schedule(), running: false, closed: false };
      this.#addLoop(loop, q);
    }
    return q;
  }

  #pushReady(q: LoopState, loop: LoopId, item: QueueItem): void {
    q.ready.push(item);
    if (this.#indexed && item.kind === 'task') this.#readyIn.add(item.task, loop);
  }

  #addTimer(q: LoopState, loop: LoopId, entry: TimerEntry): void {
    q.timers.add(entry.timer, entry.when ?? Infinity, entry);
    if (this.#indexed) this.#timerIn.add(entry.timer, loop);
  }

  #removeReady(q: LoopState, loop: LoopId, item: QueueItem): void {
    if (q.ready.remove(item) && this.#indexed && item.kind === 'task') this.#readyIn.remove(item.task, loop);
  }

  #removeTimer(q: LoopState, loop: LoopId, timer: HandleId): void {
    const removed = q.timers.removeAll(timer);
    if (removed > 0 && this.#indexed) this.#timerIn.remove(timer, loop, removed);
  }

  /** A finished task leaves every ready queue (its first occurrence in each), the waiting tasks, the paused steps and Running. */
  #removeTask(task: TaskId): void {
    const item: QueueItem = { kind: 'task', task };
    for (const loop of this.#loopsHoldingTask(task)) this.#removeReady(this.#loops.get(loop)!, loop, item);
    this.#sleeping.removeAll(task);
    this.#paused.remove(item);
    if (this.running?.kind === 'task' && this.running.task === task) this.running = null;
  }

  /** A newly recorded chain, each frame's locals filled in from the last record where absent. */
  #recordChain(task: TaskId, frames: readonly Frame[], step: number): void {
    const before = this.chains[task]?.frames;
    this.chains[task] = {
      step,
      frames: frames.map((frame, depth) => {
        if (frame.locals !== undefined) return { ...frame, locals: frame.locals };
        const last = before?.[depth];
        return { ...frame, locals: last && last.name === frame.name ? last.locals : {} };
      }),
    };
  }

  #recordObjects(objects: readonly SyncObject[] | undefined): void {
    if (!objects) return;
    for (const object of objects) this.objects[object.id] = object;
  }
}
