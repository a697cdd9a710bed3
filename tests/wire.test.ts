/**
 * The wire decoder (src/runtime/wire.ts): the tracer's compact events become the trace
 * contract. What needs care is its state: a LINE event belongs to whatever the loop runs at
 * that moment, and that state, the event index and the line count carry across chunks.
 *
 * The tests write a chunk as the tracer's events with each LINE event as a bare line number;
 * `chunk()` turns that into the wire form: markers in the event list, line numbers apart.
 */
import { describe, expect, it } from 'vitest';
import { lastLineOf } from '../src/shared/trace-rules';
import {
  type DecodedChunk,
  MAX_CHUNK_WEIGHT,
  MAX_RUN_WEIGHT,
  MAX_WIRE_CHARS,
  TEARDOWN_ALLOWANCE,
  TRACEBACK_ALLOWANCE,
  MAX_CHUNK_CHARS,
  TraceTooLarge,
  WireDecoder,
  type WireEvent,
} from '../src/runtime/wire';
import { CHARS_PER_VALUE, jsonWeight } from '../src/runtime/wire-weight';
import { MESSAGE_EVENTS, MESSAGE_LINES } from '../src/shared/runtime-protocol';
import { DEFAULT_MAX_EVENTS, DEFAULT_MAX_OUTPUT_CHARS, DEFAULT_MAX_STEPS, MAX_OBJECT_RECORDS, MAX_OBJECTS, MAX_WAIT_IDS, TraceError, type TraceEvent, wellFormed } from '../src/shared/trace';

type Written = number | [string, ...unknown[]];

/** A decoder that takes chunks written with inline line numbers. */
class Decoder {
  private readonly inner: WireDecoder;
  private lines = 0;

  constructor(options: { verify?: boolean; maxLine?: number } = {}) {
    this.inner = new WireDecoder({ maxSteps: DEFAULT_MAX_STEPS, maxOutputChars: DEFAULT_MAX_OUTPUT_CHARS, maxEvents: DEFAULT_MAX_EVENTS, ...options });
  }

  get lineSteps(): number {
    return this.inner.lineSteps;
  }

  decode(written: Written[]): DecodedChunk {
    const wire: Written[] = [];
    const lines: number[] = [];
    for (const item of written) {
      if (typeof item === 'number') {
        lines.push(item);
        this.lines++;
        if (typeof wire.at(-1) === 'number') wire.pop();
        wire.push(this.lines);
      } else {
        wire.push(item);
      }
    }
    return this.inner.decode(JSON.stringify(wire), lines);
  }
}

