/**
 * What each lane of the loop board shows at one step: a pure function of the board (itself a
 * pure function of the trace and the step) and the Loop internals toggle.
 */
import type { Checkpoint } from '../../shared/lesson';
import type { HandleId, Outcome, QueueItem, SyncObject, TaskId, Trace, Wake } from '../../shared/trace';
import { type Board, readyOf, timersHead, timersOf } from '../../trace/board';
import { callbackLabel, formatClock, MOST_NAMES, taskName, visible, waitOn } from '../../trace/describe';
import { distinctKeys } from './distinct-keys';
import { type NetworkView, networkView } from './network-view';
import type { TraceView } from './trace-view';

/**
 * What must not show while a checkpoint question waits for its answer (the learner predicts
 * first), by kind of question: any open question hides the ready queue's "runs next"; a
 * "which task runs next?" question hides every queue position (the order is the answer); a
 * wake-time question hides every wake-up time and time left on the board (another task's timer
 * can be the answer), and words its task's card as the question.
 */
export interface Hidden {
  /** Hide "head: runs next" on the Ready lane's first card. */
  head: boolean;
  /** Hide the Ready cards' places in the queue ("1st in the queue") and the lane's "head first". */
  queue: boolean;
  /** Hide every wake-up time, time left and timeout on the board (cards and timers). */
  wakeTimes: boolean;
  /** The task a wake-time question asks about: its card says the time is the learner's prediction. */
  wakeOf: TaskId | null;
}

export const NOTHING_HIDDEN: Hidden = { head: false, queue: false, wakeTimes: false, wakeOf: null };

/** What an open question of this kind hides (`wakeOf`: the task a wake-time question asks about). */
export function hiddenFor(kind: Checkpoint['kind'], wakeOf: TaskId | null): Hidden {
  return { head: true, queue: kind === 'next-task', wakeTimes: kind === 'wake-time', wakeOf: kind === 'wake-time' ? wakeOf : null };
}

export const OUTCOME_SYMBOL: Record<Outcome, string> = { result: '✓', exception: '✗', cancelled: '⊘' };

interface CardBase {
  /** Unique across runs and lanes: the crossfade key that lets a card travel between lanes. */
  key: string;
  /** The card's accessible name; begins with the task's (or callback's) name. */
  label: string;
  name: string;
  colour: string;
}

export interface TaskCardModel extends CardBase {
  kind: 'task';
  task: TaskId;
  coro: string;
  /** A short line under the coroutine: what it waits for, how it ended … */
  detail: string;
  /** Second detail line (time left on the clock, a timeout, why it was woken). */
  extra: string;
  outcome: Outcome | null;
  /** In the Waiting lane: on a timer (`sleeping`) or on something else (`waiting`). */
  waits: 'sleeping' | 'waiting' | null;
  /** What is inside the asyncio object it waits on (a Queue's items, a Lock's owner …). */
  object: string;
  /** Why it was woken, when it was woken from a wait and has not waited again. */
  wake: Wake | null;
}

export interface CallbackCardModel extends CardBase {
  kind: 'callback';
  callback: HandleId;
  detail: string;
  extra: string;
  outcome: null;
}

export type CardModel = TaskCardModel | CallbackCardModel;

export interface TimerModel {
  key: string;
  when: string;
  label: string;
  colour: string;
}

export interface ObjectModel {
  key: string;
  /** `Queue shelf`. */
  title: string;
  /** Its state in a few words: `2 of 2: 'apple pie', 'brownie'`, `held by Task-2`. */
  state: string;
  /** The tasks waiting on it, by name, with what they called (`Ada (get)`). */
  waiters: string[];
}

export interface BoardView {
  clock: number;
  running: CardModel[];
  /** What the Running slot says when no card is shown there. */
  idle: string;
  ready: CardModel[];
  /** What the ready queue holds that the Ready lane hides, when it shows no card (null: it shows one, or the queue is empty). */
  readyHidden: HiddenReady | null;
  /** Tasks suspended on a timer (sleeping) or on anything else (waiting). */
  waiting: CardModel[];
  done: CardModel[];
  timers: TimerModel[];
  /** asyncio's Queues, Locks, Events … the program uses (for Loop internals). */
  objects: ObjectModel[];
  /** The Network lane, once the program uses the network (network-view.ts). */
  network: NetworkView | null;
  /** The Ready lane is in queue order, head first (false while an open question hides the order). */
  queueOrder: boolean;
}

