/** The app's words for a Stop: a run stopped before its program began says so, not that steps were kept. */
import { describe, expect, it } from 'vitest';
import type { Trace, TraceEvent } from '../src/shared/trace';
import { TRACE_VERSION } from '../src/shared/trace';
import { limitSentence } from '../src/trace/limit-words';

function stoppedTrace(events: TraceEvent[]): Trace {
  return {
    version: TRACE_VERSION,
    filename: 'main.py',
    source: 'print("counting")\n',
    tasks: [],
    callbacks: [],
    events: [...events, { kind: 'limit', reason: 'stopped', message: 'You stopped the program.' }],
    end: { status: 'limit', exitCode: 2, clock: 0, wallMs: 0, lineSteps: events.length, maxSteps: 1_000_000 },
  } as Trace;
}

describe('limitSentence, stopped', () => {
  it('before the program began: none of it ran', () => {
    expect(limitSentence(stoppedTrace([]), 'stopped')).toBe('The run was stopped before the program began: none of it ran.');
  });

  it('after some steps: they are kept', () => {
    expect(limitSentence(stoppedTrace([{ kind: 'line', line: 1, task: null } as TraceEvent]), 'stopped')).toBe(
      'The run was stopped before the program finished. The steps recorded before that are kept.',
    );
  });
});
