/**
 * What the banner says about how a run ended, when it did not end by itself: the step budget,
 * a deadlock, a time limit, the learner's Stop, or an exception nobody caught — and why; or
 * when it ended itself with an exit status other than 0 (`sys.exit(3)`, `os._exit(4)`, a
 * signal to itself), and which tasks it left unfinished.
 */
import type { LimitReason, Trace } from '../../shared/trace';
import type { TraceView } from './trace-view';
import { exceptionWords, visible, waitOn } from '../../trace/describe';
import { lastIndex, limitSentence } from '../../trace/limit-words';
import { thousands } from '../../shared/numbers';

/**
 * Characters of an exception's message the banner shows: a longer one is cut, with a mark (its
 * traceback, in the console, has more). Up to 2,000 would otherwise fill the screen above the
 * code and the board.
 */
export const BANNER_MESSAGE_CHARS = 300;

/**
 * Whether stderr's `text` holds the traceback (or, for a SyntaxError, the report) of an
 * exception of type `type`: python3's header, or a line that begins with the type's name (its
 * module's before it, for a class of another module's). Where the program's own sys.excepthook
 * reported the exception, the last thing on stderr may be anything else (a warning it printed
 * before): the banner then points at no traceback.
 */
function printsException(text: string, type: string): boolean {
  if (text.includes('Traceback (most recent call last):')) return true;
  // The report ends the text (but for an exception group's tree, or notes): its last lines do.
  return text.slice(-65_536).split('\n').some((line) => namesException(line, type));
}

/**
 * Whether `line` is python3's last line of a report on `type`: the name, its module's before
 * it or not (`[\w.]+\.`), then `:` or the line's end. Linear in the line's length: a regular
 * expression for it backtracked for ~110 ms over a type named with 4,000 dots (a reviewer's).
 * A name holds no `:`, so the first `type:` in a line is the only one its module's can precede.
 */
function namesException(line: string, type: string): boolean {
  if (type === '') return false;
  return [line.length - type.length, line.indexOf(`${type}:`)].some(
    (at) => at >= 0 && line.startsWith(type, at) && isQualifier(line.slice(0, at)),
  );
}

/** '' or a dotted module path ending with its dot (`asyncio.exceptions.`). */
function isQualifier(prefix: string): boolean {
  return prefix === '' || (prefix.endsWith('.') && /^[\w.]+$/.test(prefix));
}

function bannerMessage(message: string): string {
  return message.length <= BANNER_MESSAGE_CHARS ? message : `${message.slice(0, BANNER_MESSAGE_CHARS)}…`;
}

export interface RunEndNote {
  kind: 'limit' | 'exception' | 'exit';
  reason: LimitReason | null;
  /** A short headline: "Step budget reached", "Deadlock" … */
  title: string;
  /** What happened, and why, in a sentence or three. */
  text: string;
  /** Why, in detail: one item per waiting task, the line it was on … */
  details: string[];
  /** The step of the limit or exception event (for an exit: the run's last step). */
  step: number;
  /** For an exception: the step that printed (the end of) its traceback, if one was printed. */
  traceback: number | null;
  /** The learner's line it points at, if any. */
  line: number | null;
}

const TITLES: Record<LimitReason, string> = {
  steps: 'Step budget reached',
  time: 'Time limit reached',
  memory: 'Memory limit reached',
  output: 'Output limit reached',
  events: 'Trace too long',
  deadlock: 'Deadlock: nothing can ever run again',
  stopped: 'Stopped',
  crashed: 'Python broke',
  damaged: 'Trace damaged',
};



