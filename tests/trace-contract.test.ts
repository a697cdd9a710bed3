/**
 * The trace contract's own helpers (src/shared/trace.ts) over whole traces: the cross-reference
 * check the host runs in slices, and a trace file unpacked into one event per step.
 */
import { describe, expect, it } from 'vitest';
import { checkingReferences, DEFAULT_MAX_STEPS, firstBadReference, packTrace, type Trace, type TraceEvent, unpackTrace } from '../src/shared/trace';

/** A trace of `events`, with Task-1 (made by its second event) and no callbacks. */
function traceOf(events: TraceEvent[]): Trace {
  return {
    version: 1,
    filename: 'main.py',
    source: 'x\n'.repeat(3),
    tasks: [{ id: 0, name: 'Task-1', coro: 'main()', creator: null, loop: 0, internal: false, createdAt: 1 }],
    callbacks: [],
    events,
    end: { status: 'ok', exitCode: 0, clock: 0, wallMs: 1, lineSteps: events.filter((e) => e.kind === 'line').length, maxSteps: DEFAULT_MAX_STEPS },
  };
}

describe('a trace’s cross-references, checked in slices', () => {
  it('pauses every 8,192 line steps, and finds what firstBadReference finds, past the first pause', () => {
    const events: TraceEvent[] = [{ kind: 'line', line: 1, task: null, callback: null }, { kind: 'task', task: 0 }];
    for (let i = 0; i < 20_000; i++) events.push({ kind: 'line', line: 2, task: 0, callback: null });
    events.push({ kind: 'line', line: 3, task: 5, callback: null }); // Task-6 was never made
    const check = checkingReferences(traceOf(events));
    let pauses = 0;
    let step = check.next();
    for (; !step.done; step = check.next()) pauses++;
    expect(pauses).toBe(2);
    expect(step.value).toEqual({ at: 20_002, problem: 'events[20002] (line) names a task or callback that is not in the trace' });
    expect(firstBadReference(traceOf(events))).toEqual(step.value);
    expect(firstBadReference(traceOf(events.slice(0, -1)))).toBeNull();
  });

  it('counts the ids an event carries toward the next pause: a gather of 20,000 ids pauses twice on its own', () => {
    const events: TraceEvent[] = [
      { kind: 'line', line: 1, task: null, callback: null },
      { kind: 'task', task: 0 },
      { kind: 'suspend', task: 0, wait: { kind: 'gather', tasks: Array.from({ length: 20_000 }, () => 0) }, line: null },
      { kind: 'line', line: 2, task: 0, callback: null },
      { kind: 'suspend', task: 0, wait: { kind: 'gather', tasks: Array.from({ length: 20_000 }, () => 0) }, line: null },
    ];
    const check = checkingReferences(traceOf(events));
    let pauses = 0;
    for (let step = check.next(); !step.done; step = check.next()) pauses++;
    expect(pauses).toBe(2);
  });
});

describe('a trace file’s steps, unpacked', () => {
  it('are the steps packed, one frozen event per line of a task or callback', () => {
    const events: TraceEvent[] = [
      { kind: 'line', line: 1, task: null, callback: null },
      { kind: 'task', task: 0 },
      ...[2, 3, 2, 3].map((line): TraceEvent => ({ kind: 'line', line, task: 0, callback: null })),
      { kind: 'line', line: 2, task: null, callback: 4 },
    ];
    const back = unpackTrace(packTrace(traceOf(events)));
    expect(back.events).toEqual(events);
    expect(back.events[4]).toBe(back.events[2]);
    expect(back.events[5]).toBe(back.events[3]);
    expect(back.events[6]).not.toBe(back.events[2]);
    expect(back.events.every((e) => e.kind !== 'line' || Object.isFrozen(e))).toBe(true);
  });
});
