/**
 * The step rows of `loop-lab trace`: one row per event with the board after it, in the
 * fields the CLI promises (step, kind, task, line, clock, ready, sleeping, done, output).
 */
import type { Outcome, Trace, TraceEvent } from '../shared/trace';
import { type Board, boardSteps, readyHead, readyOf, sleepingHead } from './board';
import { exceptionWords, itemName, taskName, waitOn } from './describe';
import { netDetail } from './net-words';

export interface StepRow {
  step: number;
  kind: TraceEvent['kind'];
  /** The running task's name at this step, or null. */
  task: string | null;
  /** The line of the learner's file this step is about, or null. */
  line: number | null;
  /** The virtual clock, in seconds. */
  clock: number;
  ready: string[];
  /**
   * The waiting tasks: `until` is a sleep's wake-up time (null for other waits), `deadline`
   * the time a timeout ends the wait, present only when one hangs over it (seconds).
   */
  sleeping: SleepingRow[];
  done: { task: string; outcome: Outcome }[];
  output: string;
  /** Details of the event itself (what was pushed, the limit's message …). */
  detail: string;
}

export interface SleepingRow {
  task: string;
  on: string;
  until: number | null;
  deadline?: number;
}

/** How a row shows a time on the virtual clock: exactly (jsonl), or rounded (the text table). */
export type SecondsShown = (seconds: number) => number;

const exactly: SecondsShown = (seconds) => seconds;

function eventLine(event: TraceEvent, board: Board): number | null {
  switch (event.kind) {
    case 'line':
      return event.line;
    case 'suspend':
    case 'done':
    case 'block':
    case 'exception':
      return event.line;
    case 'output':
      // Printed after the run's end (its teardown: "Task was destroyed …"): nobody's line.
      if (board.end) return null;
      return board.running?.kind === 'task' ? (board.lines[board.running.task] ?? null) : null;
    default:
      return null;
  }
}

function detail(trace: Trace, event: TraceEvent, board: Board, shown: SecondsShown): string {
  switch (event.kind) {
    case 'line':
      return '';
    case 'task': {
      const info = trace.tasks[event.task];
      return info ? `${info.name} ${info.coro}` : '';
    }
    case 'rename':
      return event.name;
    case 'push':
      return `${itemName(trace, event.item, board)} (${event.reason})`;
    case 'pop':
      return `${itemName(trace, event.item, board)}${event.cancelled ? ' (cancelled, dropped)' : ''}`;
    case 'eager_start':
      return `${taskName(trace, event.task, board)} starts at once, inside ${event.parent ? itemName(trace, event.parent, board) : 'the loop'}`;
    case 'eager_end':
      return event.parent ? `${itemName(trace, event.parent, board)} carries on` : '';
    case 'suspend':
      return `${taskName(trace, event.task, board)} waits on ${waitOn(trace, event.wait, board, event.task)}`;
    case 'callback_end':
      return trace.callbacks[event.callback]?.label ?? '';
    case 'done':
      return `${taskName(trace, event.task, board)} ${event.outcome}: ${event.text}`;
    case 'timer':
      return `timer at ${event.when === null ? 'never' : shown(event.when)}`;
    case 'timer_cancel':
      return `timer cancelled`;
    case 'clock':
      return `clock → ${shown(event.time)}`;
    case 'output':
      return event.stream;
    case 'loop':
      return `loop ${event.loop} ${event.action}`;
    case 'block':
      return event.call === undefined ? `time.sleep(${shown(event.seconds)}) blocks everything` : `${event.call} waits ${shown(event.seconds)} s, blocking everything`;
    case 'exception':
      return exceptionWords(event.type, event.message);
    case 'limit':
      return `${event.reason}: ${event.message}`;
    case 'net':
      return netDetail(event);
  }
}

/** The task a step is about: the one that ran the line, suspended, finished or was taken. */
function stepTask(trace: Trace, event: TraceEvent, board: Board): string | null {
  let id: number | null = null;
  if (event.kind === 'line') id = event.task;
  else if (event.kind === 'suspend' || event.kind === 'done' || event.kind === 'eager_start') id = event.task;
  else if (event.kind === 'pop') id = event.item.kind === 'task' ? event.item.task : null;
  else if (board.running?.kind === 'task' && !(event.kind === 'output' && board.end)) id = board.running.task;
  return id === null ? null : taskName(trace, id, board);
}

/** How many of the first entries of each list a row keeps (eachStepRow). */
export interface ListHeads {
  ready: number;
  sleeping: number;
  done: number;
}

/**
 * One row per event of the trace. `shown` maps every time on the virtual clock (the clock,
 * wake-ups, deadlines, and the times in `detail`): exactly as recorded by default (jsonl), or
 * rounded for a person to read (`atResolution`, the text table).
 */
export function stepRows(trace: Trace, shown: SecondsShown = exactly): StepRow[] {
  return [...eachStepRow(trace, shown)];
}

/**
 * The rows of `stepRows`, made one at a time as they are taken: a trace's rows can weigh far
 * more than the trace (each carries the whole board: the 200-client server's 69,276 rows, each
 * listing up to 200 tasks, are hundreds of MB as JSON), so a writer takes them one by one.
 * `most` cuts each list (ready, sleeping, done) to its first entries, for a reader that shows
 * no more (the text table: `CELL_ENTRIES`): a row then costs O(most), not O(board). It is read
 * at each row, so a reader may lower it as it goes (a list of 0 entries is not made at all).
 */
export function* eachStepRow(trace: Trace, shown: SecondsShown = exactly, most: ListHeads | null = null): Generator<StepRow> {
  for (const { board, event, index } of boardSteps(trace)) {
    yield {
      step: index,
      kind: event.kind,
      task: stepTask(trace, event, board),
      line: eventLine(event, board),
      clock: shown(board.clock),
      ready: (most ? (most.ready > 0 ? readyHead(board, most.ready) : []) : readyOf(board)).map((item) => itemName(trace, item, board)),
      sleeping: (most ? (most.sleeping > 0 ? sleepingHead(board, most.sleeping) : []) : board.sleeping).map((s) => {
        const row: SleepingRow = {
          task: taskName(trace, s.task, board),
          on: waitOn(trace, s.wait, board, s.task),
          until: s.wait.kind === 'sleep' && s.wait.until !== null ? shown(s.wait.until) : null,
        };
        if (s.wait.deadline !== undefined) row.deadline = shown(s.wait.deadline);
        return row;
      }),
      done: (most ? (most.done > 0 ? board.done.slice(0, most.done) : []) : board.done).map((d) => ({ task: taskName(trace, d.task, board), outcome: d.outcome })),
      output: event.kind === 'output' ? event.text : '',
      detail: detail(trace, event, board, shown),
    };
  }
}
