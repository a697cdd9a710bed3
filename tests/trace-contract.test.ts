/**
 * The trace contract's own helpers (src/shared/trace.ts) over whole traces: the cross-reference
 * check the host runs in slices, and a trace file unpacked into one event per step.
 */
import { describe, expect, it } from 'vitest';
import {
  checkingReferences,
  checkTraceFile,
  DEFAULT_MAX_EVENTS,
  DEFAULT_MAX_STEPS,
  firstBadReference,
  MAX_OBJECT_RECORDS,
  MAX_OBJECTS,
  MAX_TRACE_EVENTS,
  MAX_WAIT_IDS,
  packTrace,
  parseTraceFile,
  type SyncObject,
  type Trace,
  type TraceEvent,
  TraceError,
  type TraceFile,
  unpackTrace,
} from '../src/shared/trace';

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
    for (let i = 0; i < 20_000; i++) events.push({ kind: 'line', line: 2, task: null, callback: null });
    events.push({ kind: 'line', line: 3, task: 5, callback: null }); // Task-6 was never made, nor runs
    const check = checkingReferences(traceOf(events));
    let pauses = 0;
    let step = check.next();
    for (; !step.done; step = check.next()) pauses++;
    expect(pauses).toBe(2);
    expect(step.value).toEqual({ at: 20_002, problem: 'events[20002] (line): a step is given to a task or callback that is not running' });
    expect(firstBadReference(traceOf(events))).toEqual(step.value);
    expect(firstBadReference(traceOf(events.slice(0, -1)))).toBeNull();
  });

  it('counts the ids an event carries toward the next pause: a gather of 20,000 ids pauses twice on its own', () => {
    const events: TraceEvent[] = [
      { kind: 'line', line: 1, task: null, callback: null },
      { kind: 'task', task: 0 },
      { kind: 'push', loop: 0, item: { kind: 'task', task: 0 }, reason: 'start' },
      { kind: 'pop', loop: 0, item: { kind: 'task', task: 0 }, cancelled: false },
      { kind: 'suspend', task: 0, wait: { kind: 'gather', tasks: Array.from({ length: 20_000 }, () => 0) }, line: null },
      { kind: 'push', loop: 0, item: { kind: 'task', task: 0 }, reason: 'wake' },
      { kind: 'pop', loop: 0, item: { kind: 'task', task: 0 }, cancelled: false },
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

describe('a trace file holds no more than a run ever records', () => {
  /**
   * A trace file of a step and Task-1's creation, then `steps` line steps on line 2 (packed in
   * runs of at most a step budget each, the most one may hold), and `more` events after.
   */
  function fileOf(steps: number, more: TraceFile['events'] = []): TraceFile {
    const file = packTrace(traceOf([{ kind: 'line', line: 1, task: null, callback: null }, { kind: 'task', task: 0 }]));
    const runs: TraceFile['events'] = [];
    for (let left = steps; left > 0; left -= DEFAULT_MAX_STEPS) runs.push({ kind: 'lines', task: null, callback: null, lines: new Array<number>(Math.min(left, DEFAULT_MAX_STEPS)).fill(2) });
    return { ...file, events: [...file.events, ...runs, ...more] };
  }
  const sentence = (what: string): RegExp => new RegExp(`^This trace holds more ${what} than a Loop Lab run ever records \\(at most [\\d,]+\\), so it was not opened\\.`);

  it('at most MAX_TRACE_EVENTS steps: the app’s step budget, its events, the tracer’s slack and the host’s limit', () => {
    expect(MAX_TRACE_EVENTS).toBe(DEFAULT_MAX_STEPS + DEFAULT_MAX_EVENTS + 64 + 1);
    // Three steps before the packed run: at the most, it is read; one more, and it is refused unread.
    expect(parseTraceFile(fileOf(MAX_TRACE_EVENTS - 2)).events).toHaveLength(MAX_TRACE_EVENTS);
    expect(() => parseTraceFile(fileOf(MAX_TRACE_EVENTS - 1))).toThrow(TraceError);
    expect(() => parseTraceFile(fileOf(MAX_TRACE_EVENTS - 1))).toThrow(sentence('steps'));
    // However they are packed: the reviewer's 3.9 million steps, in runs of any length.
    const runs = Array.from({ length: 39 }, (): TraceFile['events'][number] => ({ kind: 'lines', task: null, callback: null, lines: new Array<number>(100_000).fill(2) }));
    expect(() => parseTraceFile(fileOf(0, runs))).toThrow(sentence('steps'));
    // A packed run longer than a step budget is not a shape the contract has, whatever is around it.
    const one = fileOf(1);
    const long: TraceFile['events'][number] = { kind: 'lines', task: 0, callback: null, lines: new Array<number>(DEFAULT_MAX_STEPS + 1).fill(2) };
    expect(() => parseTraceFile({ ...one, events: [...one.events, long] })).toThrow(/not a Loop Lab trace: events\.3\.lines: expected <=1000000/);
  });

  it('names at most MAX_OBJECTS asyncio objects, and records them at most MAX_OBJECT_RECORDS times in all', () => {
    const lock = (id: number): SyncObject => ({ id, type: 'Lock', label: 'lock', locked: false });
    const blockWith = (objects: SyncObject[]): TraceFile['events'][number] => ({ kind: 'block', seconds: 0, line: null, objects });
    expect(parseTraceFile(fileOf(1, [blockWith([lock(MAX_OBJECTS - 1)])])).events.at(-1)).toMatchObject({ kind: 'block', objects: [{ id: MAX_OBJECTS - 1 }] });
    expect(() => parseTraceFile(fileOf(1, [blockWith([lock(MAX_OBJECTS)])]))).toThrow(/not a Loop Lab trace: events\.3\.objects\.0\.id/);
    expect(() => parseTraceFile(fileOf(1, [blockWith(Array.from({ length: MAX_OBJECTS + 1 }, () => lock(0)))]))).toThrow(/not a Loop Lab trace: events\.3\.objects/);
    // The reviewer's 1.9 million: refused by their count, before any is checked.
    const full = blockWith(Array.from({ length: MAX_OBJECTS }, () => lock(0)));
    const records = Array.from({ length: MAX_OBJECT_RECORDS / MAX_OBJECTS }, () => full);
    expect(parseTraceFile(fileOf(1, records.slice(0, 20))).events).toHaveLength(3 + 20);
    expect(() => parseTraceFile(fileOf(1, [...records, blockWith([lock(0)])]))).toThrow(sentence('records of asyncio objects'));
  });

  it('lists at most MAX_WAIT_IDS task ids in its waits in all', () => {
    const ids = new Array<number>(50_000).fill(0);
    const waits = Array.from({ length: MAX_WAIT_IDS / ids.length }, (): TraceFile['events'][number] => ({ kind: 'suspend', task: 0, wait: { kind: 'wait', tasks: ids }, line: null }));
    const one: TraceFile['events'][number] = { kind: 'suspend', task: 0, wait: { kind: 'gather', tasks: [0] }, line: null };
    expect(() => parseTraceFile(fileOf(1, [...waits, one]))).toThrow(sentence('tasks named by waits'));
    // Under it, the wait is read (and held to the contract: this one names a task more than once).
    expect(() => parseTraceFile(fileOf(1, waits.slice(0, 1)))).toThrow(/^not a Loop Lab trace: events\.3\.wait\.tasks/);
  });
});

describe('a packed run of line numbers', () => {
  const file = (lines: unknown[]): unknown => {
    const packed = packTrace(traceOf([{ kind: 'line', line: 1, task: null, callback: null }, { kind: 'task', task: 0 }]));
    return { ...packed, events: [...packed.events, { kind: 'lines', task: null, callback: null, lines }] };
  };

  it('holds whole numbers from 0, and says where one is not', () => {
    expect(parseTraceFile(file([0, 2, 3])).events.slice(2).map((e) => (e.kind === 'line' ? e.line : null))).toEqual([0, 2, 3]);
    for (const bad of [[2, -1], [2, 1.5], [2, Number.NaN], [2, 2 ** 53], [2, '3']]) {
      expect(() => parseTraceFile(file(bad)), JSON.stringify(bad)).toThrow(/^not a Loop Lab trace: events\.2\.lines/);
    }
    // A hole (a sparse array, as a structured clone may keep one) is not a line number either.
    const holey: number[] = [2, 3];
    holey[3] = 4;
    expect(() => parseTraceFile(file(holey))).toThrow(/^not a Loop Lab trace: events\.2\.lines/);
  });

  it('is checked, and passed on packed, by checkTraceFile: the file parseTraceFile reads', () => {
    const value = file([2, 3, 2]);
    const checked = checkTraceFile(value);
    expect(unpackTrace(checked)).toEqual(parseTraceFile(value));
    expect(checked).toEqual(value);
    expect(() => checkTraceFile(file([2, -3]))).toThrow(TraceError);
  });
});