describe('WireDecoder', () => {
  it('gives each line to the task or callback the loop popped, and to nobody between', () => {
    const decoder = new Decoder();
    const out = decoder.decode([
      1, // module level
      ['task', 0, 'Task-1', 'main()', null, 0],
      ['push', 0, ['t', 0], 'start'],
      ['pop', 0, ['t', 0], 0],
      5,
      ['susp', 0, { kind: 'yield' }, 5],
      7, // after the task gave control back: no task runs this line
      ['cb', 0, 'on_done', 1, 3],
      ['push', 0, ['c', 0], 'soon'],
      ['pop', 0, ['c', 0], 0],
      4,
      ['cbend', 0],
      9,
    ]);
    const lines = out.events.flatMap((e) => (e.kind === 'line' ? [[e.line, e.task, e.callback]] : []));
    expect(lines).toEqual([
      [1, null, null],
      [5, 0, null],
      [7, null, null],
      [4, null, 0],
      [9, null, null],
    ]);
    expect(decoder.lineSteps).toBe(5);
    expect(out.callbacks).toEqual([{ id: 0, label: 'on_done', user: true, line: 3 }]);
    // 'cb' is a declaration, not a step: it makes no event.
    expect(out.events.map((e) => e.kind)).toEqual([
      'line', 'task', 'push', 'pop', 'line', 'suspend', 'line', 'push', 'pop', 'line', 'callback_end', 'line',
    ]);
  });

  it('makes one frozen event per line of a task or callback, shared by every step on it there, across chunks', () => {
    const decoder = new Decoder();
    const first = decoder.decode([
      ['task', 0, 'Task-1', 'main()', null, 0],
      ['push', 0, ['t', 0], 'start'],
      ['pop', 0, ['t', 0], 0],
      2, 3, 2, 3,
    ]);
    const second = decoder.decode([2, ['susp', 0, { kind: 'yield' }, 2], 2]);
    const steps = [...first.events, ...second.events].filter((e) => e.kind === 'line');
    expect(steps.map((e) => [e.line, e.task, e.callback])).toEqual([[2, 0, null], [3, 0, null], [2, 0, null], [3, 0, null], [2, 0, null], [2, null, null]]);
    // Line 2 in Task-1: one object, in both chunks; line 2 after the task gave control back is another.
    expect(steps[2]).toBe(steps[0]);
    expect(steps[4]).toBe(steps[0]);
    expect(steps[3]).toBe(steps[1]);
    expect(steps[5]).not.toBe(steps[0]);
    expect(Object.isFrozen(steps[0])).toBe(true);
    expect(() => {
      (steps[0] as { line: number }).line = 99;
    }).toThrow(TypeError);
  });

  it('a cancelled handle dropped by the loop does not become the running one', () => {
    const decoder = new Decoder();
    const out = decoder.decode([
      ['task', 0, 'Task-1', 'main()', null, 0],
      ['push', 0, ['t', 0], 'start'],
      ['pop', 0, ['t', 0], 0],
      ['cb', 0, 'tick', 0, null],
      ['push', 0, ['c', 0], 'soon'],
      ['pop', 0, ['c', 0], 1],
      6,
    ]);
    expect(out.events.at(-1)).toEqual({ kind: 'line', line: 6, task: 0, callback: null });
    expect(out.events.at(-2)).toEqual({ kind: 'pop', loop: 0, item: { kind: 'callback', callback: 0 }, cancelled: true });
  });

  it('keeps the event index and the running task across chunks', () => {
    const decoder = new Decoder();
    const first = decoder.decode([1, 2, ['task', 0, 'Task-1', 'main()', null, 0], ['push', 0, ['t', 0], 'start'], ['pop', 0, ['t', 0], 0]]);
    const second = decoder.decode([3, ['task', 1, 'worker', 'work(1)', 0, 0]]);
    expect(first.tasks[0]?.createdAt).toBe(2);
    expect(second.events[0]).toEqual({ kind: 'line', line: 3, task: 0, callback: null });
    expect(second.tasks).toEqual([{ id: 1, name: 'worker', coro: 'work(1)', creator: 0, loop: 0, internal: false, createdAt: 6 }]);
    expect(decoder.lineSteps).toBe(3);
  });

  it('decodes the verify-mode queues, waits, ends and limits field by field', () => {
    const wire: Written[] = [
      ['task', 0, 'Task-1', 'main()', null, 0],
      ['push', 0, ['t', 0], 'start', [['t', 0]]],
      ['pop', 0, ['t', 0], 0, []],
      ['task', 1, 'Task-2', 'job()', 0, 0],
      ['push', 0, ['t', 1], 'start', [['t', 1]]],
      ['cb', 0, 'a', 0, null],
      ['cb', 1, 'b', 0, null],
      ['cb', 2, 'c', 0, null],
      ['timer', 0, 2, 1.5],
      ['cb', 3, 'd', 0, null],
      ['timer', 0, 3, null],
      ['tcan', 0, 3],
      ['susp', 0, { kind: 'sleep', timer: 2, until: 1.5, deadline: 2 }, 4],
      ['pop', 0, ['t', 1], 0, []],
      ['clock', 1.5],
      ['out', 'stderr', 'oops\n'],
      ['done', 1, 'exception', 'ValueError: bad', 7],
      ['rename', 0, 'boss'],
      ['block', 0.5, 8],
      ['loop', 0, 'stop'],
      ['exc', 'ValueError', 'bad', 7],
    ];
    const out = new Decoder({ verify: true }).decode(wire);
    expect(out.events.slice(4)).toEqual([
      { kind: 'push', loop: 0, item: { kind: 'task', task: 1 }, reason: 'start', real: [{ kind: 'task', task: 1 }] },
      { kind: 'timer', loop: 0, timer: 2, when: 1.5 },
      { kind: 'timer', loop: 0, timer: 3, when: null },
      { kind: 'timer_cancel', loop: 0, timer: 3 },
      { kind: 'suspend', task: 0, wait: { kind: 'sleep', timer: 2, until: 1.5, deadline: 2 }, line: 4 },
      { kind: 'pop', loop: 0, item: { kind: 'task', task: 1 }, cancelled: false, real: [] },
      { kind: 'clock', time: 1.5 },
      { kind: 'output', stream: 'stderr', text: 'oops\n' },
      { kind: 'done', task: 1, outcome: 'exception', text: 'ValueError: bad', line: 7 },
      { kind: 'rename', task: 0, name: 'boss' },
      { kind: 'block', seconds: 0.5, line: 8 },
      { kind: 'loop', loop: 0, action: 'stop' },
      { kind: 'exception', type: 'ValueError', message: 'bad', line: 7 },
    ]);
    const stuck = 'Every task is waiting for something that can never happen, so the loop has nothing left to run: Task-1 waits on Task-1. Real Python would wait here forever.';
    expect(new Decoder().decode([['loop', 0, 'run'], ['limit', 'deadlock', stuck]]).events.at(-1)).toEqual({ kind: 'limit', reason: 'deadlock', message: stuck });
    // Without verify mode there is no `real` key at all (not even undefined).
    const plain = new Decoder().decode([['task', 0, 'Task-1', 'main()', null, 0], ['push', 0, ['t', 0], 'yield'], ['pop', 0, ['t', 0], 0]]);
    for (const event of plain.events) expect(Object.keys(event)).not.toContain('real');
    // Nor may a run that did not ask for it send one: a forged queue of millions of items took
    // the host 36 s to check.
    expect(() => new Decoder().decode([['task', 0, 'Task-1', 'main()', null, 0], ['pop', 0, ['t', 0], 0, [['t', 0]]]])).toThrow(
      /a ready queue the run never asked for/,
    );
    expect(() => new Decoder().decode([['task', 0, 'Task-1', 'main()', null, 0], ['push', 0, ['t', 0], 'start', [['t', 0]]]])).toThrow(
      /a ready queue the run never asked for/,
    );
  });

  it('holds a run to what the tracer ever sends: its own limit texts, nothing after the last event, the output cap', () => {
    // A program shares the interpreter with the tracer and can write frames of its own.
    expect(() => new Decoder().decode([['limit', 'crashed', 'Loop Lab needs an update: open https://evil.example']])).toThrow(TraceError);
    expect(() => new Decoder().decode([['limit', 'stopped', 'The learner pressed Stop.']])).toThrow(TraceError);
    expect(() => new Decoder().decode([['exc', 'ValueError', 'bad', 7], ['clock', 2]])).toThrow(TraceError);
    expect(() => new Decoder().decode([['exc', 'ValueError', 'bad', 7], ['task', 0, 'Task-1', 'main()', null, 0]])).toThrow(TraceError);
    // What is printed as the program is torn down may follow: CPython's warnings on stderr, and
    // whatever a __del__ prints (python3 prints it after the traceback).
    const warning = "sys:1: RuntimeWarning: coroutine 'greet' was never awaited\n";
    expect(new Decoder().decode([['exc', 'ValueError', 'bad', 7], ['out', 'stderr', warning]]).events.at(-1)).toMatchObject({ kind: 'output', text: warning });
    expect(new Decoder().decode([['exc', 'ValueError', 'bad', 7], ['out', 'stdout', 'bye\n']]).events.at(-1)).toMatchObject({ kind: 'output', text: 'bye\n' });
    const steps = 'The program ran 1,000,000 lines, its step budget, and had not finished (it was at line 3). It may never end. The steps so far are kept.';
    // A limit the run reached is taken; one it never reached is a program's doing (it set the
    // tracer's `stopped` by hand: a run of 12 lines ended as one that "may never end").
    const threeSteps = { maxSteps: 3, maxOutputChars: 5, maxEvents: 2 };
    const atBudget = 'The program ran 3 lines, its step budget, and had not finished (it was at line 1). It may never end. The steps so far are kept.';
    expect(new WireDecoder(threeSteps).decode(JSON.stringify([3, ['limit', 'steps', atBudget]]), [1, 1, 1]).events.at(-1)).toEqual({ kind: 'limit', reason: 'steps', message: atBudget });
    expect(() => new WireDecoder(threeSteps).decode(JSON.stringify([2, ['limit', 'steps', atBudget]]), [1, 1])).toThrow(/steps limit with words the tracer never writes/);
    expect(() => new Decoder().decode([['limit', 'steps', steps]])).toThrow(/steps limit with words the tracer never writes/);
    // The line it says the program was at is one of the program's.
    const oneLine = { ...threeSteps, maxLine: 1 };
    expect(() => new WireDecoder(oneLine).decode(JSON.stringify([3, ['limit', 'steps', atBudget]]), [1, 1, 1])).not.toThrow();
    expect(() => new WireDecoder(oneLine).decode(JSON.stringify([3, ['limit', 'steps', atBudget.replace('line 1)', 'line 2)')]]), [1, 1, 1])).toThrow(/steps limit/);
    for (const line of ['0', '01']) {
      // Lines count from 1, written as Python writes an int.
      expect(() => new WireDecoder(threeSteps).decode(JSON.stringify([3, ['limit', 'steps', atBudget.replace('line 1)', `line ${line})`)]]), [1, 1, 1])).toThrow(/steps limit/);
    }
    // It is read only where the tracer writes it: a deadlock's message quotes the stuck tasks'
    // names, which the program chose, and a task named "(it was at line 999)" is not a line.
    const named = 'Every task is waiting for something that can never happen, so the loop has nothing left to run: Task-1 waits on (it was at line 999), line 3; (it was at line 999) waits on Event.wait(). Real Python would wait here forever.';
    expect(new WireDecoder(oneLine).decode(JSON.stringify([['loop', 0, 'run'], ['limit', 'deadlock', named]]), []).events.at(-1)).toEqual({ kind: 'limit', reason: 'deadlock', message: named });
    // The lines of code the program compiled itself are the host's to take on the tracer's word.
    const compiled = 'The program ran 3 lines (with 2 lines of code it compiled and ran itself), its step budget, and had not finished. It may never end. The steps so far are kept.';
    expect(() => new WireDecoder(threeSteps).decode(JSON.stringify([1, ['limit', 'steps', compiled]]), [1])).not.toThrow();
    expect(() => new WireDecoder(threeSteps).decode(JSON.stringify([['limit', 'steps', compiled]]), [])).toThrow(/steps limit/);
    const twoEvents = 'The trace grew past 2 loop events (task steps, timers, queue moves), the most Loop Lab keeps for one run. It may never end. The steps so far are kept.';
    expect(() => new WireDecoder(threeSteps).decode(JSON.stringify([['clock', 1], ['clock', 2], ['clock', 3], ['limit', 'events', twoEvents]]), [])).not.toThrow();
    expect(() => new WireDecoder(threeSteps).decode(JSON.stringify([['clock', 1], ['limit', 'events', twoEvents]]), [])).toThrow(/events limit/);
    const fiveChars = 'The program printed more than 5 characters. What it printed up to that limit is kept.';
    expect(() => new WireDecoder(threeSteps).decode(JSON.stringify([['out', 'stdout', 'hello'], ['limit', 'output', fiveChars]]), [])).not.toThrow();
    expect(() => new WireDecoder(threeSteps).decode(JSON.stringify([['out', 'stdout', 'hell'], ['limit', 'output', fiveChars]]), [])).toThrow(/output limit/);
    // The bound it names must be the run's own, not one the program made up.
    const madeUp = 'The program ran 5 lines, its step budget, and had not finished. It may never end. The steps so far are kept.';
    expect(() => new Decoder().decode([['limit', 'steps', madeUp]])).toThrow(/steps limit with words the tracer never writes/);
    const events = 'The trace grew past 7 loop events (task steps, timers, queue moves), the most Loop Lab keeps for one run. It may never end. The steps so far are kept.';
    expect(() => new Decoder().decode([['limit', 'events', events]])).toThrow(TraceError);
    // The cap, a whole traceback and what the program's objects print as they go, and no more.
    const capped = new WireDecoder({ maxSteps: 10, maxOutputChars: 5, maxEvents: 100 });
    expect(() => capped.decode(JSON.stringify([['out', 'stderr', 'x'.repeat(5 + TRACEBACK_ALLOWANCE + TEARDOWN_ALLOWANCE)]]), [])).not.toThrow();
    expect(() => capped.decode(JSON.stringify([['out', 'stderr', 'x']]), [])).toThrow(/more output than the run may print/);
    const fewSteps = new WireDecoder({ maxSteps: 2, maxOutputChars: 5, maxEvents: 100 });
    expect(() => fewSteps.decode(JSON.stringify([3]), [1, 2, 3])).toThrow(TraceError);
  });

  it('a task that finishes while running leaves nobody running; a task that is not running cannot finish', () => {
    const opening: Written[] = [
      ['task', 0, 'Task-1', 'main()', null, 0],
      ['task', 1, 'Task-2', 'job()', 0, 0],
      ['push', 0, ['t', 0], 'start'],
      ['pop', 0, ['t', 0], 0],
    ];
    const out = new Decoder().decode([...opening, 3, ['done', 0, 'result', 'None', null], 4]);
    const lines = out.events.flatMap((e) => (e.kind === 'line' ? [e.task] : []));
    expect(lines).toEqual([0, null]);
    // The tracer records the end of the task that runs (observe.py, note_done): Task-2 never ran.
    expect(() => new Decoder().decode([...opening, ['done', 1, 'cancelled', 'cancelled', null]])).toThrow(/a task finishes while it is not running/);
  });

  it('reads markers as counts of line numbers, across chunks', () => {
    const decoder = new WireDecoder();
    const first = decoder.decode(JSON.stringify([2, ['clock', 1], 3]), [10, 11, 12]);
    expect(first.events).toEqual([
      { kind: 'line', line: 10, task: null, callback: null },
      { kind: 'line', line: 11, task: null, callback: null },
      { kind: 'clock', time: 1 },
      { kind: 'line', line: 12, task: null, callback: null },
    ]);
    const second = decoder.decode(JSON.stringify([['clock', 2], 5]), new Int32Array([13, 14]));
    expect(second.events.map((e) => (e.kind === 'line' ? e.line : e.kind))).toEqual(['clock', 13, 14]);
    expect(decoder.lineSteps).toBe(5);
    expect(() => new WireDecoder().decode('[3]', [1, 2])).toThrow(/line 3 is missing/);
  });

  it('output that goes on across chunks, with nothing between, is one event: where a chunk ended changes nothing', () => {
    const decoder = new WireDecoder();
    const first = decoder.decode(JSON.stringify([['task', 0, 'Task-1', 'main()', null, 0], ['push', 0, ['t', 0], 'start'], ['pop', 0, ['t', 0], 0], 1, ['out', 'stdout', 'a', { frames: [] }]]), [1]);
    const second = decoder.decode(JSON.stringify([['out', 'stdout', 'b\n']]), []);
    expect(second.events).toEqual([]);
    // The event the first chunk kept now holds both pieces, as one chunk would have given it.
    expect(first.events.at(-1)).toEqual({ kind: 'output', stream: 'stdout', text: 'ab\n', frames: [] });
    // Another stream, or a line between, begins an event of its own.
    const third = decoder.decode(JSON.stringify([['out', 'stderr', 'e'], 2, ['out', 'stderr', 'f']]), [2]);
    expect(third.events.map((e) => (e.kind === 'output' ? e.text : e.kind))).toEqual(['e', 'line', 'f']);
    // A callback's details between (no event of the trace's) begin a new one too, as in the tracer.
    const withCallback = new WireDecoder().decode(JSON.stringify([['out', 'stdout', 'a'], ['cb', 0, 'tick', 0, null], ['out', 'stdout', 'b']]), []);
    expect(withCallback.events.map((e) => (e.kind === 'output' ? e.text : e.kind))).toEqual(['a', 'b']);
    // A continuation has no fields of its own (the tracer writes them on an output's first piece).
    expect(() => decoder.decode(JSON.stringify([['out', 'stderr', 'g', { frames: [] }]]), [])).toThrow(/carries fields of its own/);
    // Counted against the output cap as the output it is.
    const capped = new WireDecoder({ maxSteps: DEFAULT_MAX_STEPS, maxOutputChars: 4, maxEvents: DEFAULT_MAX_EVENTS });
    const kept = capped.decode(JSON.stringify([['out', 'stdout', 'abc']]), []);
    expect(() => capped.decode(JSON.stringify([['out', 'stdout', 'x'.repeat(2_000_000)]]), [])).toThrow(/more output than the run may print/);
    // Refused before it touched what was kept (the host never holds it), as is a continuation
    // in a chunk refused for something after it.
    expect(kept.events).toEqual([{ kind: 'output', stream: 'stdout', text: 'abc' }]);
    const later = new WireDecoder();
    const held = later.decode(JSON.stringify([['out', 'stdout', 'a']]), []);
    expect(() => later.decode(JSON.stringify([['out', 'stdout', 'b'], ['eval', 'x']]), [])).toThrow(/an event of a kind the tracer never writes/);
    expect(held.events).toEqual([{ kind: 'output', stream: 'stdout', text: 'a' }]);
  });

  it('says where an event is malformed only in the contract’s own field names, never in keys the program chose', () => {
    let message = '';
    try {
      new Decoder().decode([['out', 'stdout', 'x', { frames: [{ name: 'main', line: 3, user: 1, VIRUS_FOUND_call_the_helpdesk: 1 }] }]]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^wire: an? output event is malformed at frames\.0\.…/);
    expect(message).not.toMatch(/VIRUS/);
  });

  it('places one-line pieces by the hundred thousand without copying them over and over', () => {
    const decoder = new WireDecoder();
    for (let i = 0; i < 100_000; i++) decoder.decode('[]', new Int32Array([i % 50]));
    const placed: TraceEvent[] = [];
    for (let upTo = MESSAGE_LINES; upTo <= 100_000; upTo += MESSAGE_LINES) placed.push(...decoder.decode(`[${upTo}]`, new Int32Array(0)).events);
    expect(placed).toHaveLength(100_000);
    expect(placed[99_999]).toMatchObject({ kind: 'line', line: 99_999 % 50 });
    expect(() => decoder.finish()).not.toThrow();
  });

  it('refuses a chunk that carries, or places, more line numbers than the tracer sends at once', () => {
    // Carried: one message of MESSAGE_LINES is taken, one more is not.
    const carried = new WireDecoder();
    expect(carried.decode(`[${MESSAGE_LINES}]`, new Int32Array(MESSAGE_LINES)).events).toHaveLength(MESSAGE_LINES);
    expect(() => carried.decode('[]', new Int32Array(MESSAGE_LINES + 1))).toThrow(/carries more line numbers than the tracer ever sends at once/);
    // Placed: lines sent ahead in small messages, then one chunk whose markers place them all,
    // in one marker or in many (an attacker's ~1,000,000 took the host's task 170–300 ms).
    for (const markers of [[2 * MESSAGE_LINES], [MESSAGE_LINES, MESSAGE_LINES + 1]]) {
      const placed = new WireDecoder();
      placed.decode('[]', new Int32Array(MESSAGE_LINES));
      placed.decode('[]', new Int32Array(MESSAGE_LINES));
      expect(() => placed.decode(JSON.stringify(markers), new Int32Array(0))).toThrow(/places more line steps than the tracer ever sends at once/);
    }
    // The same lines placed over two chunks are taken.
    const twice = new WireDecoder();
    twice.decode('[]', new Int32Array(MESSAGE_LINES));
    twice.decode('[]', new Int32Array(MESSAGE_LINES));
    expect(twice.decode(`[${MESSAGE_LINES}]`, new Int32Array(0)).events).toHaveLength(MESSAGE_LINES);
    expect(twice.decode(`[${2 * MESSAGE_LINES}]`, new Int32Array(0)).events).toHaveLength(MESSAGE_LINES);
  });

  it('refuses a chunk that carries more events than the tracer sends at once, however little they weigh', () => {
    // An attacker's 99,000 one-character outputs weighed under the chunk cap and took the host
    // 0.3–0.7 s to check in one task. Events and line markers both count.
    // The streams alternate: output on the stream of the event before it continues that event.
    const outputs = (count: number): string => JSON.stringify(Array.from({ length: count }, (_, i) => ['out', i % 2 ? 'stderr' : 'stdout', 'x']));
    const limits = { maxSteps: DEFAULT_MAX_STEPS, maxOutputChars: DEFAULT_MAX_OUTPUT_CHARS, maxEvents: 1_000_000 };
    expect(new WireDecoder(limits).decode(outputs(MESSAGE_EVENTS), []).events).toHaveLength(MESSAGE_EVENTS);
    expect(() => new WireDecoder(limits).decode(outputs(MESSAGE_EVENTS + 1), [])).toThrow(/carries more events than the tracer ever sends at once/);
    const markers = JSON.stringify(Array.from({ length: MESSAGE_EVENTS + 1 }, () => 0));
    expect(() => new WireDecoder(limits).decode(markers, [])).toThrow(/carries more events than the tracer ever sends at once/);
    // Refused as damaged, not as a trace grown too long: the tracer never sends such a chunk.
    expect(() => new WireDecoder(limits).decode(markers, [])).not.toThrow(TraceTooLarge);
  });

  it('refuses a step on a line past the program’s last, and counts lines as CPython does', () => {
    expect(lastLineOf('')).toBe(1);
    expect(lastLineOf('a\nb')).toBe(2);
    expect(lastLineOf('a\nb\n')).toBe(3);
    expect(lastLineOf('a\rb\rc')).toBe(3);
    expect(lastLineOf('a\r\nb')).toBe(2);
    expect(lastLineOf('a\r\n\r\nb\r')).toBe(4);
    expect(lastLineOf('a\fb\u2028c')).toBe(1);
    const limits = { maxSteps: 100, maxOutputChars: 100, maxEvents: 100, maxLine: 3 };
    expect(new WireDecoder(limits).decode('[3]', new Int32Array([1, 3, 0])).events).toHaveLength(3);
    expect(() => new WireDecoder(limits).decode('[2]', new Int32Array([1, 4]))).toThrow(/a step is on a line past the program’s last/);
    expect(() => new WireDecoder(limits).decode('[1]', new Int32Array([2 ** 31 - 1]))).toThrow(/past the program’s last/);
  });

  it('refuses a callback, wait, end, block or learner frame on a line past the program’s last', () => {
    const opening: Written[] = [['task', 0, 'Task-1', 'main()', null, 0], ['push', 0, ['t', 0], 'start'], ['pop', 0, ['t', 0], 0], ['task', 1, 'Task-2', 'job()', 0, 0]];
    const frameAt = (line: number, user: 0 | 1) => ({ frames: [{ name: 'main', line, user }] });
    // Each event on the program's last line (5), then one line past it.
    const onLine = (line: number): Written[] => [
      ['cb', 0, 'on_done', 1, line],
      ['susp', 0, { kind: 'yield' }, line],
      ['susp', 0, { kind: 'yield' }, 2, frameAt(line, 1)],
      ['out', 'stdout', 'x', frameAt(line, 1)],
      ['done', 0, 'exception', 'ValueError: bad', line],
      ['block', 0.5, line],
      ['exc', 'ValueError', 'bad', line],
    ];
    for (const written of onLine(5)) {
      expect(() => new Decoder({ maxLine: 5 }).decode([...opening, written])).not.toThrow();
    }
    for (const written of onLine(6)) {
      expect(() => new Decoder({ maxLine: 5 }).decode([...opening, written])).toThrow(/an event points at a line past the program’s last/);
    }
    // asyncio's own frames are on lines of its files. (An uncaught exception's line is the
    // program's: the deepest of its own frames in the traceback, or a SyntaxError's in its source.)
    expect(() => new Decoder({ maxLine: 5 }).decode([...opening, ['susp', 0, { kind: 'yield' }, 2, frameAt(640, 0)]])).not.toThrow();
  });

  it('makes names and messages well-formed Unicode: a lone surrogate becomes U+FFFD, as a cut name’s did', () => {
    // A program's `create_task(main(), name="\ud800x")`: Python's JSON escapes the surrogate, JSON.parse gives it back.
    const { events, tasks } = new Decoder().decode([
      ['task', 0, '\ud800x', 'main\udbff()', null, 0],
      ['rename', 0, 'y\udfff'],
      ['push', 0, ['t', 0], 'start'],
      ['pop', 0, ['t', 0], 0],
      ['done', 0, 'exception', '\udc00 raised', null],
    ]);
    expect(tasks[0]).toMatchObject({ name: '\ufffdx', coro: 'main\ufffd()' });
    expect(events.find((event) => event.kind === 'rename')).toMatchObject({ name: 'y\ufffd' });
    expect(events.find((event) => event.kind === 'done')).toMatchObject({ text: '\ufffd raised' });
  });

  it('makes text well-formed the same way where the browser has no String.prototype.toWellFormed (an exported page in Firefox ESR 115)', () => {
    const samples = ['\ud800x', 'y\udfff', '\udc00\ud800', 'ok \ud83d\ude00 pair', '\ud83d\ude00\ud83d', 'plain'];
    const expected = samples.map((text) => text.toWellFormed());
    const own = Object.getOwnPropertyDescriptor(String.prototype, 'toWellFormed')!;
    delete (String.prototype as { toWellFormed?: unknown }).toWellFormed;
    try {
      expect(samples.map(wellFormed)).toEqual(expected);
    } finally {
      Object.defineProperty(String.prototype, 'toWellFormed', own);
    }
    expect(expected).toEqual(['\ufffdx', 'y\ufffd', '\ufffd\ufffd', 'ok \ud83d\ude00 pair', '\ud83d\ude00\ufffd', 'plain']);
  });

  it('keeps every local variable’s name, constructor and prototype too, as own properties of an object with no prototype', () => {
    // valibot's record() left out `constructor` and `prototype`: a learner's variable vanished (an attacker's finding).
    const wire = '[["task",0,"Task-1","main()",null,0],["push",0,["t",0],"start"],["pop",0,["t",0],0],["out","stdout","x",{"frames":[{"name":"main","line":1,"user":1,"locals":{"constructor":"1","prototype":"\'p\'","__proto__":"{}","x":"3"}}]}]]';
    const { events } = new WireDecoder({ maxSteps: DEFAULT_MAX_STEPS, maxOutputChars: DEFAULT_MAX_OUTPUT_CHARS, maxEvents: DEFAULT_MAX_EVENTS }).decode(wire, []);
    const output = events.find((event) => event.kind === 'output')!;
    const locals = output.kind === 'output' ? output.frames?.[0]?.locals : undefined;
    expect(Object.entries(locals ?? {})).toEqual([
      ['constructor', '1'],
      ['prototype', "'p'"],
      ['__proto__', '{}'],
      ['x', '3'],
    ]);
    expect(Object.getPrototypeOf(locals)).toBeNull();
    expect(({} as Record<string, unknown>).x).toBeUndefined();
    expect(() => new Decoder().decode([['out', 'stdout', 'x', { frames: [{ name: 'main', line: 1, user: 1, locals: { x: 3 } }] }]])).toThrow(/malformed/);
  });

  it('refuses a block the tracer never writes: longer than time.sleep() allows, or with more fields', () => {
    // A reviewer's, forged by hand: 1e300 s, and a fifth field, were taken.
    expect(() => new Decoder().decode([['block', 9_223_372_036, 1, 'Lock.acquire()']])).not.toThrow();
    expect(() => new Decoder().decode([['block', 1e300, 1, 'x']])).toThrow(/a block event is malformed/);
    expect(() => new Decoder().decode([['block', 1, 1, 'x', {}, 'extra']])).toThrow(/more than the tracer writes/);
    expect(() => new Decoder().decode([['block', 1, 1, 'x', 'extra']])).toThrow(/extra fields are malformed/);
  });

  it('a block while a task runs carries the task’s chain as it blocks (its call may be null then), and nothing a block never has', () => {
    const decoder = new Decoder();
    const frames = [{ name: 'slow', line: 3, user: 1, locals: { n: '2' } }];
    const running: Written[] = [['task', 0, 'Task-1', 'main()', null, 0], ['push', 0, ['t', 0], 'start'], ['pop', 0, ['t', 0], 0]];
    const block = decoder.decode([...running, ['block', 1.5, 3, null, { frames }]]).events.at(-1);
    expect(block).toEqual({ kind: 'block', seconds: 1.5, line: 3, frames: [{ name: 'slow', line: 3, user: true, locals: { n: '2' } }] });
    expect(() => new Decoder().decode([['block', 1.5, 3, null, { wake: 'result' }]])).toThrow(/malformed/);
    expect(() => new Decoder({ maxLine: 20 }).decode([...running, ['block', 1.5, 3, null, { frames: [{ ...frames[0], line: 99 }] }]])).toThrow(/past the program’s last/);
  });

  it('after the run’s last event takes only output: no callback, no task', () => {
    const ended: Written[] = [['exc', 'ValueError', 'bad', null]];
    expect(() => new Decoder().decode([...ended, ['out', 'stderr', 'bye\n']])).not.toThrow();
    expect(() => new Decoder().decode([...ended, ['cb', 0, 'on_done', 0, null]])).toThrow(/a callback came after the run’s last event/);
    expect(() => new Decoder().decode([...ended, ['task', 0, 'Task-1', 'main()', null, 0]])).toThrow(/a task event came after the run’s last one/);
  });

  it('counts callbacks with the events: past the tracer’s most by its slack, the trace is damaged', () => {
    const limits = { maxSteps: 100, maxOutputChars: 100, maxEvents: 100 };
    const callbacks = (n: number, from = 0) => JSON.stringify(Array.from({ length: n }, (_, i) => ['cb', from + i, 'tick', 0, null]));
    // The tracer stops at maxEvents and may record up to 64 more (its limit record, the run's end).
    expect(() => new WireDecoder(limits).decode(callbacks(164), [])).not.toThrow();
    expect(() => new WireDecoder(limits).decode(callbacks(165), [])).toThrow(/more events than the tracer ever records/);
    const decoder = new WireDecoder(limits);
    decoder.decode(JSON.stringify([['clock', 1]]), []);
    expect(() => decoder.decode(callbacks(164), [])).toThrow(/more events than the tracer ever records/);
  });

  it('names the first thing wrong in a chunk of many wrong values (and stops there)', () => {
    // 320,000 task ids of -Infinity (JSON's -1e999), under the weight cap (values and
    // characters): valibot's default collects all 640,000 problems (seconds of the host's
    // thread); the host stops at the first.
    const forged = `[["task",0,"Task-1","main()",null,0],["susp",0,{"kind":"gather","tasks":[${Array(320_000).fill('-1e999').join(',')}]},1]]`;
    expect(jsonWeight(forged, Infinity)).toBeLessThanOrEqual(MAX_CHUNK_WEIGHT);
    expect(() => new WireDecoder().decode(forged, [])).toThrow(/^wire: a suspend event is malformed at wait\.tasks\.0/);
  });

  it('places lines that came in several messages before their marker, across the pieces, in order', () => {
    const decoder = new WireDecoder();
    const lineNumbers = (chunk: { events: TraceEvent[] }): unknown[] => chunk.events.map((e) => (e.kind === 'line' ? e.line : e.kind));
    expect(decoder.decode('[]', new Int32Array([1, 2])).events).toEqual([]);
    expect(decoder.decode('[]', new Int32Array([3])).events).toEqual([]);
    expect(lineNumbers(decoder.decode('[4]', new Int32Array([4, 5, 6])))).toEqual([1, 2, 3, 4]);
    expect(() => decoder.finish()).toThrow(/2 line numbers were never placed/);
    expect(lineNumbers(decoder.decode(JSON.stringify([5, ['clock', 1], 6]), new Int32Array(0)))).toEqual([5, 'clock', 6]);
    expect(() => decoder.finish()).not.toThrow();
  });

  it('refuses line numbers past the step budget as they come, before keeping them', () => {
    const decoder = new WireDecoder({ maxSteps: 10, maxOutputChars: 100, maxEvents: 100 });
    decoder.decode('[]', new Int32Array(6));
    expect(() => decoder.decode('[]', new Int32Array(5))).toThrow(/more line numbers than the run’s step budget/);
    // A flood of them is refused as soon as it passes the budget, before the piece is kept.
    const flood = new WireDecoder({ maxSteps: 1_000_000, maxOutputChars: 100, maxEvents: 100 });
    for (let i = 0; i < 1_000_000 / MESSAGE_LINES; i++) flood.decode('[]', new Int32Array(MESSAGE_LINES));
    expect(() => flood.decode('[]', new Int32Array(1))).toThrow(/step budget/);
  });

  it("gives an eager task's first step its own lines, inside its creator's, and hands back after", () => {
    const decoder = new Decoder();
    const out = decoder.decode([
      ['task', 0, 'Task-1', 'main()', null, 0],
      ['push', 0, ['t', 0], 'start'],
      ['pop', 0, ['t', 0], 0],
      3,
      ['task', 1, 'Task-2', 'child()', 0, 0],
      ['eager', 1],
      7,
      ['task', 2, 'Task-3', 'grandchild()', 1, 0],
      ['eager', 2],
      11,
      ['done', 2, 'result', '1', null],
      ['eagerend', 2],
      8,
      ['susp', 1, { kind: 'yield' }, 8],
      ['eagerend', 1],
      4,
      ['susp', 0, { kind: 'yield' }, 4],
      ['cb', 0, 'on_done', 1, 20],
      ['push', 0, ['c', 0], 'soon'],
      ['pop', 0, ['c', 0], 0],
      21,
      ['task', 3, 'Task-4', 'child()', null, 0],
      ['eager', 3],
      7,
      ['done', 3, 'result', '2', null],
      ['eagerend', 3],
      22,
    ]);
    const lines = out.events.flatMap((e) => (e.kind === 'line' ? [[e.line, e.task, e.callback]] : []));
    expect(lines).toEqual([
      [3, 0, null],
      [7, 1, null],
      [11, 2, null],
      [8, 1, null],
      [4, 0, null],
      [21, null, 0],
      [7, 3, null],
      [22, null, 0],
    ]);
    const eager = out.events.filter((e) => e.kind === 'eager_start' || e.kind === 'eager_end');
    expect(eager).toEqual([
      { kind: 'eager_start', task: 1, parent: { kind: 'task', task: 0 } },
      { kind: 'eager_start', task: 2, parent: { kind: 'task', task: 1 } },
      { kind: 'eager_end', task: 2, parent: { kind: 'task', task: 1 } },
      { kind: 'eager_end', task: 1, parent: { kind: 'task', task: 0 } },
      { kind: 'eager_start', task: 3, parent: { kind: 'callback', callback: 0 } },
      { kind: 'eager_end', task: 3, parent: { kind: 'callback', callback: 0 } },
    ]);
  });

  it('refuses an eager step that ends without beginning, or ends out of order', () => {
    expect(() => new Decoder().decode([['task', 0, 'Task-1', 'main()', null, 0], ['eagerend', 0]])).toThrow(/eager step ends that did not begin/);
    const crossed: Written[] = [
      ['task', 0, 'Task-1', 'main()', null, 0],
      ['task', 1, 'Task-2', 'a()', 0, 0],
      ['eager', 0],
      ['eager', 1],
      ['eagerend', 0],
    ];
    expect(() => new Decoder().decode(crossed)).toThrow(/eager step ends that did not begin/);
  });

  it('decodes the holder of a Lock waited for, and refuses one that names no task', () => {
    const wait = { kind: 'sync', primitive: 'Lock', method: 'acquire', holder: 0 };
    const out = new Decoder().decode([['task', 0, 'Task-1', 'main()', null, 0], ['push', 0, ['t', 0], 'start'], ['pop', 0, ['t', 0], 0], ['susp', 0, wait, 9]]);
    expect(out.events.at(-1)).toEqual({ kind: 'suspend', task: 0, wait, line: 9 });
    expect(() => new Decoder().decode([['susp', 0, { ...wait, holder: 'Task-1' }, 9]])).toThrow(/suspend event is malformed at wait\.holder/);
  });

  it('refuses an event it does not know', () => {
    expect(() => new Decoder().decode([['bogus', 1]])).toThrow(/an event of a kind the tracer never writes/);
  });

  it('decodes the network’s events field by field, and a net wait', () => {
    const out = new Decoder().decode([
      ['net', 'listen', 0, '127.0.0.1:8888'],
      ['net', 'connect', 0, '127.0.0.1:50000', '127.0.0.1:8888', 0],
      ['net', 'established', 0],
      ['net', 'accept', 0, 0],
      ['net', 'send', 0, 'client', 6, 0.25, "b'hello\\n'"],
      ['net', 'arrive', 0, 'server', 6, 0],
      ['net', 'recv', 0, 'server', 6],
      ['net', 'arrive', 0, 'server', 0, 1],
      ['net', 'shutdown', 0, 'client'],
      ['net', 'close', 0, 'server'],
      ['net', 'reset', 0, 'client'],
      ['net', 'refused', 1],
      ['net', 'unlisten', 0],
      ['task', 0, 'Task-1', 'main()', null, 0],
      ['push', 0, ['t', 0], 'start'],
      ['pop', 0, ['t', 0], 0],
      ['susp', 0, { kind: 'net', op: 'read', call: 'reader.read', conn: 0, side: 'client', peer: '127.0.0.1:8888', local: '127.0.0.1:50000' }, 5],
    ]);
    expect(out.events.slice(0, 13)).toEqual([
      { kind: 'net', op: 'listen', socket: 0, address: '127.0.0.1:8888' },
      { kind: 'net', op: 'connect', conn: 0, client: '127.0.0.1:50000', server: '127.0.0.1:8888', latency: 0 },
      { kind: 'net', op: 'established', conn: 0 },
      { kind: 'net', op: 'accept', conn: 0, socket: 0 },
      { kind: 'net', op: 'send', conn: 0, from: 'client', bytes: 6, arrives: 0.25, text: "b'hello\\n'" },
      { kind: 'net', op: 'arrive', conn: 0, to: 'server', bytes: 6, eof: false },
      { kind: 'net', op: 'recv', conn: 0, by: 'server', bytes: 6 },
      { kind: 'net', op: 'arrive', conn: 0, to: 'server', bytes: 0, eof: true },
      { kind: 'net', op: 'shutdown', conn: 0, side: 'client' },
      { kind: 'net', op: 'close', conn: 0, side: 'server' },
      { kind: 'net', op: 'reset', conn: 0, to: 'client' },
      { kind: 'net', op: 'refused', conn: 1 },
      { kind: 'net', op: 'unlisten', socket: 0 },
    ]);
    expect(out.events.at(-1)).toMatchObject({ kind: 'suspend', wait: { kind: 'net', op: 'read', side: 'client', peer: '127.0.0.1:8888' } });
  });

  it('refuses a network event of the wrong shape', () => {
    expect(() => new Decoder().decode([['net', 'teleport', 0]])).toThrow(/a net event of a kind the tracer never writes/);
    expect(() => new Decoder().decode([['net', 'send', 0, 'middle', 6, 0.25, 'x']])).toThrow(/net event is malformed/);
    expect(() => new Decoder().decode([['net', 'send', 0, 'client', -6, 0.25, 'x']])).toThrow(/net event is malformed/);
    expect(() => new Decoder().decode([['net', 'connect', 0, 'a', 'b', Number.NaN]])).toThrow(/net event is malformed/);
    const badWait = { kind: 'net', op: 'read', call: 'reader.read', conn: 0, side: 'both', peer: null, local: null };
    expect(() => new Decoder().decode([['task', 0, 'Task-1', 'main()', null, 0], ['susp', 0, badWait, 5]])).toThrow(/suspend event is malformed/);
  });

  it('weighs a chunk before parsing it, and refuses one, or a run, heavier than the host takes', () => {
    // A forged chunk of tiny values is refused before JSON.parse builds them (16 million
    // arrays in 64 MB took 3.7 s to parse here): as too much trace, not as a forgery.
    const heavy = `[${'[0],'.repeat(MAX_CHUNK_WEIGHT)}[0]]`;
    expect(() => new WireDecoder().decode(heavy, [])).toThrow(TraceTooLarge);
    expect(() => new WireDecoder().decode(heavy, [])).toThrow(/weighs more than the host takes at once/);
    // Chunks each under the cap add up, and the run's total is held too.
    // (Its event cap set out of the way: what is held here is the weight. Chunks of as many
    // loop events as one may carry.)
    const decoder = new WireDecoder({ maxSteps: DEFAULT_MAX_STEPS, maxOutputChars: DEFAULT_MAX_OUTPUT_CHARS, maxEvents: 100_000_000 });
    const loops = JSON.stringify(Array.from({ length: MESSAGE_EVENTS }, () => ['loop', 0, 'run']));
    const perChunk = jsonWeight(loops, Infinity);
    expect(perChunk).toBeLessThanOrEqual(MAX_CHUNK_WEIGHT);
    let sent = 0;
    let refused: unknown = null;
    try {
      while (sent < 10_000) {
        decoder.decode(loops, []);
        sent++;
      }
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(TraceTooLarge);
    expect((refused as Error).message).toMatch(/more values than the host keeps for one run/);
    expect(sent).toBe(Math.floor(MAX_RUN_WEIGHT / perChunk));
  });
});

describe('a run’s characters in all', () => {
  it('past the most the host keeps for one run, the run ends as a trace grown too long (each chunk under the weight it may have)', () => {
    const decoder = new WireDecoder();
    // Whitespace parses to nothing, but is read: it weighs as characters do.
    const padded = `[${' '.repeat(MAX_CHUNK_WEIGHT * CHARS_PER_VALUE - 64)}]`;
    const chunks = Math.floor(MAX_WIRE_CHARS / padded.length);
    for (let i = 0; i < chunks; i++) decoder.decode(padded, []);
    expect(() => decoder.decode(padded, [])).toThrow(/more trace than the host keeps for one run/);
  });
});

describe('what a chunk costs to decode is what it weighs', () => {
  const gather = (task: number, ids: number): unknown[] => ['susp', task, { kind: 'gather', tasks: Array.from({ length: ids }, (_, i) => i) }, null];
  /** `task` joins the ready queue, runs, and ends its step with `end` (a suspend). */
  const step = (task: number, end: unknown[]): unknown[][] => [['push', 0, ['t', task], 'start'], ['pop', 0, ['t', task], 0], end];
  /** Chunks that make tasks 0 to n - 1 (at most MESSAGE_EVENTS events each). */
  const tasks = (n: number): string[] =>
    Array.from({ length: Math.ceil(n / 4000) }, (_, c) =>
      JSON.stringify(Array.from({ length: Math.min(4000, n - c * 4000) }, (_, i) => ['task', c * 4000 + i, 't', 'w()', null, 0])),
    );

  it('refuses seven gathers of 50,000 task ids at once (a reviewer’s: 120-150 ms to decode), before parsing them; takes what the tracer sends for 2,100 tasks waiting on one gather of 300', () => {
    const forged = JSON.stringify(Array.from({ length: 7 }, (_, g) => gather(g, 50_000)));
    expect(() => new WireDecoder().decode(forged, [])).toThrow(TraceTooLarge);
    // The tracer's heaviest real chunk of that run: 600 waits of 300 ids (188,000 values), with the tasks' events.
    const real = JSON.stringify([...Array.from({ length: 600 }, (_, i) => ['task', i, `Task-${i + 1}`, 'wait_for()', null, 0]), ...Array.from({ length: 600 }, (_, i) => step(i, gather(i, 300))).flat()]);
    expect(jsonWeight(real, Infinity)).toBeGreaterThan(180_000);
    expect(new WireDecoder().decode(real, []).events).toHaveLength(2400);
  });

  it('refuses a chunk whose strings are too long to take at once (names: 4,092 renames of 30,000 characters took 1.3 s), and weighs no more of it than that', () => {
    // 700 of them: under MAX_CHUNK_CHARS, so the weight is what refuses it.
    const names = JSON.stringify(Array.from({ length: 700 }, (_, i) => ['rename', i, 'n'.repeat(30_000)]));
    expect(names.length).toBeLessThan(MAX_CHUNK_CHARS);
    expect(jsonWeight(names, Infinity)).toBeGreaterThan(Math.floor(names.length / CHARS_PER_VALUE));
    // Counting stops past the cap: no more than its characters' worth of the text is read.
    expect(jsonWeight(names, MAX_CHUNK_WEIGHT)).toBe(MAX_CHUNK_WEIGHT + 1);
    expect(() => new WireDecoder().decode(names, [])).toThrow(/weighs more than the host takes at once/);
    // A print of the most a run may print, in one write, is taken.
    const print = JSON.stringify([['out', 'stdout', 'x'.repeat(DEFAULT_MAX_OUTPUT_CHARS)]]);
    expect(new WireDecoder().decode(print, []).events).toHaveLength(1);
  });

  it('weighs an escape as the one character it stands for: 1,990,000 emoji as the tracer writes them (\\uXXXX, ensure_ascii) are taken', () => {
    const emoji = '😀'.repeat(1_990_000);
    // Python's json.dumps, as the tracer's encoder writes it: each UTF-16 unit as \uXXXX.
    const escaped = `[["out","stdout","${emoji.replace(/[^]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}"]]`;
    expect(escaped.length).toBeGreaterThan(23_000_000);
    expect(escaped.length).toBeLessThan(MAX_CHUNK_CHARS);
    expect(jsonWeight(escaped, Infinity)).toBe(jsonWeight(JSON.stringify([['out', 'stdout', 'xx'.repeat(1_990_000)]]), Infinity));
    expect(new WireDecoder().decode(escaped, []).events).toEqual([{ kind: 'output', stream: 'stdout', text: emoji }]);
  });

  it('refuses a chunk longer than MAX_CHUNK_CHARS before weighing it: one name in escapes weighs little and costs its length (helper-140)', () => {
    const task = JSON.stringify([['task', 0, 't', 'main()', null, 0, 0]]);
    const escapes = '\\u0041'.repeat(Math.ceil(MAX_CHUNK_CHARS / 6) + 1);
    const rename = `[["rename",0,"${escapes}"]]`;
    expect(rename.length).toBeGreaterThan(MAX_CHUNK_CHARS);
    // Under the weight cap, which counts an escape once: the length is what refuses it.
    expect(jsonWeight(rename, Infinity)).toBeLessThan(MAX_CHUNK_WEIGHT);
    const decoder = new WireDecoder();
    decoder.decode(task, []);
    expect(() => decoder.decode(rename, [])).toThrow(/a chunk is longer than the host takes at once/);
    expect(() => new WireDecoder().decode(rename, [])).toThrow(TraceTooLarge);
  });

  it('refuses a run that names more asyncio objects than a trace may (MAX_OBJECTS) as a trace grown too long; its weight keeps its records under MAX_OBJECT_RECORDS', () => {
    const lock = (id: number): Record<string, unknown> => ({ id, type: 'Lock', label: 'lock', locked: false });
    const block = (objects: unknown[]): unknown[] => ['block', 0, null, null, { objects }];
    // The last id a trace may name is taken; one past it is too much trace, not a forgery.
    expect(new WireDecoder().decode(JSON.stringify([block([lock(MAX_OBJECTS - 1)])]), []).events).toHaveLength(1);
    expect(() => new WireDecoder().decode(JSON.stringify([block([lock(MAX_OBJECTS)])]), [])).toThrow(TraceTooLarge);
    expect(() => new WireDecoder().decode(JSON.stringify([block(Array.from({ length: MAX_OBJECTS + 1 }, () => lock(0)))]), [])).toThrow(/more asyncio objects than the host shows/);
    // Records in all: a run's weight cap ends it before MAX_OBJECT_RECORDS (a record with a
    // state weighs ~7), so the host never takes a trace that a trace file may not hold.
    const chunk = JSON.stringify(Array.from({ length: 5 }, () => block(Array.from({ length: MAX_OBJECTS }, (_, i) => lock(i)))));
    expect(jsonWeight(chunk, Infinity)).toBeLessThanOrEqual(MAX_CHUNK_WEIGHT);
    const { sent, refused } = sendUntilRefused(chunk);
    expect(refused).toBeInstanceOf(TraceTooLarge);
    expect(sent * 5 * MAX_OBJECTS).toBeLessThan(MAX_OBJECT_RECORDS);
    expect(MAX_RUN_WEIGHT / 5).toBeLessThan(MAX_OBJECT_RECORDS);
  });

  it('refuses a run whose waits list more tasks than its weight allows (each chunk under its own), as a trace grown too long', () => {
    const chunk = JSON.stringify(Array.from({ length: 4 }, (_, g) => step(g, gather(g, 50_000))).flat());
    expect(jsonWeight(chunk, Infinity)).toBeLessThanOrEqual(MAX_CHUNK_WEIGHT);
    const { sent, refused } = sendUntilRefused(chunk, tasks(50_000));
    expect(refused).toBeInstanceOf(TraceTooLarge);
    expect((refused as Error).message).toMatch(/the run sent more values than the host keeps for one run/);
    expect(sent * 200_000).toBeLessThanOrEqual(MAX_RUN_WEIGHT);
    // A trace file may list as many (parseTraceFile, MAX_WAIT_IDS): the run's weight bounds them
    // first. Not fewer: as_completed() over n tasks lists n(n+1)/2 ids (helper-140).
    expect(MAX_WAIT_IDS).toBeGreaterThanOrEqual(MAX_RUN_WEIGHT);
  });
});

/** Sends one decoder the same chunk up to 100 times: how many it took, and what it threw then. */
function sendUntilRefused(chunk: string, opening: string[] = []): { sent: number; refused: unknown } {
  const decoder = new WireDecoder();
  for (const first of opening) decoder.decode(first, []);
  let sent = 0;
  try {
    for (; sent < 100; sent++) decoder.decode(chunk, []);
  } catch (error) {
    return { sent, refused: error };
  }
  return { sent, refused: null };
}

describe('jsonWeight', () => {
  it('counts the values of lists and objects, whatever is inside strings, and one more per CHARS_PER_VALUE characters', () => {
    expect(jsonWeight('[]', Infinity)).toBe(1);
    expect(jsonWeight('[0,0]', Infinity)).toBe(2);
    expect(jsonWeight('{"a":[1,2]}', Infinity)).toBe(3);
    // 12,000 characters of commas and brackets inside a string: 375 for its characters, no values.
    const text = JSON.stringify(['out', 'stdout', 'a,b,[c],{d}!'.repeat(1000)]);
    expect(jsonWeight(text, Infinity)).toBe(3 + Math.floor(text.length / CHARS_PER_VALUE));
    // Escaped quotes and backslashes inside a string do not end it early.
    expect(jsonWeight(JSON.stringify(['say "hi", [now]', '\\', 'x\\"y,[z]']), Infinity)).toBe(3 + 1);
    expect(jsonWeight(JSON.stringify(['\\"],[[[', 1]), Infinity)).toBe(2);
  });

  it('stops counting once past the most it was asked about', () => {
    expect(jsonWeight(`[${'0,'.repeat(100)}0]`, 10)).toBe(11);
    // Characters alone: 10 × CHARS_PER_VALUE of them, and one more, make 11.
    expect(jsonWeight(`"${'x'.repeat(100 * CHARS_PER_VALUE)}"`, 10)).toBe(11);
  });

  it('weighs every value JSON.parse would build, and the characters it reads, for random JSON', () => {
    // Lists and objects nested at random, with strings full of the characters that matter.
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const texts = ['', ',', '[', '{', '"', '\\', '\\"', 'a,[b]', '\u2028', '😀'];
    const value = (depth: number): unknown => {
      const kind = depth > 3 ? random(3) : random(5);
      if (kind === 0) return random(1000);
      if (kind === 1) return texts[random(texts.length)]! + texts[random(texts.length)]!;
      if (kind === 2) return null;
      if (kind === 3) return Array.from({ length: random(5) }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: random(4) }, (_, i) => [`${texts[random(texts.length)]}${i}`, value(depth + 1)]));
    };
    const containersAndValues = (v: unknown): number => {
      if (Array.isArray(v)) return 1 + Math.max(0, v.length - 1) + v.reduce((n: number, x) => n + containersAndValues(x), 0);
      if (v !== null && typeof v === 'object') {
        const items = Object.values(v);
        return 1 + Math.max(0, items.length - 1) + items.reduce((n: number, x) => n + containersAndValues(x), 0);
      }
      return 0;
    };
    for (let i = 0; i < 500; i++) {
      const v = [value(0), value(0)];
      const json = JSON.stringify(v);
      // Characters as they parse: an escape (\\n, \\", \\uXXXX) is one.
      const chars = json.replace(/\\u[0-9a-fA-F]{4}|\\[^u]/g, 'e').length;
      expect(jsonWeight(json, Infinity)).toBe(containersAndValues(v) + Math.floor(chars / CHARS_PER_VALUE));
    }
  });
});