/**
 * A lane's cards, each made when it is taken: a lane on screen shows its first few (9 at most
 * until the learner asks for all), and in a long run a lane holds hundreds, whose words cost a
 * far jump more than the rest of the board did.
 */
export interface LaneCards {
  /** How many cards the lane holds. */
  readonly length: number;
  /** Its first `count` cards (every card for a count past the end), made now, with keys a keyed list can take. */
  first(count: number): CardModel[];
}

/**
 * The board as the screen reads it: what `boardView` gives, but each lane's cards made only as
 * far as the lane shows them, and the timers and objects (shown with Loop internals only) made
 * when first read.
 */
export interface BoardLanes extends Omit<BoardView, 'running' | 'ready' | 'waiting' | 'done'> {
  running: LaneCards;
  ready: LaneCards;
  waiting: LaneCards;
  done: LaneCards;
}

function laneCards(length: number, make: (i: number) => CardModel): LaneCards {
  return {
    length,
    first(count: number): CardModel[] {
      const cards: CardModel[] = [];
      for (let i = 0; i < Math.min(count, length); i++) cards.push(make(i));
      // The keys of a lane's first cards do not depend on the cards after them (distinct-keys.ts).
      return distinctKeys(cards);
    },
  };
}

interface TaskCardParts {
  extra?: string;
  outcome?: Outcome | null;
  waits?: 'sleeping' | 'waiting' | null;
  object?: string;
  wake?: Wake | null;
}

function taskCard(view: TraceView, board: Board, task: TaskId, detail: string, parts: TaskCardParts = {}): TaskCardModel {
  const name = taskName(view.trace, task, board);
  const coro = visible(view.trace.tasks[task]?.coro ?? '');
  const extra = parts.extra ?? '';
  const object = parts.object ?? '';
  const words = [name, coro, detail, extra, object].filter(Boolean).join(', ');
  return {
    kind: 'task',
    key: `${view.serial}:t${task}`,
    label: words,
    name,
    colour: view.colour(task),
    task,
    coro,
    detail,
    extra,
    outcome: parts.outcome ?? null,
    waits: parts.waits ?? null,
    object,
    wake: parts.wake ?? null,
  };
}

/** Why a task was woken, on its card: the words say what its await will do. */
export function wakeWords(wake: Wake, line: number | null, awaited: string | null = null): string {
  const at = line === null ? 'at its await' : `at line ${line}`;
  switch (wake) {
    case 'result':
      return 'woken: its wait is over';
    case 'exception':
      if (awaited !== null) return `woken: ${awaited}, which it awaited, failed; the exception is raised ${at}`;
      return `woken: the exception is raised ${at}`;
    case 'cancelled':
      // Not itself cancelled: the task it awaited was, and awaiting it raises CancelledError.
      if (awaited !== null) return `woken: ${awaited}, which it awaited, was cancelled; CancelledError ${at}`;
      return `woken by a cancellation: CancelledError ${at}`;
    case 'timeout':
      return `woken by its timeout: CancelledError ${at}`;
  }
}

/** An asyncio object's state in a few words (`2 of 2: 'apple pie', 'brownie'`). */
export function objectState(trace: Trace, board: Board, object: SyncObject): string {
  const parts: string[] = [];
  if (object.items !== undefined) {
    const size = object.size ?? object.items.length;
    const of = object.maxsize ? ` of ${object.maxsize}` : '';
    const shown = object.items.map(visible).join(', ');
    const more = size > object.items.length ? `, … (${size - object.items.length} more)` : '';
    parts.push(size === 0 ? `empty${object.maxsize ? ` (holds ${object.maxsize})` : ''}` : `${size}${of}: ${shown}${more}`);
    if (object.unfinished !== undefined && object.unfinished > 0) parts.push(`${object.unfinished} not yet task_done()`);
    if (object.shutdown) parts.push('shut down');
  }
  if (object.locked !== undefined) {
    parts.push(object.locked ? `held${object.owner != null ? ` by ${taskName(trace, object.owner, board)}` : ''}` : 'free');
  }
  if (object.set !== undefined) parts.push(object.set ? 'set' : 'not set');
  if (object.value !== undefined) parts.push(`counter ${object.value}`);
  if (object.parties !== undefined) parts.push(`${object.count ?? 0} of ${object.parties} arrived${object.state ? `, ${object.state}` : ''}`);
  return parts.join(' · ');
}

