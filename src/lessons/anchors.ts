/**
 * Where a tour stop's moment is in a run: the step (event index) of a MomentAnchor in a trace.
 *
 * What each `when:` word matches, event by event (src/shared/trace.ts):
 *
 * | word      | the event                                                         | its task              | its line                          |
 * | --------- | ----------------------------------------------------------------- | --------------------- | --------------------------------- |
 * | line      | `line`                                                            | the task running it   | the line                          |
 * | runs      | `pop` that is not cancelled (a task or a plain callback)          | the task popped (1)   | where the task resumes (2)        |
 * | suspends  | `suspend`, whatever it waits for (a bare yield too)               | the task              | where it waits                    |
 * | sleeps    | `suspend` whose wait is `sleep` (asyncio.sleep)                   | the task              | where it waits                    |
 * | waits     | `suspend` whose wait is neither `sleep` nor `yield`               | the task              | where it waits                    |
 * | wakes     | `push` of a task with reason `wake`                               | the task              | where it waited                   |
 * | joins     | any `push` (a task for any reason, or a callback)                 | the task pushed (1)   | where the task stands (2)         |
 * | finishes  | `done` (result, exception or cancelled)                           | the task              | the line it ended on              |
 * | created   | `task`                                                            | the new task          | the line that created it (3)      |
 * | prints    | `output` (stdout or stderr); with `text:`, the output event that completes the text (4) | the running task | the line that printed it (3) |
 * | clock     | `clock` (the virtual clock moves forward)                         | —                     | —                                 |
 * | blocks    | `block` (time.sleep held the whole thread)                        | the running task      | the line of time.sleep            |
 * | error     | `exception` (an uncaught exception ends the program); `text:` = "Type: message" contains it | — | where it was raised |
 * | end       | the last event of the run, whatever it is                         | —                     | —                                 |
 *
 * (1) a callback has no task, so `task:` never matches it. (2) null for a task's first step.
 * (3) the last line of the program that ran before the event.
 * (4) Python may write one print() in several pieces ("working", then " 0\n"), so `text:` is
 *     looked for in everything printed so far: an output event matches when the text appears
 *     in the output, ending inside what this event wrote.
 *
 * `task:` matches a task's name (`Task-2`, or the name the program gave it, including any name
 * set_name() gives it during the run), its coroutine function's name (`print_letters` for `print_letters()`), or its
 * whole coroutine call as the trace shows it (`fetch('pear', 1)`).
 * `occurrence: n` picks the n-th event that matches every field given.
 */
import type { MomentAnchor, MomentKind, TourStop } from '../shared/lesson';
import type { TaskId, Trace, TraceEvent } from '../shared/trace';
import { type Board, replay } from '../trace/board';
import { exceptionWords } from '../trace/describe';

/** The coroutine function's name of a task: `print_nums` for `print_nums(5)`. */
export function coroutineName(coro: string): string {
  const open = coro.indexOf('(');
  const name = (open >= 0 ? coro.slice(0, open) : coro).trim();
  const dot = name.lastIndexOf('.');
  return dot >= 0 ? name.slice(dot + 1) : name;
}

const renames = new WeakMap<Trace, Map<TaskId, string[]>>();

/** Every name a task is given with set_name() during the run. */
function renamesOf(trace: Trace, task: TaskId): readonly string[] {
  let byTask = renames.get(trace);
  if (!byTask) {
    byTask = new Map();
    for (const event of trace.events) {
      if (event.kind === 'rename') byTask.set(event.task, [...(byTask.get(event.task) ?? []), event.name]);
    }
    renames.set(trace, byTask);
  }
  return byTask.get(task) ?? [];
}

/**
 * Does `name` (from a lesson) name this task? Its name when created, any name set_name() gives
 * it during the run, its coroutine function's name, or its whole coroutine call.
 */
export function taskMatches(trace: Trace, task: TaskId, name: string): boolean {
  const info = trace.tasks[task];
  if (!info) return false;
  return info.name === name || coroutineName(info.coro) === name || info.coro === name || renamesOf(trace, task).includes(name);
}

