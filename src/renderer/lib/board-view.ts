/**
 * What each lane of the loop board shows at one step: a pure function of the board (itself a
 * pure function of the trace and the step) and the Loop internals toggle.
 */
import type { HandleId, Outcome, QueueItem, TaskId } from '../../shared/trace';
import { type Board, readyOf, timersOf } from '../../trace/board';
import { callbackLabel, formatClock, taskName, visible, waitOn } from '../../trace/describe';
import { type NetworkView, networkView } from './network-view';
import type { TraceView } from './trace-view';

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
  /** Second detail line (time left on the clock, a timeout). */
  extra: string;
  outcome: Outcome | null;
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

export interface BoardView {
  clock: number;
  running: CardModel[];
  /** What the Running slot says when no card is shown there. */
  idle: string;
  ready: CardModel[];
  sleeping: CardModel[];
  done: CardModel[];
  timers: TimerModel[];
  /** The Network lane, once the program uses the network (network-view.ts). */
  network: NetworkView | null;
}

function taskCard(view: TraceView, board: Board, task: TaskId, detail: string, extra = '', outcome: Outcome | null = null): TaskCardModel {
  const name = taskName(view.trace, task, board);
  const coro = visible(view.trace.tasks[task]?.coro ?? '');
  const words = [name, coro, detail, extra].filter(Boolean).join(', ');
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
    outcome,
  };
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

function shows(view: TraceView, item: QueueItem, internals: boolean): boolean {
  if (internals) return true;
  return item.kind === 'task' ? !view.internal(item.task) : view.userCallback(item.callback);
}

function seconds(time: number): string {
  return `${formatClock(time)} s`;
}

export function boardView(view: TraceView, board: Board, internals: boolean): BoardView {
  const trace = view.trace;
  const running: CardModel[] = [];
  let idle = 'Nothing yet: the program has not started the loop.';
  const item = board.running;
  if (item && shows(view, item, internals)) {
    running.push(
      item.kind === 'task'
        ? taskCard(view, board, item.task, board.lines[item.task] ? `running line ${board.lines[item.task]}` : 'running')
        : callbackCard(view, board, item.callback, 'running'),
    );
  } else if (item) {
    idle = 'The loop runs its own bookkeeping (turn on Loop internals to see it).';
  } else if (board.end || board.step === trace.events.length - 1) {
    idle = 'Nothing: the program has ended.';
  } else if (board.loop !== null && board.loops[board.loop]?.closed) {
    idle = 'Nothing: the loop is closed.';
  } else if (board.line !== null && board.step >= 0 && trace.events[board.step]?.kind === 'line') {
    idle = 'Nothing in the loop: the program’s own top-level code runs.';
  } else if (board.loop !== null) {
    idle = 'Nothing: the loop picks what runs next.';
  }

  const ready: CardModel[] = [];
  readyOf(board).forEach((q, position) => {
    if (!shows(view, q, internals)) return;
    const detail = position === 0 ? 'head: runs next' : `${ordinal(position + 1)} in the queue`;
    ready.push(q.kind === 'task' ? taskCard(view, board, q.task, detail) : callbackCard(view, board, q.callback, detail));
  });

  const sleeping: CardModel[] = [];
  for (const s of board.sleeping) {
    if (!internals && view.internal(s.task)) continue;
    const wait = s.wait;
    let detail: string;
    let extra = '';
    if (wait.kind === 'sleep') {
      detail = wait.until === null ? 'sleeps forever' : `sleeps until ${seconds(wait.until)}`;
      if (wait.until !== null) extra = `${seconds(Math.max(0, wait.until - board.clock))} left`;
    } else {
      detail = `waits for ${waitOn(trace, wait, board)}`;
      if (wait.kind === 'net') extra = visible(wait.call);
    }
    if (wait.deadline !== undefined) {
      extra = [extra, `timeout at ${seconds(wait.deadline)}`].filter(Boolean).join(' · ');
    }
    sleeping.push(taskCard(view, board, s.task, detail, extra));
  }

  const done: CardModel[] = [];
  for (const d of board.done) {
    if (!internals && view.internal(d.task)) continue;
    const detail =
      d.outcome === 'result' ? `returned ${visible(d.text)}` : d.outcome === 'exception' ? `raised ${visible(d.text)}` : 'cancelled';
    done.push(taskCard(view, board, d.task, detail, '', d.outcome));
  }

  const timers: TimerModel[] = timersOf(board).map((t) => {
    const sleeper = t.task ?? view.narrator.timerTask.get(t.timer) ?? null;
    const label = view.userCallback(t.timer)
      ? `calls ${callbackLabel(trace, t.timer)}()`
      : sleeper !== null
        ? `wakes ${taskName(trace, sleeper, board)}`
        : callbackLabel(trace, t.timer);
    return {
      key: `${view.serial}:h${t.timer}`,
      when: t.when === null ? 'never' : seconds(t.when),
      label,
      colour: sleeper !== null ? view.colour(sleeper) : 'var(--internal)',
    };
  });

  return { clock: board.clock, running, idle, ready, sleeping, done, timers, network: networkView(view, board, internals) };
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
}

export interface CodeMarks {
  /** The line running now (a task's, a callback's or the top level's). */
  running: LineMark | null;
  /** Each waiting task's line, in its colour. */
  waiting: LineMark[];
}

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
    running = { line: board.line, colour: 'var(--fg)', label: `▶ ${callback !== null ? name : 'main'}`, title: `${name} runs this line` };
  }
  const waiting: LineMark[] = [];
  const sleeping = new Set(board.sleeping.map((s) => s.task));
  for (const [id, line] of Object.entries(board.lines)) {
    const task = Number(id);
    if (item?.kind === 'task' && item.task === task) continue;
    if (!internals && view.internal(task)) continue;
    const state = sleeping.has(task) ? 'waits here' : 'is ready to go on from here';
    waiting.push({ line, colour: view.colour(task), label: taskName(trace, task, board), title: `${view.narrator.task(task, board)} ${state}` });
  }
  return { running, waiting };
}