export function runEndNote(view: TraceView): RunEndNote | null {
  const trace = view.trace;
  const limitAt = lastIndex(trace, 'limit');
  if (limitAt >= 0) {
    const event = trace.events[limitAt]!;
    if (event.kind !== 'limit') return null;
    const board = view.index.at(limitAt);
    const details: string[] = [];
    let line: number | null = null;
    if (event.reason === 'deadlock') {
      for (const s of board.sleeping) {
        if (view.internal(s.task)) continue;
        details.push(
          `${view.narrator.task(s.task, board)} waits for ${waitOn(trace, s.wait, board, s.task)}${s.line === null ? '' : ` at line ${s.line}`}, and nothing left can make that happen.`,
        );
        line ??= s.line;
      }
    } else if (event.reason === 'steps' || event.reason === 'time' || event.reason === 'stopped') {
      // Where was the program when it was ended? The last line it ran, and in which task.
      for (let i = limitAt; i >= 0; i--) {
        const e = trace.events[i]!;
        if (e.kind === 'line') {
          line = e.line;
          const who = e.task === null ? 'the program' : view.narrator.task(e.task, board);
          details.push(`It was last running line ${e.line}, in ${who}.`);
          break;
        }
      }
      if (event.reason === 'steps') {
        details.push(
          `Loop Lab ends a run after ${thousands(trace.end.maxSteps)} lines, so that a program that never ends cannot hang the app. A loop that never finishes reaches it.`,
        );
      }
    }
    return { kind: 'limit', reason: event.reason, title: TITLES[event.reason], text: limitSentence(trace, event.reason), details, step: limitAt, line, traceback: null };
  }
  const exceptionAt = lastIndex(trace, 'exception');
  if (exceptionAt >= 0) {
    const event = trace.events[exceptionAt]!;
    if (event.kind !== 'exception') return null;
    const where = event.line === null ? '' : ` at line ${event.line}`;
    let traceback: number | null = null;
    for (let i = exceptionAt - 1; i >= 0; i--) {
      const e = trace.events[i]!;
      if (e.kind === 'output' && e.stream === 'stderr') {
        traceback = printsException(e.text, event.type) ? i : null;
        break;
      }
    }
    return {
      kind: 'exception',
      reason: null,
      title: 'The program ended with an uncaught exception',
      // Words the program chose: direction controls in them shown as marks, not obeyed.
      text: `${visible(exceptionWords(event.type, bannerMessage(event.message)))}${where}.`,
      details: [],
      step: exceptionAt,
      line: event.line,
      traceback,
    };
  }
  // 1–255: what a process can end with (a trace from a file may say anything: then nothing is told).
  if (trace.end.exitCode >= 1 && trace.end.exitCode <= 255 && trace.events.length > 0) return exitNote(view);
  return null;
}

/**
 * A run that ended itself with a status other than 0, with no exception and no limit: the
 * program called `sys.exit(n)` or `os._exit(n)`, or sent itself a signal (status 128 + its
 * number, as a shell reports it). Tasks left unfinished at its last step are named: after
 * `os._exit` or a signal nothing more runs (no `finally:`, no cancelling), so the board ends
 * with them still waiting or running, and the banner says why nothing more happened.
 */
function exitNote(view: TraceView): RunEndNote {
  const trace = view.trace;
  const code = trace.end.exitCode;
  const last = trace.events.length - 1;
  const board = view.index.at(last);
  const finished = new Set(board.done.map((entry) => entry.task));
  const unfinished = trace.tasks.filter((task) => !finished.has(task.id) && !view.internal(task.id)).map((task) => view.narrator.task(task.id, board));
  let line: number | null = null;
  for (let i = last; i >= 0 && line === null; i--) {
    const event = trace.events[i]!;
    if (event.kind === 'line') line = event.line;
  }
  // A status past 128 is what a shell reports for a process ended by a signal: said as a fact of
  // the number, not as the cause (sys.exit(130) gives it too).
  const signal = code > 128 && code <= 128 + 64 ? ` (128 + ${code - 128}: what a shell reports for a process ended by signal ${code - 128})` : '';
  const details = unfinished.length === 0 ? [] : [`Nothing ran after that: ${listed(unfinished)} never finished.`];
  return {
    kind: 'exit',
    reason: null,
    title: `The program exited with status ${code}`,
    text: `It ended itself (sys.exit, os._exit or a signal to itself), as it would under python3: a shell would get exit status ${code}${signal}.`,
    details,
    step: last,
    line,
    traceback: null,
  };
}

/** "A", "A and B", "A, B and C". */
function listed(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