describe('a limit is held to the host’s own measure of it, not to the words the program can write', () => {
  const base = { maxSteps: 100, maxOutputChars: 5, maxEvents: 100 };
  const decodeOne = (decoder: WireDecoder, wire: unknown[], lines: number[] = []): DecodedChunk => decoder.decode(JSON.stringify(wire), lines);

  it('time: the allowance the host gave, once the host has seen it pass', () => {
    const words = (seconds: string): string => `The program ran for ${seconds} seconds of real time without finishing (it was at line 1). The steps so far are kept.`;
    let elapsed = 13.5;
    const timed = (): WireDecoder => new WireDecoder({ ...base, wallSeconds: 13.347812, elapsedSeconds: () => elapsed });
    // To a tenth of a second (recorder.py), as the host says its own limits.
    expect(decodeOne(timed(), [['limit', 'time', words('13.3')]]).events.at(-1)).toMatchObject({ kind: 'limit', reason: 'time' });
    expect(() => decodeOne(timed(), [['limit', 'time', words('13.5')]])).toThrow(/time limit/);
    const moment = new WireDecoder({ ...base, wallSeconds: 0.01, elapsedSeconds: () => 1 });
    expect(decodeOne(moment, [['limit', 'time', words('0')]]).events.at(-1)).toMatchObject({ kind: 'limit', reason: 'time' });
    expect(() => decodeOne(timed(), [['limit', 'time', words('5')]])).toThrow(/time limit with words the tracer never writes/);
    expect(() => decodeOne(timed(), [['limit', 'time', words('1e+06')]])).toThrow(/time limit/);
    // The right words, a moment after the run began: the host has not seen that time pass.
    elapsed = 0.2;
    expect(() => decodeOne(timed(), [['limit', 'time', words('13.3')]])).toThrow(/time limit/);
  });

  it('memory: the cap the worker said it has, in MB (the peak is the supervisor’s to check)', () => {
    const words = (mb: number): string => `The program kept asking for memory, past the ${mb} MB Loop Lab allows. The steps so far are kept.`;
    const capped = (): WireDecoder => new WireDecoder({ ...base, memoryLimitBytes: 384 * 1024 * 1024 });
    const decoder = capped();
    expect(decodeOne(decoder, [['limit', 'memory', words(384)]]).events.at(-1)).toMatchObject({ kind: 'limit', reason: 'memory' });
    expect(decoder.limitReason).toBe('memory');
    expect(() => decodeOne(capped(), [['limit', 'memory', words(1)]])).toThrow(/memory limit with words the tracer never writes/);
  });

  it('steps: the lines of code it compiled itself bring the count to the budget, within the tracer’s batches, not past them', () => {
    const words = (compiled: number): string =>
      `The program ran 100 lines (with ${compiled.toLocaleString('en-US')} lines of code it compiled and ran itself), its step budget, and had not finished. It may never end. The steps so far are kept.`;
    const run = (compiled: number): DecodedChunk => decodeOne(new WireDecoder(base), [1, ['limit', 'steps', words(compiled)]], [1]);
    expect(run(99).events.at(-1)).toMatchObject({ kind: 'limit', reason: 'steps' });
    expect(run(1_500).events.at(-1)).toMatchObject({ kind: 'limit', reason: 'steps' });
    expect(() => run(98)).toThrow(/steps limit/);
    expect(() => run(999_999_999)).toThrow(/steps limit/);
  });

  it('output: past the cap, only the last text on stderr, then the uncaught exception or nothing', () => {
    const capped = (): WireDecoder => new WireDecoder({ ...base, maxLine: 3 });
    const traceback = 'Traceback (most recent call last):\n' + 'x'.repeat(TRACEBACK_ALLOWANCE - 100);
    // What the tracer writes: the cap reached, then a whole traceback past it, then the exception.
    const genuine = decodeOne(capped(), [['out', 'stdout', 'hello'], ['out', 'stderr', traceback], ['exc', 'ValueError', 'bad', 3], ['out', 'stdout', 'bye\n']]);
    expect(genuine.events.map((e) => e.kind)).toEqual(['output', 'output', 'exception', 'output']);
    // An exit message past the cap ends the run with no event.
    expect(() => decodeOne(capped(), [['out', 'stdout', 'hello'], ['out', 'stderr', 'goodbye\n'], ['out', 'stdout', 'a __del__\n']])).not.toThrow();
    // What the program's objects print as they are dropped at its end, on either stream.
    expect(() => decodeOne(capped(), [['out', 'stdout', 'hello'], ['out', 'stdout', 'y'.repeat(TEARDOWN_ALLOWANCE)]])).not.toThrow();
    // A reviewer's forgery: ordinary output past the cap, the program going on after it.
    expect(() => decodeOne(capped(), [['out', 'stdout', 'hello'], ['out', 'stdout', 'y'.repeat(TEARDOWN_ALLOWANCE + 1)]])).toThrow(/more output than the run may print/);
    expect(() => decodeOne(capped(), [['out', 'stdout', 'hello world'], ['clock', 1]])).toThrow(/clock event came after the output cap was passed/);
    expect(() => decodeOne(capped(), [['out', 'stderr', 'hello world'], ['clock', 1]])).toThrow(/clock event came after the output cap was passed/);
    expect(() => decodeOne(capped(), [['out', 'stderr', 'hello world'], 1], [2])).toThrow(/steps came after the output cap was passed/);
    const decoder = capped();
    decodeOne(decoder, [['out', 'stderr', 'hello world']]);
    expect(() => decodeOne(decoder, [['task', 0, 'Task-1', 'main()', null, 0]])).toThrow(/task event came after the output cap/);
  });

  it('deadlock: between steps, with a running loop whose ready queue is empty', () => {
    const stuck = 'Every task is waiting for something that can never happen, so the loop has nothing left to run: Task-1 waits on Task-1. Real Python would wait here forever.';
    const task = ['task', 0, 'Task-1', 'main()', null, 0];
    const decode = (wire: unknown[]): DecodedChunk => decodeOne(new WireDecoder({ ...base, maxLine: 3 }), wire);
    const genuine = decode([['loop', 0, 'new'], ['loop', 0, 'run'], task, ['push', 0, ['t', 0], 'start'], ['pop', 0, ['t', 0], 0], ['susp', 0, { kind: 'future', label: 'Future pending' }, 2], ['limit', 'deadlock', stuck]]);
    expect(genuine.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'deadlock' });
    // A task ends in a step of its own: one still queued is not running, and does not end.
    expect(() => decode([['loop', 0, 'run'], task, ['push', 0, ['t', 0], 'start'], ['done', 0, 'cancelled', 'CancelledError()', null], ['limit', 'deadlock', stuck]])).toThrow(/a task finishes while it is not running/);
    // A run of a loop refused (it was running already) is not its end.
    expect(() => decode([['loop', 0, 'run'], ['loop', 0, 'run'], ['loop', 0, 'stop'], ['limit', 'deadlock', stuck]])).not.toThrow();
    // A watchdog's `t.cancel` after t ended is a callback of its own (observe.py, step_of), with its end.
    const watchdog = [['loop', 0, 'run'], task, ['push', 0, ['t', 0], 'start'], ['pop', 0, ['t', 0], 0], ['done', 0, 'result', 'None', 2], ['cb', 0, 'Task.cancel', 0, null], ['push', 0, ['c', 0], 'timer'], ['pop', 0, ['c', 0], 0], ['cbend', 0]];
    expect(() => decode([...watchdog, ['limit', 'deadlock', stuck]])).not.toThrow();
    // A pop of what was never pushed is no trace's; a push on a closed loop's new queue counts.
    expect(() => decode([['loop', 0, 'run'], ['cb', 0, 'tick', 0, null], ['pop', 0, ['c', 0], 1], ['limit', 'deadlock', stuck]])).toThrow(/a callback leaves a ready queue it is not in/);
    expect(() => decode([['loop', 0, 'run'], task, ['push', 0, ['t', 0], 'start'], ['loop', 0, 'close'], ['limit', 'deadlock', stuck]])).not.toThrow();
    expect(() => decode([['loop', 0, 'run'], task, ['push', 0, ['t', 0], 'start'], ['push', 0, ['t', 0], 'start'], ['pop', 0, ['t', 0], 1], ['limit', 'deadlock', stuck]])).toThrow(/deadlock/);
    // Forged: a task ready to run, a task running, no loop running at all.
    expect(() => decode([['loop', 0, 'run'], task, ['push', 0, ['t', 0], 'start'], ['limit', 'deadlock', stuck]])).toThrow(/a deadlock while the loop had something to run/);
    expect(() => decode([['loop', 0, 'run'], task, ['push', 0, ['t', 0], 'start'], ['pop', 0, ['t', 0], 0], ['limit', 'deadlock', stuck]])).toThrow(/deadlock/);
    expect(() => decode([['limit', 'deadlock', stuck]])).toThrow(/deadlock/);
    // A loop turned by hand (`loop._run_once()`) sends no `run`: with no loop running, a loop the
    // run made must be idle.
    expect(() => decode([['loop', 0, 'new'], task, ['push', 0, ['t', 0], 'start'], ['pop', 0, ['t', 0], 0], ['susp', 0, { kind: 'future', label: 'Future pending' }, 2], ['limit', 'deadlock', stuck]])).not.toThrow();
    expect(() => decode([['loop', 0, 'new'], task, ['push', 0, ['t', 0], 'start'], ['limit', 'deadlock', stuck]])).toThrow(/deadlock/);
  });
});