/** What one event is, in the terms of an anchor: its kind(s), task, line and text. */
interface Moment {
  kinds: MomentKind[];
  task: TaskId | null;
  line: number | null;
  text: string | null;
}

function momentOf(event: TraceEvent, board: Board, lastLine: number | null): Moment | null {
  const runningTask = board.running?.kind === 'task' ? board.running.task : null;
  switch (event.kind) {
    case 'line':
      return { kinds: ['line'], task: event.task, line: event.line, text: null };
    case 'pop': {
      if (event.cancelled) return null;
      const task = event.item.kind === 'task' ? event.item.task : null;
      return { kinds: ['runs'], task, line: task === null ? null : (board.lines[task] ?? null), text: null };
    }
    case 'eager_start':
      return { kinds: ['runs'], task: event.task, line: null, text: null };
    case 'suspend': {
      const kinds: MomentKind[] = ['suspends'];
      if (event.wait.kind === 'sleep') kinds.push('sleeps');
      else if (event.wait.kind !== 'yield') kinds.push('waits');
      return { kinds, task: event.task, line: event.line, text: null };
    }
    case 'push': {
      const task = event.item.kind === 'task' ? event.item.task : null;
      const kinds: MomentKind[] = ['joins'];
      if (task !== null && event.reason === 'wake') kinds.push('wakes');
      return { kinds, task, line: task === null ? null : (board.lines[task] ?? null), text: null };
    }
    case 'done':
      return { kinds: ['finishes'], task: event.task, line: event.line, text: event.text };
    case 'task':
      return { kinds: ['created'], task: event.task, line: lastLine, text: null };
    case 'output':
      return { kinds: ['prints'], task: runningTask, line: lastLine, text: null };
    case 'clock':
      return { kinds: ['clock'], task: null, line: null, text: null };
    case 'block':
      return { kinds: ['blocks'], task: runningTask, line: event.line, text: null };
    case 'exception':
      return { kinds: ['error'], task: null, line: event.line, text: exceptionWords(event.type, event.message) };
    default:
      return null;
  }
}

function matches(trace: Trace, anchor: MomentAnchor, moment: Moment): boolean {
  if (!moment.kinds.includes(anchor.when)) return false;
  if (anchor.task !== undefined && (moment.task === null || !taskMatches(trace, moment.task, anchor.task))) return false;
  if (anchor.line !== undefined && moment.line !== anchor.line) return false;
  if (anchor.text !== undefined && anchor.when !== 'prints' && (moment.text === null || !moment.text.includes(anchor.text))) {
    return false;
  }
  return true;
}

/** Does the text appear in `printed`, ending after the first `before` characters? */
function completes(printed: string, before: number, text: string): boolean {
  if (text === '') return printed.length > before;
  const at = printed.indexOf(text, Math.max(0, before - text.length + 1));
  return at >= 0 && at + text.length > before;
}

/** Every step at which the anchor's moment happens, ignoring `occurrence`, in order. */
export function momentSteps(trace: Trace, anchor: MomentAnchor): number[] {
  return momentStepsOfEach(trace, [anchor])[0]!;
}

/** momentSteps for several anchors, in one replay of the trace (a tour's stops, all at once). */
export function momentStepsOfEach(trace: Trace, anchors: readonly MomentAnchor[]): number[][] {
  const steps: number[][] = anchors.map(() => []);
  const last = trace.events.length - 1;
  const replayed = anchors.filter((anchor) => anchor.when !== 'end');
  anchors.forEach((anchor, a) => {
    if (anchor.when === 'end' && last >= 0) steps[a]!.push(last);
  });
  if (replayed.length === 0) return steps;
  let lastLine: number | null = null;
  let printed = '';
  replay(trace, (board, event, index) => {
    const before = printed.length;
    if (event.kind === 'output') printed += event.text;
    const moment = momentOf(event, board, lastLine);
    if (moment) {
      anchors.forEach((anchor, a) => {
        if (anchor.when === 'end' || !matches(trace, anchor, moment)) return;
        if (anchor.when !== 'prints' || anchor.text === undefined || completes(printed, before, anchor.text)) steps[a]!.push(index);
      });
    }
    if (event.kind === 'line') lastLine = event.line;
  });
  return steps;
}

