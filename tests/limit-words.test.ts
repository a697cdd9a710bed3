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

function limitedTrace(reason: 'output' | 'events' | 'memory', message: string): Trace {
  return { ...stoppedTrace([]), events: [{ kind: 'line', line: 1, task: null } as TraceEvent, { kind: 'limit', reason, message }] } as Trace;
}

describe('limitSentence gives the limit’s figure, as the CLI does (a newcomer: the banner gave none)', () => {
  it('output: the characters the tracer says it stopped at', () => {
    const trace = limitedTrace('output', 'The program printed more than 2,000,000 characters (it was at line 3). What it printed up to that limit is kept.');
    expect(limitSentence(trace, 'output')).toBe('The program printed more than 2,000,000 characters, the most Loop Lab keeps for one run. What it printed up to that limit is kept.');
  });

  it('events: the loop events', () => {
    const trace = limitedTrace('events', 'The trace grew past 200,000 loop events (task steps, timers, queue moves), the most Loop Lab keeps for one run. It may never end. The steps so far are kept.');
    expect(limitSentence(trace, 'events')).toBe(
      'The trace grew past 200,000 loop events (task steps, timers, queue moves), the most Loop Lab keeps for one run. It may never end. The steps so far are kept.',
    );
  });

  it('memory: the megabytes', () => {
    const trace = limitedTrace('memory', 'The program kept asking for memory, past the 384 MB Loop Lab allows (it was at line 2). The steps so far are kept.');
    expect(limitSentence(trace, 'memory')).toBe('The program kept asking for memory, past the 384 MB Loop Lab allows one run. The steps so far are kept.');
  });

  it('takes only digits from a message: words of a file’s own, or a figure too long to be one, give the sentence without a figure', () => {
    expect(limitSentence(limitedTrace('output', 'Your computer is infected: call 0800 123 456'), 'output')).toBe(
      'The program printed more than Loop Lab keeps for one run. What it printed up to that limit is kept.',
    );
    expect(limitSentence(limitedTrace('output', 'The program printed more than 99999999999999999999 characters. What it printed up to that limit is kept.'), 'output')).toBe(
      'The program printed more than Loop Lab keeps for one run. What it printed up to that limit is kept.',
    );
    expect(limitSentence(limitedTrace('memory', 'The program kept asking for memory, past the 0 MB Loop Lab allows. The steps so far are kept.'), 'memory')).toBe(
      'The program kept asking for memory, past what Loop Lab allows one run. The steps so far are kept.',
    );
  });
});