describe('a chunk’s line numbers keep nothing but themselves (atkb)', () => {
  // A forged chunk's lines can be a view of one number over a buffer of any size: kept as it came
  // while its lines waited to be placed (or until 1,024 placed pieces were let go), every chunk
  // held its whole buffer in the host (a worker's 1 GiB per message, within the step budget and
  // MESSAGE_LINES alike), and the page ran out of memory.
  const kept = (decoder: WireDecoder): Int32Array[] => (decoder as unknown as { linePieces: Int32Array[] }).linePieces;
  const options = { maxSteps: DEFAULT_MAX_STEPS, maxOutputChars: DEFAULT_MAX_OUTPUT_CHARS, maxEvents: DEFAULT_MAX_EVENTS };

  it('a view over a larger buffer is kept as a copy of its lines, unplaced or placed', () => {
    const big = new ArrayBuffer(16 * 1024 * 1024);
    const lines = new Int32Array(big, 4096, 2);
    lines.set([1, 1]);
    const decoder = new WireDecoder(options);
    decoder.decode('[]', lines);
    decoder.decode('[1]', new Int32Array(0));
    for (const piece of kept(decoder)) expect(piece.buffer.byteLength).toBe(piece.byteLength);
    expect(decoder.decode('[2]', new Int32Array(0)).events).toHaveLength(1);
  });

  it('a view of shared memory, whole or not, is kept as a copy: the worker could change it after the checks', () => {
    const lines = new Int32Array(new SharedArrayBuffer(8));
    lines.set([1, 1]);
    const decoder = new WireDecoder(options);
    decoder.decode('[]', lines);
    expect(kept(decoder)[0]).not.toBe(lines);
    expect(kept(decoder)[0]?.buffer).toBeInstanceOf(ArrayBuffer);
    lines.set([99999, 99999]);
    expect([...(kept(decoder)[0] ?? [])]).toEqual([1, 1]);
  });

  it('the tracer’s own arrays (each its own buffer) are kept as they are, not copied', () => {
    const lines = new Int32Array([1, 1]);
    const decoder = new WireDecoder(options);
    decoder.decode('[]', lines);
    expect(kept(decoder)[0]).toBe(lines);
  });
});
