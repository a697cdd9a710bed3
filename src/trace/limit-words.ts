/**
 * How a run that ended early is told, in the app's own words (the run banner, the narration).
 */
import { thousands } from '../shared/numbers';
import type { LimitReason, Trace } from '../shared/trace';

/**
 * What the app says of a run ended early (banner and narration): made here from the reason and
 * the trace's own numbers, never taken from the limit event's message. A trace can come from
 * anywhere (a shared link, a lesson pack, an embed, an exported page): its message is only text
 * in a file, which whoever made the file chose. (A live run's messages are checked against the
 * words the tracer writes, src/runtime/wire.ts; a file never met that check.) Where the program
 * was, and what each task waits on, come from the board (`details`).
 */
export function limitSentence(trace: Trace, reason: LimitReason): string {
  switch (reason) {
    case 'steps':
      return `The program ran ${thousands(trace.end.maxSteps)} lines, its step budget, and had not finished. It may never end. The steps so far are kept.`;
    case 'time':
      return `Loop Lab stopped the program after ${seconds(trace.end.wallMs)} of real time: it had not finished, or it was stuck inside one long operation that gives no chance to look in. The steps recorded before that are kept.`;
    case 'memory':
      return 'The program kept asking for memory, past what Loop Lab allows one run. The steps so far are kept.';
    case 'output':
      return 'The program printed more than Loop Lab keeps for one run. What it printed up to that limit is kept.';
    case 'events':
      return 'The trace grew past the most loop events (task steps, timers, queue moves) Loop Lab keeps for one run. It may never end. The steps so far are kept.';
    case 'deadlock':
      return 'Every task is waiting for something that can never happen, so the loop has nothing left to run. Real Python would wait here forever.';
    case 'stopped':
      return 'You stopped the program. The steps recorded before that are kept.';
    case 'crashed':
      return 'The Python interpreter broke, or could not start, while running the program. The steps recorded before that are kept. Run it again to start a fresh one.';
    case 'damaged':
      return "The program's trace was damaged: what the interpreter sent could not be trusted, so the run was ended and a fresh interpreter started. The steps checked before that are kept.";
  }
}

/** Milliseconds of real time as a person reads them: "12 seconds", "1.5 seconds". */
function seconds(ms: number): string {
  const s = Number((ms / 1000).toPrecision(2));
  return `${s} second${s === 1 ? '' : 's'}`;
}
