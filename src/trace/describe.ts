/** Short, learner-facing words for the things in a trace: task names, queue items, waits. */
import type { QueueItem, TaskId, Trace, Wait } from '../shared/trace';
import type { Board } from './board';
import { netWaitOn } from './net-words';

/**
 * Unicode's invisible direction controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI, LRM RLM ALM):
 * in text a program chose (its output, a task's name, a result's repr) they could make it read
 * differently from what it is ("Trojan Source"). Shown as a visible mark instead: ⟦U+202E⟧.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g;
/** The same, for a test: nearly every text has none, and a test costs less than a replace. */
const HAS_BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

export function visible(text: string): string {
  if (!HAS_BIDI_CONTROL.test(text)) return text;
  return text.replace(BIDI_CONTROLS, (c) => `⟦U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟧`);
}

/**
 * An uncaught exception in the words python3's traceback ends with: "ValueError: bad", or the
 * type alone for an empty message (python3 prints `raise ValueError()` so), which is also what a
 * trace holds when only the program's own `__str__` could word it (its sys.excepthook reported it).
 */
export function exceptionWords(type: string, message: string): string {
  return message === '' ? type : `${type}: ${message}`;
}

export function taskName(trace: Trace, task: TaskId, board?: Board): string {
  return visible(board?.names[task] ?? trace.tasks[task]?.name ?? `Task #${task}`);
}

export function callbackLabel(trace: Trace, callback: number): string {
  return visible(trace.callbacks[callback]?.label ?? `callback #${callback}`);
}

/** A task's name, or a plain callback's qualified name. */
export function itemName(trace: Trace, item: QueueItem, board?: Board): string {
  return item.kind === 'task' ? taskName(trace, item.task, board) : callbackLabel(trace, item.callback);
}

/** The most task names a wait is told with; past it, how many more ("…, and 180 more"). */
export const MOST_NAMES = 20;

function names(trace: Trace, tasks: readonly TaskId[], board?: Board): string {
  const shown = tasks.slice(0, MOST_NAMES).map((t) => taskName(trace, t, board));
  return tasks.length > MOST_NAMES ? `${shown.join(', ')}, and ${tasks.length - MOST_NAMES} more` : shown.join(', ');
}

/**
 * What a task waits on, in a few words: `timer`, `Task-3`, `gather(Task-2, Task-3)`,
 * `Queue.get`, `Lock.acquire (held by Task-2)` … `waiter` is the waiting task, when known: a
 * Lock it holds itself is `the Lock it already holds`.
 */
export function waitOn(trace: Trace, wait: Wait, board?: Board, waiter?: TaskId): string {
  switch (wait.kind) {
    case 'yield':
      return 'its turn';
    case 'sleep':
      return 'timer';
    case 'task':
      return taskName(trace, wait.task, board);
    case 'gather':
      return `gather(${names(trace, wait.tasks, board)})`;
    case 'wait':
      return `wait(${names(trace, wait.tasks, board)})`;
    case 'as_completed':
      return `as_completed(${names(trace, wait.tasks, board)})`;
    case 'taskgroup':
      return `TaskGroup(${names(trace, wait.tasks, board)})`;
    case 'wait_for':
      return wait.task === null ? 'wait_for' : `wait_for(${taskName(trace, wait.task, board)})`;
    case 'sync':
      if (wait.holder === undefined) return `${wait.primitive}.${wait.method}`;
      if (wait.holder === waiter) return `the ${wait.primitive} it already holds`;
      return `${wait.primitive}.${wait.method} (held by ${taskName(trace, wait.holder, board)})`;
    case 'future':
      return 'a Future';
    case 'net':
      return netWaitOn(wait, board?.net ?? null);
  }
}

/** Virtual seconds as a learner reads them: 0.0002 s, 1.5 s, 0 s. */
export function formatClock(seconds: number): string {
  if (seconds === 0) return '0';
  const rounded = Number(seconds.toPrecision(10));
  return String(rounded);
}

/** Decimal places of the virtual clock's resolution: the loop's `_clock_resolution` (loop.py), 1 ns. */
const RESOLUTION_DIGITS = 9;

/**
 * Seconds rounded to the clock's resolution, for a person to read: 0.30000000000000004 → 0.3
 * (float sums such as 0.1 + 0.2 land a hair off the time they stand for).
 */
export function atResolution(seconds: number): number {
  // Whole seconds are already at it (toFixed and back gives them as they are), and most times on
  // a clock are; the rest are rounded. The text table rounds each waiting task's wake-up on every
  // row: a tenth of its time, for 50,000 sleepers, went to rounding whole numbers.
  if (Number.isInteger(seconds)) return seconds;
  return Number.isFinite(seconds) ? Number(seconds.toFixed(RESOLUTION_DIGITS)) : seconds;
}