/** The step of the anchor's moment, or null when the run never reaches it. */
export function findMoment(trace: Trace, anchor: MomentAnchor): number | null {
  return momentSteps(trace, anchor)[anchor.occurrence - 1] ?? null;
}

function ordinal(n: number): string {
  const words = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
  if (n <= words.length) return words[n - 1]!;
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

const VERBS: Record<MomentKind, string> = {
  line: 'runs the line',
  runs: 'is run by the loop',
  suspends: 'suspends',
  sleeps: 'sleeps',
  // Not a sleep: the board's Waiting lane holds sleepers too, and a learner who made the task
  // sleep instead was told it never waits (a newcomer's).
  waits: 'waits for something other than a timer',
  wakes: 'wakes',
  joins: 'joins the ready queue',
  finishes: 'finishes',
  created: 'is created',
  prints: 'prints',
  clock: 'the clock moves',
  blocks: 'blocks the thread',
  error: 'an uncaught exception ends the program',
  end: 'the run ends',
};

/** The anchor in words: "the second time print_letters sleeps (line 13)". */
export function describeAnchor(anchor: MomentAnchor): string {
  if (anchor.when === 'end') return 'the end of the run';
  const who = anchor.task ?? (anchor.when === 'line' ? 'the program' : anchor.when === 'created' ? 'a task' : 'something');
  const subjectless = anchor.when === 'clock' || anchor.when === 'error';
  let what = subjectless ? VERBS[anchor.when] : `${who} ${VERBS[anchor.when]}`;
  if (anchor.when === 'line' && anchor.line !== undefined) what = `${who} runs line ${anchor.line}`;
  if (anchor.text !== undefined) what += ` "${anchor.text}"`;
  if (anchor.line !== undefined && anchor.when !== 'line') what += ` at line ${anchor.line}`;
  return `the ${ordinal(anchor.occurrence)} time ${what}`;
}

export interface ResolvedStop {
  stop: TourStop;
  /** The step where the player pauses for it; null when the moment never happens. */
  step: number | null;
  /** Why the stop cannot be shown, in a sentence for the learner or teacher; null when it can. */
  problem: string | null;
}

/**
 * Finds the step of every stop that belongs to `program`, in tour order, and says which ones
 * cannot be shown: a moment that never happens in this run (e.g. after the learner edited the
 * code), or a stop that would come before the one ahead of it in the tour.
 */
export function resolveStops(stops: readonly TourStop[], program: string, trace: Trace): ResolvedStop[] {
  const resolved: ResolvedStop[] = [];
  let previous: { title: string; step: number } | null = null;
  const own = stops.filter((stop) => stop.program === program);
  const stepsOfEach = momentStepsOfEach(
    trace,
    own.map((stop) => stop.anchor),
  );
  for (const [i, stop] of own.entries()) {
    const all = stepsOfEach[i]!;
    const step = all[stop.anchor.occurrence - 1] ?? null;
    let problem: string | null = null;
    if (step === null) {
      const times = all.length === 0 ? 'never happens' : `happens only ${all.length === 1 ? 'once' : `${all.length} times`}`;
      problem = `The stop "${stop.title}" waits for ${describeAnchor(stop.anchor)}, but in this run that ${times}.`;
    } else if (previous && step < previous.step) {
      problem = `The stop "${stop.title}" (step ${step}) comes before the stop "${previous.title}" (step ${previous.step}) in this run; the tour must follow the run's order.`;
    }
    if (step !== null) previous = { title: stop.title, step };
    resolved.push({ stop, step, problem });
  }
  return resolved;
}