/** An object's name as the program calls it: `Queue shelf`. */
function objectTitle(object: SyncObject): string {
  const label = visible(object.label);
  return label.toLowerCase() === object.type.toLowerCase() ? object.type : `${object.type} ${label}`;
}

function callbackCard(view: TraceView, board: Board, callback: HandleId, detail: string): CallbackCardModel {
  const name = callbackLabel(view.trace, callback);
  const sleeper = view.narrator.timerTask.get(callback);
  const extra = view.userCallback(callback) ? 'your callback' : sleeper !== undefined ? `wakes ${taskName(view.trace, sleeper, board)}` : 'the loop’s own callback';
  return {
    kind: 'callback',
    key: `${view.serial}:c${callback}`,
    label: [name, detail, extra].filter(Boolean).join(', '),
    name,
    colour: sleeper !== undefined ? view.colour(sleeper) : 'var(--internal)',
    callback,
    detail,
    extra,
    outcome: null,
  };
}

/**
 * What the Running slot says when nothing runs and the loop in view is neither closed nor at the
 * program's own top-level code: whether the loop runs at all (between its `run` and `stop`:
 * run_forever, run_until_complete), and if it does, what it does next (BaseEventLoop._run_once,
 * CPython's Lib/asyncio/base_events.py: the head of the ready queue, else it waits for its
 * soonest timer or for a socket).
 */
function idleLoopWords(board: Board, queue: readonly QueueItem[]): string {
  const loop = board.loops[board.loop!];
  if (!loop?.running) return 'Nothing: the loop is not running, so nothing is taken from its ready queue.';
  if (queue.length > 0) return 'Nothing: the loop takes the next item from its ready queue.';
  if (timersHead(board, 1).length > 0) return 'Nothing is ready: the loop waits for its soonest timer.';
  // What else it waits on: a socket (the Network lane shows which), or, in a program that uses no
  // network, something this board does not show (a future set from a callback it never got).
  return board.net !== null ? 'Nothing is ready: the loop waits for the network.' : 'Nothing is ready: the loop waits for something outside it.';
}

/** True when this step put the running `task` back at the back of its ready queue (a `yield` push): its suspend comes next. */
function gaveWay(trace: Trace, board: Board, task: TaskId): boolean {
  const event = board.step >= 0 ? trace.events[board.step] : undefined;
  return event?.kind === 'push' && event.reason === 'yield' && event.item.kind === 'task' && event.item.task === task;
}

/** The Ready lane's words when its queue holds nothing at all. */
export const EMPTY_READY = 'Empty: nothing is ready to run.';

/** What a Ready lane that shows no card holds all the same: the loop's own callbacks, hidden unless Loop internals is on. */
export interface HiddenReady {
  /** How many items the ready queue holds (each hidden). */
  count: number;
  /** Them in words: `Task-2’s wake-up call, which makes it ready`. */
  words: string;
}

/**
 * What a Ready lane showing no card holds, or null when its queue is empty. Most often a
 * sleeper's wake-up call, put there when its timer fired (`BaseEventLoop._run_once`, CPython's
 * Lib/asyncio/base_events.py), which the narration names: "Empty" would contradict it. An open
 * question hides whose it is.
 */
function hiddenReady(view: TraceView, board: Board, queue: readonly QueueItem[], hidden: Hidden): HiddenReady | null {
  const count = queue.length;
  if (count === 0) return null;
  // One pass: how many are asyncio's own tasks, and whether every item is a sleeper's wake-up
  // call (the first two named).
  let tasks = 0;
  let allWakeUps = true;
  const woken: TaskId[] = [];
  for (const q of queue) {
    if (q.kind === 'task') tasks++;
    const sleeper = sleeperWokenBy(view, q);
    if (sleeper === undefined) allWakeUps = false;
    else if (woken.length < 2) woken.push(sleeper);
  }
  const kind = tasks === 0 ? 'of the loop’s own callbacks' : tasks === count ? 'of asyncio’s own tasks' : 'of the loop’s own callbacks and tasks';
  const generic = { count, words: count === 1 ? `one ${kind}` : `${count} ${kind}` };
  if (hidden.queue || hidden.wakeTimes || hidden.wakeOf !== null) return generic;
  const name = (task: TaskId): string => taskName(view.trace, task, board);
  // asyncio's own task (asyncio.run's clean-up, shutdown_asyncgens …): a task, not a callback.
  const first = queue[0]!;
  if (count === 1 && first.kind === 'task') return { count, words: `asyncio’s own task ${name(first.task)}` };
  if (!allWakeUps) return generic;
  const words =
    count === 1
      ? `${name(woken[0]!)}’s wake-up call, which makes it ready`
      : count === 2
        ? `the wake-up calls of ${name(woken[0]!)} and ${name(woken[1]!)}, which make them ready`
        : `${count} wake-up calls, which make their tasks ready`;
  return { count, words };
}

