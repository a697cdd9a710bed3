/**
 * The board at step i: where every task stands (Running, Ready, Waiting, Done), the timers,
 * the clock, the line each task is on, each task's await chain and locals as last recorded,
 * and what is inside the asyncio objects the program uses. A pure function of the trace and i, so stepping
 * back is exact and any step opens directly; `BoardIndex` keeps a snapshot every few hundred
 * steps (further apart while the board is large) so that opening step 99,999 of a long trace
 * replays at most that few events. Events are applied by `ReplayBoard` (board-replay.ts), over
 * indexed ready queues, timer heaps and waiting tasks: one event costs O(log board) at most,
 * not O(board), so a trace of 50,000 tasks or timers builds its index in about a second or less
 * (bench/board-cost.ts).
 */
import type { Frame, HandleId, LimitReason, LoopId, Outcome, QueueItem, SyncObject, TaskId, Trace, TraceEvent, Wait, Wake } from '../shared/trace';
import type { NetBoard } from './board-net';
import { ReplayBoard } from './board-replay';
import { buildNow, type TraceBuilder } from './pass';

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
  /** Between the loop's `run` and its `stop`: it takes items from its ready queue (run_forever, run_until_complete). */
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

/**
 * The first `most` items of the ready queue in view, head first: `readyOf(board).slice(0, most)`,
 * in O(most) for a board being replayed (boardSteps), where the whole list costs O(queue).
 */
export function readyHead(board: Board, most: number): readonly QueueItem[] {
  return board instanceof ReplayBoard ? board.readyHead(most) : readyOf(board).slice(0, most);
}

/** The first `most` waiting tasks: `board.sleeping.slice(0, most)`, in O(most log most) for a board being replayed. */
export function sleepingHead(board: Board, most: number): readonly SleepEntry[] {
  return board instanceof ReplayBoard ? board.sleepingHead(most) : board.sleeping.slice(0, most);
}

/** The timer heap of the loop in view, soonest first. */
export function timersOf(board: Board): readonly TimerEntry[] {
  return board.loop === null ? [] : (board.loops[board.loop]?.timers ?? []);
}

/** The first `most` timers of the loop in view: `timersOf(board).slice(0, most)`, in O(most) for a board being replayed. */
export function timersHead(board: Board, most: number): readonly TimerEntry[] {
  return board instanceof ReplayBoard ? board.timersHead(most) : timersOf(board).slice(0, most);
}

/** A snapshot of the board and the event it was taken after (-1: before the first). */
interface Snapshot {
  after: number;
  /** A plain board (arrays, records): cheap to make, and rebuilt into a `ReplayBoard` only when opened. */
  board: Board;
}

/** Random access to the board at any step of one trace. */
export class BoardIndex {
  private readonly snapshots: Snapshot[];
  /**
   * The board last opened, and the step it is at: the next `at` of a later step between the
   * same two snapshots (playing forward, stepping, the same step again) replays on from it,
   * rather than rebuilding a snapshot's indexes (O(board)) and replaying up to a snapshot's gap.
   */
  private opened: { board: ReplayBoard; after: number } | null = null;

  /** Builds the index now; `BoardIndex.builder` builds it as part of a shared, sliced pass. */
  constructor(
    readonly trace: Trace,
    private readonly every = 256,
    snapshots?: Snapshot[],
  ) {
    this.snapshots = snapshots ?? buildNow(trace, BoardIndex.snapshotter(every));
  }

  static builder(trace: Trace, every = 256): TraceBuilder<BoardIndex> {
    const snapshots = BoardIndex.snapshotter(every);
    return {
      visit: snapshots.visit,
      finish: () => new BoardIndex(trace, every, snapshots.finish()),
    };
  }

  /**
   * A snapshot every `every` events, or further apart while the board is large: the next one
   * is at least a quarter as many events away as the last one held entries. So copying costs at
   * most about four replays of the whole trace, however large the board grows (a forged trace
   * with 300,000 asyncio objects took 4.4 GB with a copy every 256 events), and reaching any
   * step replays at most max(`every`, a quarter of the board's size) events. A board of up to
   * 1,024 entries (200 tasks' lines, chains and ends) is copied every `every` events, as before.
   */
  private static snapshotter(every: number): TraceBuilder<Snapshot[]> {
    const board = new ReplayBoard();
    const snapshots: Snapshot[] = [{ after: -1, board: board.toBoard() }];
    let gap = every;
    let last = -1;
    return {
      visit(event, index) {
        board.apply(event, index);
        if ((index + 1) % every === 0 && index - last >= gap) {
          snapshots.push({ after: index, board: board.toBoard() });
          last = index;
          gap = Math.max(every, board.size() / 4);
        }
      },
      finish: () => snapshots,
    };
  }

  /** Number of steps (events) in the trace. */
  get length(): number {
    return this.trace.events.length;
  }

  /** The board after event `step` (-1: before the first event). */
  at(step: number): Board {
    const last = this.trace.events.length - 1;
    const target = Math.max(-1, Math.min(step, last));
    // The last snapshot taken at or before the target (they are in order of `after`).
    let low = 0;
    let high = this.snapshots.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (this.snapshots[middle]!.after <= target) low = middle;
      else high = middle - 1;
    }
    const snapshot = this.snapshots[low]!;
    const opened = this.opened;
    const from = opened && opened.after >= snapshot.after && opened.after <= target ? opened : { board: ReplayBoard.from(snapshot.board), after: snapshot.after };
    for (let i = from.after + 1; i <= target; i++) from.board.apply(this.trace.events[i]!, i);
    from.after = target;
    this.opened = from;
    return from.board.toBoard();
  }
}

/**
 * The board after each event of a trace, in order, one event at a time: the same Board object
 * each time, changed in place (copy what must outlive the next step). For readers that stop
 * between steps, such as `loop-lab trace` writing to a slow pipe.
 */
export function* boardSteps(trace: Trace): Generator<{ board: ReplayBoard; event: TraceEvent; index: number }> {
  const board = new ReplayBoard();
  for (let index = 0; index < trace.events.length; index++) {
    const event = trace.events[index]!;
    board.apply(event, index);
    yield { board, event, index };
  }
}

/** Replays a whole trace; calls `visit` with the board after each event (the same object). */
export function replay(trace: Trace, visit: (board: ReplayBoard, event: TraceEvent, index: number) => void): ReplayBoard {
  let last: ReplayBoard | null = null;
  for (const { board, event, index } of boardSteps(trace)) {
    visit(board, event, index);
    last = board;
  }
  return last ?? new ReplayBoard();
}
