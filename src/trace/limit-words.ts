/**
 * How a run that ended early is told, in the app's own words (the run banner, the narration).
 */
import { thousands } from '../shared/numbers';
import type { LimitReason, Trace } from '../shared/trace';

/**
 * What the app says of a run ended early (banner and narration): made here from the reason and
 * the trace's own numbers, never taken from the limit event's message (but for its figure, as
 * digits: limitFigure). A trace can come from
 * anywhere (a shared link, an embed, an exported page): its message is only text in a file,
 * which whoever made the file chose; and a live run's deadlock message names tasks the program
 * named. (A live run's messages are checked against the
 * words the tracer writes, src/runtime/wire.ts; a file never met that check.) Where the program
 * was, and what each task waits on, come from the board (`details`).
 */
export function limitSentence(trace: Trace, reason: LimitReason): string {
  switch (reason) {
    case 'steps':
      return `The program ran ${lines(trace.end.maxSteps)}, its step budget, and had not finished. It may never end. The steps so far are kept.`;
    case 'time':
      return `Loop Lab stopped the program after ${seconds(trace.end.wallMs)} of real time: it had not finished, or it was stuck inside one long operation that gives no chance to look in. The steps recorded before that are kept.`;
    case 'memory': {
      const megabytes = limitFigure(trace, / past the (\d{1,6}) MB /);
      return `The program kept asking for memory, past ${megabytes === null ? 'what' : `the ${thousands(megabytes)} MB`} Loop Lab allows one run. The steps so far are kept.`;
    }
    case 'output': {
      const characters = limitFigure(trace, /^The program printed more than ([\d,]{1,13}) characters/);
      return `The program printed more than ${characters === null ? 'Loop Lab keeps' : `${thousands(characters)} characters, the most Loop Lab keeps`} for one run. What it printed up to that limit is kept.`;
    }
    case 'events': {
      const events = limitFigure(trace, /^The trace grew past ([\d,]{1,13}) loop events/);
      return `The trace grew past ${events === null ? 'the most loop events (task steps, timers, queue moves) Loop Lab keeps' : `${thousands(events)} loop events (task steps, timers, queue moves), the most Loop Lab keeps`} for one run. It may never end. The steps so far are kept.`;
    }
    case 'deadlock':
      return 'Every task is waiting for something that can never happen, so the loop has nothing left to run. Real Python would wait here forever.';
    case 'stopped':
      // Stopped while its interpreter was still starting (supervisor.ts): the limit is all there is.
      if (trace.events.every((event) => event.kind === 'limit')) return 'The run was stopped before the program began: none of it ran.';
      return 'The run was stopped before the program finished. The steps recorded before that are kept.';
    case 'crashed':
      return 'The run could not go on: the Python interpreter failed, or the channel its steps come through was closed. The steps recorded before that are kept.';
    case 'damaged':
      return "The program's trace was damaged: what the interpreter sent could not be trusted, so the run was ended. The steps checked before that are kept.";
  }
}

/**
 * The limit's figure (characters, loop events, megabytes) as the run's last limit event gives it,
 * read as digits only (`pattern`'s one group): the banner gave none, where the CLI says "more
 * than 2,000,000 characters" (a newcomer). Only the number is taken, never the message's words;
 * a live run's message was checked against the run's real limit (src/runtime/wire.ts), a file's
 * only for its shape. Null when the trace has no such event or the message is not of that shape.
 */
function limitFigure(trace: Trace, pattern: RegExp): number | null {
  const event = trace.events[lastIndex(trace, 'limit')];
  if (event?.kind !== 'limit') return null;
  const digits = pattern.exec(event.message)?.[1];
  const figure = digits === undefined ? NaN : Number(digits.replaceAll(',', ''));
  return Number.isSafeInteger(figure) && figure > 0 ? figure : null;
}

/** The index of the trace's last event of `kind` (the run's limit, its uncaught exception), or -1. */
export function lastIndex(trace: Trace, kind: 'limit' | 'exception'): number {
  for (let i = trace.events.length - 1; i >= 0; i--) if (trace.events[i]!.kind === kind) return i;
  return -1;
}

/** Reasons whose sentence says by itself that the run was ended (see limitNarration). */
const SAYS_IT_ENDED: ReadonlySet<LimitReason> = new Set(['steps', 'time', 'memory', 'stopped', 'crashed', 'damaged']);

/**
 * The narration's words at a run's limit step: the banner's sentence, after "The run was ended
 * early." where that sentence does not say so itself (a Stop read "The run was ended early. The
 * run was stopped before …").
 */
export function limitNarration(trace: Trace, reason: LimitReason): string {
  const sentence = limitSentence(trace, reason);
  return SAYS_IT_ENDED.has(reason) ? sentence : `The run was ended early. ${sentence}`;
}

/**
 * How a run that did not reach its program's end was ended: its last event's limit, or
 * 'crashed' when it says it was ended early and holds no limit event to say why; null for a
 * run that ran to its end.
 */
export function endedBy(trace: Trace): LimitReason | null {
  if (trace.end.status !== 'limit') return null;
  const last = trace.events[trace.events.length - 1];
  return last?.kind === 'limit' ? last.reason : 'crashed';
}

/** Milliseconds of real time as a person reads them: "1.5 seconds", "about 123 seconds". */
function seconds(ms: number): string {
  const s = ms / 1000;
  if (s >= 10) return `about ${thousands(Math.round(s))} seconds`;
  const shown = Number(s.toPrecision(2));
  return `${shown} second${shown === 1 ? '' : 's'}`;
}

/** "1 line", "1,000,000 lines". */
function lines(n: number): string {
  return `${thousands(n)} line${n === 1 ? '' : 's'}`;
}