/** The Ready lane's sentence when it shows no card. */
export function readyEmptyWords(hiddenItems: HiddenReady | null): string {
  if (hiddenItems === null) return EMPTY_READY;
  return `No task: ${hiddenItems.words} (see Loop internals).`;
}

/** The task a queue item wakes: a sleeper's wake-up call (its timer's callback), else undefined. */
function sleeperWokenBy(view: TraceView, item: QueueItem): TaskId | undefined {
  return item.kind === 'callback' ? view.narrator.timerTask.get(item.callback) : undefined;
}

function shows(view: TraceView, item: QueueItem, internals: boolean): boolean {
  if (internals) return true;
  return item.kind === 'task' ? !view.internal(item.task) : view.userCallback(item.callback);
}

function seconds(time: number): string {
  return `${formatClock(time)} s`;
}

/** Every card of every lane, and the timers and objects: what a lane holds at one step, in full (the handout, the tests). */
export function boardView(view: TraceView, board: Board, internals: boolean, hidden: Hidden = NOTHING_HIDDEN): BoardView {
  const lanes = boardLanes(view, board, internals, hidden);
  return {
    clock: lanes.clock,
    running: lanes.running.first(Infinity),
    idle: lanes.idle,
    ready: lanes.ready.first(Infinity),
    readyHidden: lanes.readyHidden,
    waiting: lanes.waiting.first(Infinity),
    done: lanes.done.first(Infinity),
    timers: lanes.timers,
    objects: lanes.objects,
    network: lanes.network,
    queueOrder: lanes.queueOrder,
  };
}

