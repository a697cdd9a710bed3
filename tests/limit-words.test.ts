/**
 * A run ended early is told in the app's own words, whatever the trace's limit event says: a
 * trace file (a shared link, a lesson pack, an embed) can carry any message, since no tracer
 * wrote it, and the banner and the narration must not become a stranger's mouthpiece.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runEndNote } from '../src/renderer/lib/run-end';
import { TraceView } from '../src/renderer/lib/trace-view';
import { BoardIndex } from '../src/trace/board';
import { Narrator } from '../src/trace/narrate';
import { type LimitReason, LimitReasonSchema, packTrace, parseTraceFile, type Trace } from '../src/shared/trace';

const FORGED = 'Your computer is infected: call 555-0100 and read out your password';

/** The deadlock fixture as a file from a stranger: its limit says whatever they like. */
function forgedFile(reason: LimitReason): Trace {
  const trace = JSON.parse(readFileSync(new URL('./fixtures/player/deadlock.trace.json', import.meta.url), 'utf8')) as Trace;
  const last = trace.events[trace.events.length - 1]!;
  if (last.kind !== 'limit') throw new Error('the fixture ends with a limit');
  trace.events[trace.events.length - 1] = { ...last, reason, message: FORGED };
  // Through the same door as a shared link or a pack's trace: the file format's own checks.
  return parseTraceFile(JSON.parse(JSON.stringify(packTrace(trace))));
}

describe("a limit's words", () => {
  it.each(LimitReasonSchema.options)('%s: the banner and the narration say the app’s sentence, not the file’s', (reason) => {
    const trace = forgedFile(reason);
    const note = runEndNote(new TraceView(trace));
    expect(note?.kind).toBe('limit');
    expect(note?.reason).toBe(reason);
    expect(note?.text).not.toContain('555');
    expect(note?.text.length).toBeGreaterThan(20);
    for (const detail of note?.details ?? []) expect(detail).not.toContain('555');
    const at = trace.events.length - 1;
    const last = new Narrator(trace).narrate(at, new BoardIndex(trace).at(at));
    // The banner's sentence, told once: after "The run was ended early." only where it does not say so itself.
    const ended = ['steps', 'time', 'memory', 'stopped', 'crashed', 'damaged'].includes(reason);
    expect(last).toBe(ended ? note?.text : `The run was ended early. ${note?.text}`);
    expect(last).not.toContain('555');
  });

  it('a step budget is told with the trace’s own budget', () => {
    const trace = forgedFile('steps');
    trace.end.maxSteps = 12_345;
    expect(runEndNote(new TraceView(trace))?.text).toContain('The program ran 12,345 lines, its step budget');
  });
});
