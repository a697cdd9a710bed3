/**
 * One plain sentence per step saying what the loop just did, for the player's narration and
 * its live region: "The loop takes Task-2 (task1()) from the head of the ready queue and runs
 * it." A pure function of the trace and the step: `Narrator` reads the trace once (which
 * timer belongs to which task, when a task first runs …) and then answers for any step.
 */
import type { HandleId, QueueItem, TaskId, Trace, TraceEvent, Wait, Wake } from '../shared/trace';
import { type Board, timersOf } from './board';
import { buildNow, type TraceBuilder } from './pass';
import { callbackLabel, exceptionWords, formatClock, MOST_NAMES, taskName, visible, waitOn } from './describe';
import { limitNarration } from './limit-words';
import { madeForConnection, netSentence, netWaitSentence, serverTaskPurpose } from './net-words';

/** Longest quoted text (printed output, a line of code) a sentence carries. */
const QUOTE_MAX = 48;

function clip(text: string, max = QUOTE_MAX): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Virtual clock readings closer than this (seconds) are the same moment. */
const SAME_MOMENT = 1e-9;

function seconds(time: number | null): string {
  return time === null ? 'never' : `${formatClock(time)} s`;
}

function list(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** True for the tasks asyncio itself creates (asyncio.run's clean-up), not the learner. */
export function isInternalTask(trace: Trace, task: TaskId): boolean {
  return trace.tasks[task]?.internal === true;
}

/** The wait a task was stopped at: what it waited for, the learner's line, the asyncio object. */
interface WaitContext {
  wait: Wait;
  line: number | null;
  sync: number | null;
}

export class Narrator {
  /** Timer (handle) id -> the task sleeping on it. */
  readonly timerTask = new Map<HandleId, TaskId>();
  /** Timer id -> its deadline. */
  private readonly timerWhen = new Map<HandleId, number | null>();
  /** Steps at which a task is taken from the queue for the first time. */
  private readonly firstRun = new Set<number>();
  /** Step of a `clock` event -> the clock just before it. */
  private readonly clockBefore = new Map<number, number>();
  /** Step of a `timer` event -> the task that set it (the one running then), if any. */
  private readonly timerSetter = new Map<number, TaskId>();
  /** Step of a woken task's `push` -> the wait it was woken from. */
  private readonly wokenFrom = new Map<number, WaitContext>();
  private readonly lines: string[];

  /** The learner's line a task woken at `pushStep` waited at (where it resumes), or null. */
  waitedAt(pushStep: number): number | null {
    return this.wokenFrom.get(pushStep)?.line ?? null;
  }

  /**
   * The task a task woken at `pushStep` was awaiting (`await task`, or wait_for on a task), or
   * null: the one whose cancellation or exception woke it, when that is what woke it.
   */
  awaitedBy(pushStep: number): TaskId | null {
    const wait = this.wokenFrom.get(pushStep)?.wait;
    if (wait?.kind === 'task') return wait.task;
    if (wait?.kind === 'wait_for') return wait.task;
    return null;
  }

  /**
   * Builds the narrator now, or, with `learn: 'later'`, leaves its pass over the events to
   * `Narrator.builder` (a shared, sliced pass).
   */
  constructor(
    readonly trace: Trace,
    learn: 'now' | 'later' = 'now',
  ) {
    this.lines = trace.source.split(/\r\n|\r|\n/);
    if (learn === 'now') buildNow(trace, this.learner());
  }

  static builder(trace: Trace): TraceBuilder<Narrator> {
    const narrator = new Narrator(trace, 'later');
    const learner = narrator.learner();
    return { visit: learner.visit, finish: () => narrator };
  }

  /** What the narrator learns from each event, in one pass over the trace. */
  private learner(): TraceBuilder<void> {
    const started = new Set<TaskId>();
    const waits = new Map<TaskId, WaitContext>();
    let clock = 0;
    let running: TaskId | null = null;
    return {
      finish: () => undefined,
      visit: (event, i) => {
        switch (event.kind) {
          case 'suspend':
            if (event.wait.kind === 'sleep') this.timerTask.set(event.wait.timer, event.task);
            waits.set(event.task, { wait: event.wait, line: event.line, sync: event.sync ?? null });
            running = null;
            break;
          case 'push': {
            const woken = event.item.kind === 'task' ? waits.get(event.item.task) : undefined;
            if (woken && event.wake !== undefined) this.wokenFrom.set(i, woken);
            break;
          }
          case 'timer':
            this.timerWhen.set(event.timer, event.when);
            if (running !== null) this.timerSetter.set(i, running);
            break;
          case 'pop':
            if (event.item.kind === 'task' && !event.cancelled) {
              running = event.item.task;
              if (!started.has(event.item.task)) {
                started.add(event.item.task);
                this.firstRun.add(i);
              }
            } else {
              running = null;
            }
            break;
          case 'eager_start':
            // Its first step is this one: a later pop of it is not its first run.
            started.add(event.task);
            running = event.task;
            break;
          case 'eager_end':
            running = event.parent?.kind === 'task' ? event.parent.task : null;
            break;
          case 'done':
          case 'callback_end':
            running = null;
            break;
          case 'clock':
            this.clockBefore.set(i, clock);
            clock = event.time;
            break;
          default:
            break;
        }
      },
    };
  }

  /**
   * The sentence for step `step` (-1: before the first event); `board` is the board after it.
   * `secret`: a task whose wake-up time a question asks for (the sentence does not tell it).
   */
  narrate(step: number, board: Board, secret: TaskId | null = null): string {
    // Whatever the program named (a coroutine's arguments, a task's new name, a Future's or an
    // asyncio object's label, an exception's words, what it printed) reaches the sentence: its
    // direction controls are made visible here, once for every sentence, as the console and the
    // cards show them (a reviewer's: print("total: \u202e01$") read backwards).
    return visible(this.words(step, board, secret));
  }

  private words(step: number, board: Board, secret: TaskId | null): string {
    if (step < 0) return 'Nothing has run yet. Press Play or Step forward to start.';
    const event = this.trace.events[step];
    if (!event) return 'The program has ended.';
    if (secret !== null && event.kind === 'suspend' && event.task === secret && event.wait.kind === 'sleep') {
      return `${this.task(event.task, board)} awaits asyncio.sleep(): it sleeps on a timer and hands control back to the loop.`;
    }
    if (secret !== null && event.kind === 'timer' && this.timerSetter.get(step) === secret) {
      return `${taskName(this.trace, secret, board)} sets a timer.`;
    }
    return this.sentence(event, step, board);
  }

  /** A task as a sentence names it: `Task-2 (task1())`. */
  task(task: TaskId, board?: Board): string {
    const info = this.trace.tasks[task];
    const name = taskName(this.trace, task, board);
    return info ? `${name} (${info.coro})` : name;
  }

  private code(line: number): string {
    const text = this.lines[line - 1];
    return text === undefined ? '' : clip(text, 60);
  }

  private callback(callback: HandleId): string {
    const info = this.trace.callbacks[callback];
    const sleeper = this.timerTask.get(callback);
    if (info && !info.user && sleeper !== undefined) return `${taskName(this.trace, sleeper)}’s wake-up call`;
    const label = callbackLabel(this.trace, callback);
    return info?.user ? `the callback ${label}()` : `the loop’s own callback ${label}`;
  }

  private item(item: QueueItem, board: Board): string {
    return item.kind === 'task' ? this.task(item.task, board) : this.callback(item.callback);
  }

  private wait(wait: Wait, board: Board, waiter: TaskId, sync: number | null = null): string {
    // At most MOST_NAMES of them (describe.ts): 24,000 tasks of 4,096-character names, gathered
    // once, made a sentence of 98 million characters (a reviewer's, helper-137).
    const names = (tasks: readonly TaskId[]): string => {
      const shown = tasks.slice(0, MOST_NAMES).map((t) => taskName(this.trace, t, board));
      return tasks.length > MOST_NAMES ? `${shown.join(', ')} and ${tasks.length - MOST_NAMES} more` : list(shown);
    };
    switch (wait.kind) {
      case 'yield':
        return 'nothing: it gave way with asyncio.sleep(0) and is already back in the ready queue';
      case 'sleep':
        return wait.until === null ? 'a timer that never fires' : `its timer, which fires at ${seconds(wait.until)} on the virtual clock`;
      case 'task':
        return `${taskName(this.trace, wait.task, board)} to finish`;
      case 'gather':
        return `gather(${names(wait.tasks)}): all of them to finish`;
      case 'wait':
        return `asyncio.wait() on ${names(wait.tasks)}`;
      case 'as_completed':
        return `as_completed(): the next of ${names(wait.tasks)} to finish`;
      case 'taskgroup': {
        // A task of the group may have finished already: the group hears of it only when the
        // task's done callback runs (TaskGroup._on_task_done, CPython's Lib/asyncio/taskgroups.py).
        const named = wait.tasks.slice(0, MOST_NAMES);
        const finished = named.filter((t) => board.done.some((d) => d.task === t));
        if (finished.length === 0) return `its TaskGroup’s tasks (${names(wait.tasks)}) to finish`;
        const done = `${list(finished.map((t) => taskName(this.trace, t, board)))} ${finished.length === 1 ? 'has' : 'have'}`;
        if (finished.length === wait.tasks.length) return `its TaskGroup to hear that ${done} finished (through ${finished.length === 1 ? 'a done callback' : 'done callbacks'} still to run)`;
        return `its TaskGroup’s tasks (${names(wait.tasks)}) to finish (${done}, and the group has yet to hear of it)`;
      }
      case 'wait_for':
        return wait.task === null ? 'wait_for() to finish' : `wait_for() on ${taskName(this.trace, wait.task, board)}`;
      case 'sync': {
        const object = sync === null ? undefined : board.objects[sync];
        const call = `${wait.primitive}.${wait.method}()${object ? ` on ${object.label}` : ''}`;
        if (wait.holder === undefined) return call;
        if (wait.holder === waiter) return `${call}: the ${wait.primitive} it already holds itself`;
        return `${call}: ${taskName(this.trace, wait.holder, board)} holds the ${wait.primitive}`;
      }
      case 'future':
        return `a Future (${wait.label})`;
      case 'net':
        return netWaitSentence(wait, board.net);
    }
  }

  private sentence(event: TraceEvent, step: number, board: Board): string {
    const trace = this.trace;
    switch (event.kind) {
      case 'line': {
        const code = this.code(event.line);
        const what = code ? `line ${event.line}: ${code}` : `line ${event.line}`;
        if (event.task !== null) return `${this.task(event.task, board)} runs ${what}`;
        if (event.callback !== null) return `The callback ${callbackLabel(trace, event.callback)}() runs ${what}`;
        return `The program runs ${what} (outside the event loop)`;
      }
      case 'task': {
        const info = trace.tasks[event.task];
        const name = taskName(trace, event.task, board);
        if (!info) return `${name} is created.`;
        if (isInternalTask(trace, event.task)) {
          return `asyncio creates ${name} ${serverTaskPurpose(info.coro) ?? 'to clean up before the loop closes'} (${info.coro}).`;
        }
        if (info.creator === null && madeForConnection(trace, board)) {
          return `The server creates ${name} to run ${info.coro} for its new connection: start_server runs the handler in a task of its own for each client.`;
        }
        return info.creator === null
          ? `The program creates ${name} to run ${info.coro}.`
          : `${this.task(info.creator, board)} creates ${name} to run ${info.coro}.`;
      }
      case 'rename':
        return `${trace.tasks[event.task]?.name ?? `Task #${event.task}`} is renamed ${event.name}.`;
      case 'push':
        return this.push(event, step, board);
      case 'pop': {
        const what = this.item(event.item, board);
        if (event.cancelled) {
          return `The loop takes ${what} from the head of the ready queue, but it was cancelled, so the loop drops it.`;
        }
        if (event.item.kind === 'task' && this.firstRun.has(step)) {
          return `The loop takes ${what} from the head of the ready queue and runs it for the first time.`;
        }
        return `The loop takes ${what} from the head of the ready queue and runs it.`;
      }
      case 'eager_start': {
        const inside = event.parent ? this.item(event.parent, board) : 'the loop';
        return `${this.task(event.task, board)} starts at once (an eager task): it runs its first step now, inside ${inside}, before the call that made it returns, without going through the ready queue.`;
      }
      case 'eager_end': {
        const who = taskName(trace, event.task, board);
        if (!event.parent) return `${who}’s first step is over.`;
        return `${who}’s first step is over: ${this.item(event.parent, board)} carries on from where it created it.`;
      }
      case 'suspend': {
        const who = this.task(event.task, board);
        const deadline = event.wait.deadline === undefined ? '' : ` (a timeout ends the wait at ${seconds(event.wait.deadline)})`;
        if (event.wait.kind === 'yield') {
          return `${who} gives way with asyncio.sleep(0): it hands control back to the loop and waits its turn in the ready queue.`;
        }
        if (event.wait.kind === 'sleep') {
          return `${who} awaits asyncio.sleep(): it sleeps until ${seconds(event.wait.until)} on the virtual clock and hands control back to the loop${deadline}.`;
        }
        return `${who} waits for ${this.wait(event.wait, board, event.task, event.sync ?? null)}, and hands control back to the loop${deadline}.`;
      }
      case 'callback_end': {
        const sleeper = this.timerTask.get(event.callback);
        const info = trace.callbacks[event.callback];
        if (info && !info.user && sleeper !== undefined) {
          return `${taskName(trace, sleeper, board)}’s wake-up call is done: the loop goes back to its ready queue.`;
        }
        return `${cap(this.callback(event.callback))} returns; the loop goes back to its ready queue.`;
      }
      case 'done': {
        const who = this.task(event.task, board);
        if (event.outcome === 'result') return `${who} finishes and returns ${clip(event.text)}.`;
        if (event.outcome === 'exception') return `${who} ends with an exception: ${clip(event.text, 80)}.`;
        return `${who} is cancelled: it ends without a result.`;
      }
      case 'timer': {
        const setter = this.timerSetter.get(step);
        const who = setter === undefined ? 'A timer is set' : `${taskName(trace, setter, board)} sets a timer`;
        if (event.when === null) return `${who} that never fires.`;
        // "For 2 s" read as a length of time: the timer's `when` is a moment on the clock.
        const from = event.when - board.clock;
        const after = from > SAME_MOMENT ? `${seconds(from)} from now` : from < -SAME_MOMENT ? `already ${seconds(-from)} past` : 'now';
        return `${who} that fires at ${seconds(event.when)} on the virtual clock (${after}).`;
      }
      case 'timer_cancel':
        return 'A timer is cancelled: it will not fire.';
      case 'clock': {
        const before = this.clockBefore.get(step) ?? 0;
        if (board.blocked) {
          return `time.sleep(${formatClock(board.blocked.seconds)}) holds the whole thread: the virtual clock moves from ${seconds(before)} to ${seconds(event.time)} while no task runs and the loop cannot even look at its timers.`;
        }
        // No timer is due then: the loop's selector woke for the network (bytes arriving, a
        // handshake's next step), not for a timer.
        const soonest = timersOf(board)[0];
        if (board.net !== null && (soonest === undefined || soonest.when === null || soonest.when > event.time)) {
          return `Nothing is ready to run, so the loop waits in its selector for the network: the virtual clock jumps from ${seconds(before)} to ${seconds(event.time)}, when the next packet arrives (no real time passes).`;
        }
        return `Nothing is ready to run, so the loop waits for its next timer: the virtual clock jumps from ${seconds(before)} to ${seconds(event.time)} (no real time passes).`;
      }
      case 'output': {
        const text = clip(event.text);
        const running = board.running;
        const who =
          running?.kind === 'task'
            ? this.task(running.task, board)
            : running?.kind === 'callback'
              ? cap(this.callback(running.callback))
              : 'The program';
        if (event.stream === 'stderr') return `${who === 'The program' ? 'Python' : who} writes to stderr: “${text}”`;
        return `${who} prints “${text}”.`;
      }
      case 'loop':
        switch (event.action) {
          case 'new':
            return 'A new event loop is created.';
          case 'run':
            return 'The event loop starts running: it will take whatever is at the head of its ready queue.';
          case 'stop':
            return 'The event loop stops running.';
          case 'close':
            return 'The event loop is closed.';
        }
        break;
      case 'block':
        if (event.call !== undefined) {
          return `${event.call} waits ${seconds(event.seconds)} and gives up, blocking the whole thread${event.line === null ? '' : ` at line ${event.line}`}: no other thread could end its wait, and meanwhile no task can run, not even the loop.`;
        }
        return `time.sleep(${formatClock(event.seconds)}) blocks the whole thread${event.line === null ? '' : ` at line ${event.line}`}: for ${seconds(event.seconds)} no task can run, not even the loop.`;
      case 'exception':
        return `An exception nobody caught ends the program: ${exceptionWords(event.type, clip(event.message, 80))}${event.line === null ? '' : ` (line ${event.line})`}.`;
      case 'limit':
        return limitNarration(this.trace, event.reason);
      case 'net':
        return netSentence(event, board.net, board.clock);
    }
    return '';
  }

  /**
   * A task woken from a wait, by why (Task.__wakeup in Lib/asyncio/tasks.py resumes it with
   * the awaited future's result, or throws its exception or CancelledError in at the await).
   */
  private wake(who: string, wake: Wake, from: WaitContext | null, board: Board): string {
    const joins = 'It joins the back of the ready queue.';
    const at = from?.line == null ? 'at its await' : `at its await (line ${from.line})`;
    const wait = from?.wait;
    /** "the wait it is stopped at (a sleep until 3 s)", "… (Queue.get() on shelf)". */
    const object = from?.sync == null ? undefined : board.objects[from.sync];
    const short = wait ? `${waitOn(this.trace, wait, board)}${object && wait.kind === 'sync' ? ` on ${object.label}` : ''}` : '';
    const stoppedAt = `the wait it is stopped at${
      wait?.kind === 'sleep' ? ` (a sleep${wait.until === null ? '' : ` until ${seconds(wait.until)}`})` : short ? ` (${short})` : ''
    }`;
    const awaited = wait?.kind === 'task' || (wait?.kind === 'wait_for' && wait.task !== null) ? taskName(this.trace, wait.task!, board) : null;
    switch (wake) {
      case 'result':
        if (wait?.kind === 'sleep') return `${who} wakes up: its sleep is over, so it joins the back of the ready queue.`;
        return `${who} wakes up: what it waited for${short ? ` (${short})` : ''} is done, so it joins the back of the ready queue.`;
      case 'exception':
        if (awaited) return `${who} wakes up: ${awaited}, which it waited for, failed, so that exception will be raised ${at} when it runs. ${joins}`;
        return `${who} wakes up: what it waited for${short ? ` (${short})` : ''} failed, so the exception will be raised ${at} when it runs. ${joins}`;
      case 'cancelled': {
        if (awaited) return `${who} wakes up: ${awaited}, which it waited for, was cancelled, so CancelledError will be raised ${at} when it runs. ${joins}`;
        const by = this.canceller(board);
        if (wait?.kind === 'taskgroup') {
          return `${who} is woken by a cancellation: ${by.who} cancels ${stoppedAt}${by.why}. CancelledError will be raised where the TaskGroup waits (line ${from?.line ?? '?'}); the TaskGroup catches it and goes on waiting for its tasks. ${joins}`;
        }
        return `${who} is woken by a cancellation: ${by.who} cancels ${stoppedAt}${by.why}, so CancelledError will be raised ${at} when it runs. ${joins}`;
      }
      case 'timeout':
        if (wait?.kind === 'wait') return `The timeout of asyncio.wait() runs out: ${who} wakes up with the tasks done so far. ${joins}`;
        if (wait?.kind === 'as_completed') return `The timeout of as_completed() runs out: TimeoutError will be raised in ${who} when it runs. ${joins}`;
        return `The timeout of ${who} runs out and cancels ${stoppedAt}, so CancelledError will be raised ${at} when it runs (and turned into TimeoutError where the timeout was set). ${joins}`;
    }
  }

  /** Who cancels a wait, from what runs at this step: "Task-1 (main())", "its TaskGroup" (and why). */
  private canceller(board: Board): { who: string; why: string } {
    const running = board.running;
    if (running?.kind === 'task') {
      const line = board.lines[running.task];
      return { who: `${this.task(running.task, board)}${line === undefined ? '' : ` at line ${line}`}`, why: '' };
    }
    if (running?.kind === 'callback') {
      const label = callbackLabel(this.trace, running.callback);
      if (/^TaskGroup\./.test(label)) return { who: 'its TaskGroup', why: ' because a task of the group failed' };
      return { who: this.callback(running.callback), why: '' };
    }
    return { who: 'the program', why: '' };
  }

  private push(event: Extract<TraceEvent, { kind: 'push' }>, step: number, board: Board): string {
    const item = event.item;
    if (item.kind === 'task') {
      const who = this.task(item.task, board);
      switch (event.reason) {
        case 'start':
          return `${who} joins the back of the ready queue, to take its first step.`;
        case 'wake':
          return this.wake(who, event.wake ?? 'result', this.wokenFrom.get(step) ?? null, board);
        case 'yield':
          return `${who} joins the back of the ready queue, behind everything already there.`;
        case 'cancel':
          return event.wake === 'timeout'
            ? `The timeout of ${who} runs out while it is in the ready queue: CancelledError will be raised in it when it runs.`
            : `${who} is cancelled: it joins the back of the ready queue so that it can see its CancelledError.`;
        default:
          return `${who} joins the back of the ready queue.`;
      }
    }
    const what = this.callback(item.callback);
    if (event.reason === 'timer') {
      const when = this.timerWhen.get(item.callback);
      const at = when === undefined || when === null ? '' : ` that fires at ${seconds(when)}`;
      const late = when !== undefined && when !== null && board.clock - when > SAME_MOMENT ? ` (${seconds(board.clock - when)} late)` : '';
      return `The timer${at} is due${late}: ${what} joins the back of the ready queue.`;
    }
    const info = this.trace.callbacks[item.callback];
    if (info?.user) return `call_soon() puts ${what} at the back of the ready queue.`;
    return `${cap(what)} joins the back of the ready queue.`;
  }
}

/** The sentence for one step, without keeping a Narrator (convenient for tests and one-offs). */
export function narrate(trace: Trace, step: number, board: Board): string {
  return new Narrator(trace).narrate(step, board);
}