/** The board at one step as the screen reads it: each lane's cards made as they are taken (`LaneCards`). */
export function boardLanes(view: TraceView, board: Board, internals: boolean, hidden: Hidden = NOTHING_HIDDEN): BoardLanes {
  const trace = view.trace;
  const running: CardModel[] = [];
  let idle = 'Nothing yet: the program has not started the loop.';
  const queue = readyOf(board);
  /** The task whose end woke the task woken at `pushStep`, by name (null: something else woke it). */
  const awaitedName = (pushStep: number): string | null => {
    const awaited = view.narrator.awaitedBy(pushStep);
    return awaited === null ? null : taskName(trace, awaited, board);
  };
  const item = board.running;
  const waitLine = (task: TaskId): number | null => board.lines[task] ?? null;
  if (item && shows(view, item, internals)) {
    if (item.kind === 'task') {
      const line = board.lines[item.task];
      const woken = board.woken[item.task];
      const blocked = board.blocked;
      // A run ended early (a Stop, a limit) keeps the step it cut short on the board.
      const ended = board.end?.kind === 'limit';
      const doing = ended ? 'was running' : 'running';
      const detail = blocked
        ? `blocked in ${blocked.call === null ? `time.sleep(${formatClock(blocked.seconds)})` : `${blocked.call}, ${formatClock(blocked.seconds)} s`}${blocked.line === null ? '' : ` at line ${blocked.line}`}`
        : line
          ? `${doing} line ${line}`
          : doing;
      let extra = '';
      if (ended) extra = 'when the run was ended';
      else if (blocked) extra = 'the whole thread waits: no task, not even the loop, can run';
      // Said while it is still at the await it was woken at: not for the rest of its step.
      else if (woken && woken.wake !== 'result' && line === view.narrator.waitedAt(woken.step)) extra = `resumed: ${wakeWords(woken.wake, null, awaitedName(woken.step)).replace(/^woken[^:]*: /, '')}`;
      // asyncio.sleep(0): the task put itself back in the ready queue (Task.__step's bare
      // yield, call_soon) and its step ends with the suspend that comes next: one card in two
      // lanes for that one step, said.
      else if (gaveWay(trace, board, item.task)) extra = 'gives way: already back in the ready queue, its step ends here';
      running.push(taskCard(view, board, item.task, detail, { extra, wake: woken?.wake ?? null }));
    } else {
      running.push(callbackCard(view, board, item.callback, board.end?.kind === 'limit' ? 'was running when the run was ended' : 'running'));
    }
  } else if (item) {
    idle = 'The loop runs its own bookkeeping (turn on Loop internals to see it).';
  } else if (board.end?.kind === 'limit') {
    // Not "ended": a Stop or a limit ended it, and the banner says which.
    idle = 'Nothing: the run was ended early.';
  } else if (board.end || board.step === trace.events.length - 1) {
    idle = 'Nothing: the program has ended.';
  } else if (board.loop !== null && board.loops[board.loop]?.closed) {
    idle = 'Nothing: the loop is closed.';
  } else if (board.line !== null && board.step >= 0 && trace.events[board.step]?.kind === 'line') {
    idle = 'Nothing in the loop: the program’s own top-level code runs.';
  } else if (board.loop !== null) {
    idle = idleLoopWords(board, queue);
  }
  running.push(...pausedCards(view, board, internals));

  // Each shown queue item with its place in the whole queue (a hidden item ahead still counts).
  const places: number[] = [];
  queue.forEach((q, position) => {
    if (shows(view, q, internals)) places.push(position);
  });
  // The sleepers whose timer has fired: their wake-up call is in the ready queue, shown or not.
  // Made when a card first asks (a sleeper due by now), once per board: the queue may be long.
  let wakeUpQueued: Set<TaskId> | null = null;
  const wakeUpRunning = board.running ? sleeperWokenBy(view, board.running) : undefined;
  const wakeUpIsQueued = (task: TaskId): boolean => {
    if (wakeUpQueued === null) {
      wakeUpQueued = new Set();
      for (const q of queue) {
        const sleeper = sleeperWokenBy(view, q);
        if (sleeper !== undefined) wakeUpQueued.add(sleeper);
      }
    }
    return wakeUpQueued.has(task);
  };
  const readyCard = (i: number): CardModel => {
    const position = places[i]!;
    const q = queue[position]!;
    // Items the lane hides (the loop's own) still stand ahead of this one: said, so that a lone
    // card's "3rd in the queue" does not read as a miscount.
    const hiddenAhead = position - i;
    const detail = hidden.queue
      ? 'in the queue'
      : position === 0
        ? hidden.head
          ? '1st in the queue'
          : 'head: runs next'
        : `${ordinal(position + 1)} in the queue${hiddenAhead === 0 ? '' : hiddenAhead === 1 ? ', behind one of the loop’s own items' : `, behind ${hiddenAhead} of the loop’s own items`}`;
    if (q.kind === 'task') {
      const woken = board.woken[q.task];
      return taskCard(view, board, q.task, detail, { extra: woken ? wakeWords(woken.wake, waitLine(q.task), awaitedName(woken.step)) : '', wake: woken?.wake ?? null });
    }
    return callbackCard(view, board, q.callback, detail);
  };

  const sleepers = internals ? board.sleeping : board.sleeping.filter((s) => !view.internal(s.task));
  const waitingCard = (i: number): CardModel => {
    const s = sleepers[i]!;
    const wait = s.wait;
    const asked = hidden.wakeOf === s.task;
    const secret = asked || hidden.wakeTimes;
    let detail: string;
    let extra = '';
    if (wait.kind === 'sleep') {
      if (asked) detail = 'sleeps on a timer (when does it wake? your prediction)';
      else if (secret) detail = wait.until === null ? 'sleeps forever' : 'sleeps on a timer';
      else detail = wait.until === null ? 'sleeps forever' : `sleeps until ${seconds(wait.until)}`;
      if (wait.until !== null && !secret) {
        if (wakeUpRunning === s.task) extra = 'timer fired: its wake-up call runs now';
        else if (wait.until <= board.clock + EPSILON && wakeUpIsQueued(s.task)) extra = 'timer fired: its wake-up call is in the ready queue';
        else extra = timeLeft(wait.until, board.clock);
      }
    } else {
      detail = `waits for ${waitOn(trace, wait, board, s.task)}`;
      if (wait.kind === 'net') extra = visible(wait.call);
    }
    if (wait.deadline !== undefined && !secret) {
      extra = [extra, `timeout at ${seconds(wait.deadline)}`].filter(Boolean).join(' · ');
    }
    const object = s.sync === null ? undefined : board.objects[s.sync];
    return taskCard(view, board, s.task, object && wait.kind === 'sync' ? `${detail} on ${visible(object.label)}` : detail, {
      extra,
      waits: wait.kind === 'sleep' ? 'sleeping' : 'waiting',
      object: object ? `${objectTitle(object)}: ${objectState(trace, board, object)}` : '',
    });
  };

  const finished = internals ? board.done : board.done.filter((d) => !view.internal(d.task));
  const doneCard = (i: number): CardModel => {
    const d = finished[i]!;
    const detail =
      d.outcome === 'result' ? `returned ${visible(d.text)}` : d.outcome === 'exception' ? `raised ${visible(d.text)}` : 'cancelled';
    return taskCard(view, board, d.task, detail, { outcome: d.outcome });
  };

  let timers: TimerModel[] | null = null;
  let objects: ObjectModel[] | null = null;
  return {
    clock: board.clock,
    running: laneCards(running.length, (i) => running[i]!),
    idle,
    ready: laneCards(places.length, readyCard),
    readyHidden: places.length === 0 ? hiddenReady(view, board, queue, hidden) : null,
    waiting: laneCards(sleepers.length, waitingCard),
    done: laneCards(finished.length, doneCard),
    get timers(): TimerModel[] {
      return (timers ??= timerModels(view, board, hidden));
    },
    get objects(): ObjectModel[] {
      return (objects ??= objectModels(view, board, internals));
    },
    network: networkView(view, board, internals),
    queueOrder: !hidden.queue,
  };
}

/** The loop's timers, soonest first (Loop internals). */
function timerModels(view: TraceView, board: Board, hidden: Hidden): TimerModel[] {
  const trace = view.trace;
  const timers: TimerModel[] = timersOf(board).map((t) => {
    const sleeper = t.task ?? view.narrator.timerTask.get(t.timer) ?? null;
    const label = view.userCallback(t.timer)
      ? `calls ${callbackLabel(trace, t.timer)}()`
      : sleeper !== null
        ? `wakes ${taskName(trace, sleeper, board)}`
        : callbackLabel(trace, t.timer);
    const secret = hidden.wakeTimes || (sleeper !== null && sleeper === hidden.wakeOf);
    const overdue = t.when !== null && !secret && t.when < board.clock - EPSILON ? ` (overdue: due ${seconds(board.clock - t.when)} ago)` : '';
    return {
      key: `${view.serial}:h${t.timer}`,
      when: secret ? '?' : t.when === null ? 'never' : seconds(t.when),
      label: label + overdue,
      colour: sleeper !== null ? view.colour(sleeper) : 'var(--internal)',
    };
  });

  // Keys a keyed list can take, whatever a trace file holds (distinct-keys.ts).
  return distinctKeys(timers);
}

/** asyncio's objects the program uses, with the tasks waiting on each (Loop internals). */
function objectModels(view: TraceView, board: Board, internals: boolean): ObjectModel[] {
  const trace = view.trace;
  // Each object's waiters, in the order of the waiting tasks: one pass over them, not one per object.
  const waiters = new Map<number, string[]>();
  for (const s of board.sleeping) {
    if (s.sync === null || (!internals && view.internal(s.task))) continue;
    const words = `${taskName(trace, s.task, board)}${s.wait.kind === 'sync' ? ` (${s.wait.method})` : ''}`;
    const list = waiters.get(s.sync);
    if (list) list.push(words);
    else waiters.set(s.sync, [words]);
  }
  const objects: ObjectModel[] = Object.values(board.objects).map((object) => ({
    key: `${view.serial}:o${object.id}`,
    title: objectTitle(object),
    state: objectState(trace, board, object),
    waiters: waiters.get(object.id) ?? [],
  }));
  return distinctKeys(objects);
}

/** Virtual clock readings closer than this are the same moment. */
const EPSILON = 1e-9;

/** "0.3 s left", or for a timer the loop could not serve in time, "overdue: due 0.4 s ago". */
export function timeLeft(until: number, clock: number): string {
  if (until < clock - EPSILON) return `overdue: due ${seconds(clock - until)} ago`;
  return `${seconds(Math.max(0, until - clock))} left`;
}

/**
 * The steps an eager task's first step runs inside: still in the Running lane, set aside
 * until that first step is over (innermost first, under the card that runs).
 */
function pausedCards(view: TraceView, board: Board, internals: boolean): CardModel[] {
  const eager = board.running?.kind === 'task' ? taskName(view.trace, board.running.task, board) : 'a new task';
  const detail = `paused while ${eager} takes its first step`;
  return board.paused
    .filter((item) => shows(view, item, internals))
    .reverse()
    .map((item) => (item.kind === 'task' ? taskCard(view, board, item.task, detail) : callbackCard(view, board, item.callback, detail)));
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

export interface LineMark {
  line: number;
  colour: string;
  /** A few characters for the gutter: the task's name. */
  label: string;
  /** The full story, for the tooltip: "Task-2 (task1()) sleeping". */
  title: string;
  /** An outer frame of a task's await chain: the line where it awaits the frame inside it. */
  outer?: boolean;
}

export interface CodeMarks {
  /** The line running now (a task's, a callback's or the top level's). */
  running: LineMark | null;
  /** Each waiting task's line, in its colour: at most MARKS_PER_LINE on one line. */
  waiting: LineMark[];
  /** Line number -> how many more waiting tasks' marks that line had, left out of `waiting`. */
  more: ReadonlyMap<number, number>;
}

/**
 * The most marks `codeMarks` makes for one line: the code pane names one in its gutter and at
 * most MOST_NAMES more in the "+N" chip's tooltip, and counts the rest. 24,000 tasks waiting on
 * one line made 24,000 marks, each with its sentence, at every step: 126 ms a step (a reviewer's,
 * helper-137).
 */
export const MARKS_PER_LINE = 1 + MOST_NAMES;

/** The code pane's marks at one step. */
export function codeMarks(view: TraceView, board: Board, internals: boolean): CodeMarks {
  const trace = view.trace;
  let running: LineMark | null = null;
  const item = board.running;
  if (item?.kind === 'task') {
    const line = board.line ?? board.lines[item.task];
    if (line !== undefined) {
      const name = taskName(trace, item.task, board);
      running = { line, colour: view.colour(item.task), label: `▶ ${name}`, title: `${view.narrator.task(item.task, board)} runs this line` };
    }
  } else if (board.line !== null) {
    const event = trace.events[board.step];
    const callback = event?.kind === 'line' ? event.callback : null;
    const name = callback !== null ? `${callbackLabel(trace, callback)}()` : 'the program';
    // Top-level code, as the Running lane calls it ("the program's own top-level code runs"):
    // "▶ main" read as a main() coroutine's in lessons that have one (a newcomer), and "▶ program"
    // was cut to "▶ prog…" in the gutter at 1280 px.
    running = {
      line: board.line,
      colour: 'var(--fg)',
      label: `▶ ${callback !== null ? name : 'top'}`,
      title: callback !== null ? `${name} runs this line` : 'the program runs this line, at its top level (outside the event loop)',
    };
  }
  const waiting: LineMark[] = [];
  const kept = new Map<number, number>();
  const more = new Map<number, number>();
  if (running) kept.set(running.line, 1);
  /** True when `line` has room for one more mark; else counts it among the line's `more`. */
  const room = (line: number): boolean => {
    const n = kept.get(line) ?? 0;
    if (n < MARKS_PER_LINE) {
      kept.set(line, n + 1);
      return true;
    }
    more.set(line, (more.get(line) ?? 0) + 1);
    return false;
  };
  const sleeping = new Set(board.sleeping.map((s) => s.task));
  const pausedTasks = new Set(board.paused.flatMap((p) => (p.kind === 'task' ? [p.task] : [])));
  for (const id in board.lines) {
    const task = Number(id);
    const line = board.lines[task]!;
    if (!internals && view.internal(task)) continue;
    const isRunning = item?.kind === 'task' && item.task === task;
    if (!isRunning && room(line)) {
      const paused = pausedTasks.has(task);
      const state = sleeping.has(task) ? 'waits here' : paused ? 'is paused here while a task it made takes its first step' : 'is ready to go on from here';
      waiting.push({ line, colour: view.colour(task), label: taskName(trace, task, board), title: `${view.narrator.task(task, board)} ${state}` });
    }
    outerMarks(view, board, task, isRunning, room, waiting);
  }
  return { running, waiting, more };
}

/**
 * The outer frames of a task's await chain (every learner frame but the innermost), added to
 * `out` where their line has `room`: `main` at line 24 while `baker` waits at line 5. For the
 * running task only a chain recorded during this run of it is used (an older one may name a
 * coroutine that has returned since).
 */
function outerMarks(view: TraceView, board: Board, task: TaskId, running: boolean, room: (line: number) => boolean, out: LineMark[]): void {
  const chain = board.chains[task];
  if (!chain || (running && chain.step < board.runningSince)) return;
  // The learner's frames with a line, outermost first: each but the innermost awaits the next.
  // Walked in place, not filtered into a list: a step with 20,000 waiting tasks made one per task.
  let outer: (typeof chain.frames)[number] | null = null;
  for (const frame of chain.frames) {
    if (!frame.user || frame.line === null) continue;
    if (outer !== null && room(outer.line!)) {
      const name = taskName(view.trace, task, board);
      out.push({
        line: outer.line!,
        colour: view.colour(task),
        label: `${name} ↳`,
        title: `${view.narrator.task(task, board)}: ${visible(outer.name)}() awaits ${visible(frame.name)}() here`,
        outer: true,
      });
    }
    outer = frame;
  }
}

export interface FrameModel {
  /** `main()`, `Queue.get()`. */
  name: string;
  /** null: asyncio's frame (it has no line of the learner's), or a frame not recorded yet. */
  line: number | null;
  /** The learner's own code (asyncio's frames are named only). */
  user: boolean;
  /**
   * It was recorded (the task paused or printed since it began). False for a task running its
   * first lines: only its coroutine is known, not which of its frames a line is in (the note
   * says where it runs), and `locals` is empty for want of a record, not of variables.
   */
  recorded: boolean;
  locals: readonly (readonly [string, string])[];
}

/** What the inspector shows of one task: its await chain, outermost first, with its locals. */
export interface InspectorModel {
  task: TaskId;
  /** `Task-1 (main())`. */
  title: string;
  colour: string;
  /** Where the task is: running, waiting, ready … */
  state: string;
  frames: FrameModel[];
  /** When the chain was recorded, in words; empty when it is the task's state at this very step. */
  note: string;
}

/**
 * The inspector for one task at this step, or null when the task has no recorded chain and is
 * not running (it has not run yet, or it is done); a running task with none yet shows where it
 * is, without variables. The chain is recorded when the task suspends and when it prints
 * (src/runtime/python/_looplab/inside.py), not at every line: for the running task it can be a
 * few lines old, and the note says so.
 */
export function inspectTask(view: TraceView, board: Board, task: TaskId): InspectorModel | null {
  const chain = board.chains[task];
  const title = view.narrator.task(task, board);
  const running = board.running?.kind === 'task' && board.running.task === task;
  const waiting = board.sleeping.find((s) => s.task === task);
  const state = running ? 'running' : waiting ? (waiting.wait.kind === 'sleep' ? 'sleeping' : 'waiting') : 'ready';
  if (!chain) {
    if (!running) return null;
    // Running its first lines, before its first pause or print: nothing recorded yet but its
    // coroutine, and where it runs. Never a blank inspector for the running task. The line is
    // not given to the coroutine's frame: it may be in a coroutine it awaits (main() awaiting
    // baker() runs baker's line 6, which main() "line 6" misstated: a newcomer's finding).
    const line = board.lines[task] ?? board.line;
    const where = line === null ? 'Starting' : `Running line ${line}`;
    return {
      task,
      title,
      colour: view.colour(task),
      state,
      frames: [{ name: visible(view.trace.tasks[task]?.coro ?? ''), line: null, user: true, recorded: false, locals: [] }],
      note: `${where}; its await chain and variables are recorded when it first pauses or prints.`,
    };
  }
  let note = '';
  if (running && chain.step < board.runningSince) note = `As it was when it last paused (step ${chain.step + 1}); it has run since.`;
  else if (running && chain.step < board.step) note = `As it was at step ${chain.step + 1}, when it last printed; its running line is marked in the code.`;
  else if (!running) note = `Stopped here since step ${chain.step + 1}.`;
  return {
    task,
    title,
    colour: view.colour(task),
    state,
    frames: chain.frames.map((f) => ({
      name: `${visible(f.name)}()`,
      line: f.line,
      user: f.user,
      recorded: true,
      locals: Object.entries(f.locals).map(([k, v]) => [visible(k), visible(v)] as const),
    })),
    note,
  };
}
