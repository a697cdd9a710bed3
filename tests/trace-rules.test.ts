/**
 * The rules of a sound trace (src/shared/trace-rules.ts), one finding each (helper-142): what a
 * program that reaches the tracer's recorder, or writes frames of its own to the trace channel,
 * made the host take as a normal run. Each is refused as the worker's chunk is decoded
 * (WireDecoder) and, in the same words, in a trace read from a file or a link (parseTraceFile).
 */
import { describe, expect, it } from 'vitest';
import { WireDecoder } from '../src/runtime/wire';
import { DEFAULT_MAX_STEPS, packTrace, parseTraceFile, type Trace, type TraceEvent } from '../src/shared/trace';

/** Decodes `wire` (events, no line numbers) for a program of `maxLine` lines: what was refused, or null. */
function refusal(wire: unknown[], maxLine = 9): string | null {
  try {
    new WireDecoder({ maxSteps: 100, maxOutputChars: 1000, maxEvents: 1000, maxLine }).decode(JSON.stringify(wire), []);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

const task = (id: number, creator: number | null = null): unknown[] => ['task', id, `Task-${id + 1}`, 'main()', creator, 0];
const push = (id: number): unknown[] => ['push', 0, ['t', id], 'start'];
const pop = (id: number): unknown[] => ['pop', 0, ['t', id], 0];
const sleep = (id: number): unknown[] => ['susp', id, { kind: 'yield' }, 2];
/** Task 0 made, queued and running. */
const running: unknown[][] = [task(0), push(0), pop(0)];

/** A trace file of `events` for a program of nine lines (tasks as their `task` events make them). */
function file(events: TraceEvent[]): unknown {
  const tasks = events.flatMap((e, i) => (e.kind === 'task' ? [{ id: e.task, name: `Task-${e.task + 1}`, coro: 'main()', creator: null, loop: 0, internal: false, createdAt: i }] : []));
  const trace: Trace = { version: 1, filename: 'main.py', source: 'x\n'.repeat(8) + 'x', tasks, callbacks: [], events, end: { status: 'ok', exitCode: 0, clock: 0, wallMs: 0, lineSteps: 0, maxSteps: DEFAULT_MAX_STEPS } };
  return packTrace(trace);
}
const fileRefusal = (events: TraceEvent[]): string | null => {
  try {
    parseTraceFile(file(events));
    return null;
  } catch (error) {
    return (error as Error).message;
  }
};
const T = (t: number): { kind: 'task'; task: number } => ({ kind: 'task', task: t });
const made = (t: number): TraceEvent => ({ kind: 'task', task: t });
const pushed = (t: number): TraceEvent => ({ kind: 'push', loop: 0, item: T(t), reason: 'start' });
const popped = (t: number): TraceEvent => ({ kind: 'pop', loop: 0, item: T(t), cancelled: false });
const line = (n: number, t: number | null): TraceEvent => ({ kind: 'line', line: n, task: t, callback: null });

describe('the rules of a sound trace, as a run is decoded', () => {
  it('the genuine shape is taken: a task made, queued, run, its steps, its wait, its end', () => {
    expect(refusal([...running, sleep(0), push(0), pop(0), ['done', 0, 'result', 'None', null]])).toBeNull();
  });

  it('an id before the event that makes it: a push, a pop, a wait, a creator', () => {
    expect(refusal([push(0), task(0)])).toMatch(/names a task or callback before the trace makes it/);
    expect(refusal([...running, ['susp', 0, { kind: 'task', task: 1 }, 2], task(1)])).toMatch(/before the trace makes it/);
    expect(refusal([task(0, 1), task(1)])).toMatch(/a task names as its creator a task not yet made/);
    expect(refusal([task(1)])).toMatch(/a task is made out of the order tasks are numbered in/);
    expect(refusal([['cb', 3, 'tick', 0, null]])).toMatch(/a callback is numbered out of the order/);
  });

  it('a pop of a task that was never queued (ReadyCounts knew, and took nothing)', () => {
    expect(refusal([task(0), pop(0)])).toMatch(/a task leaves a ready queue it is not in/);
    expect(refusal([...running, sleep(0), pop(0)])).toMatch(/a task leaves a ready queue it is not in/);
  });

  it('a task done twice, or queued, run or started again after its end', () => {
    const ended = [...running, ['done', 0, 'result', 'None', null]];
    expect(refusal([...ended, ['done', 0, 'result', 'None', null]])).toMatch(/a task finishes a second time/);
    expect(refusal([...ended, push(0)])).toMatch(/a finished task joins the ready queue again/);
    expect(refusal([...ended, pop(0)])).toMatch(/a task leaves a ready queue it is not in/);
    expect(refusal([...ended, ['eager', 0]])).toMatch(/a task that had already started starts its first step again/);
  });

  it('output given to a task that is sleeping: an eager step of a task already waiting, a suspend of one not running', () => {
    const frames = { frames: [{ name: 'main', line: 2, user: 1 }] };
    expect(refusal([...running, task(1, 0), push(1), ['eager', 1], ['out', 'stdout', 'x', frames]])).toMatch(/already started starts its first step again/);
    expect(refusal([...running, sleep(0), ['out', 'stdout', 'x', frames]])).toMatch(/output carries an await chain while no task runs/);
    expect(refusal([task(0), task(1), push(0), pop(0), sleep(1)])).toMatch(/a task that is not running gives control back/);
  });

  it('an uncaught exception on a line past the program’s last', () => {
    expect(refusal([['exc', 'ValueError', 'bad', 9]])).toBeNull();
    expect(refusal([['exc', 'ValueError', 'bad', 10]])).toMatch(/an event points at a line past the program’s last/);
  });
});

describe('the same rules, in the same words, for a trace read from a file or a link', () => {
  it('takes the genuine shape', () => {
    expect(fileRefusal([made(0), pushed(0), popped(0), line(2, 0), { kind: 'done', task: 0, outcome: 'result', text: 'None', line: null }, line(3, null)])).toBeNull();
  });

  it('refuses each finding', () => {
    expect(fileRefusal([pushed(0), made(0)])).toMatch(/events\[0\] \(push\): an event names a task or callback before the trace makes it/);
    expect(fileRefusal([made(0), popped(0)])).toMatch(/a task leaves a ready queue it is not in/);
    const ended: TraceEvent[] = [made(0), pushed(0), popped(0), { kind: 'done', task: 0, outcome: 'result', text: 'None', line: null }];
    expect(fileRefusal([...ended, { kind: 'done', task: 0, outcome: 'result', text: 'None', line: null }])).toMatch(/a task finishes a second time/);
    // A step is the running task's: not a task done, nor one that waits.
    expect(fileRefusal([...ended, line(2, 0)])).toMatch(/a step is given to a task or callback that is not running/);
    expect(fileRefusal([made(0), line(2, 0)])).toMatch(/a step is given to a task or callback that is not running/);
    expect(fileRefusal([{ kind: 'exception', type: 'ValueError', message: 'bad', line: 10 }])).toMatch(/a line past the program’s last/);
    expect(fileRefusal([line(10, null)])).toMatch(/a step is on a line past the program’s last/);
  });

  it('after the run’s last event: output, then at most one limit of the host’s own, last', () => {
    const exc: TraceEvent = { kind: 'exception', type: 'ValueError', message: 'bad', line: null };
    const out: TraceEvent = { kind: 'output', stream: 'stderr', text: 'bye\n' };
    const stopped: TraceEvent = { kind: 'limit', reason: 'stopped', message: 'You stopped the program.' };
    const steps: TraceEvent = { kind: 'limit', reason: 'steps', message: 'The program ran 5 lines.' };
    expect(fileRefusal([exc, out, stopped])).toBeNull();
    expect(fileRefusal([steps, out, stopped])).toBeNull();
    expect(fileRefusal([steps, steps])).toMatch(/an event came after the run’s last one/);
    expect(fileRefusal([steps, stopped, stopped])).toMatch(/an event came after the run’s last one/);
    expect(fileRefusal([stopped, stopped, out])).toMatch(/an event came after the run’s last one/);
    expect(fileRefusal([exc, exc])).toMatch(/an event came after the run’s last one/);
  });
});

describe('what runs, ends and begins (helper-144)', () => {
  // Each was a forgery through /dev/looplab-trace the rules took before: the tracer records
  // the end of the task that runs (observe.py, note_done), and how a step ended before the
  // loop takes the next item (on_pop).
  it('a task that is not running does not finish: a sleeping task shown as done', () => {
    const sleeping = [task(0), task(1, 0), push(0), push(1), pop(0), sleep(0), pop(1), sleep(1), push(0), pop(0)];
    expect(refusal([...sleeping, ['done', 0, 'result', 'None', null]])).toBeNull();
    expect(refusal([...sleeping, ['done', 1, 'result', "'forged result'", null]])).toMatch(/a task finishes while it is not running/);
    expect(fileRefusal([made(0), made(1), pushed(0), popped(0), { kind: 'done', task: 1, outcome: 'result', text: 'x', line: null }])).toMatch(/a task finishes while it is not running/);
  });

  it('no step begins while another runs: a running task hidden by a push and pop of another', () => {
    expect(refusal([...running, task(1, 0), push(1), pop(1)])).toMatch(/a step begins while another is still running/);
    expect(refusal([...running, task(1, 0), push(1), sleep(0), pop(1)])).toBeNull();
    // A cancelled handle is taken off the queue without running: nothing begins.
    expect(refusal([...running, task(1, 0), push(1), ['pop', 0, ['t', 1], 1]])).toBeNull();
    expect(fileRefusal([made(0), made(1), pushed(0), pushed(1), popped(0), popped(1)])).toMatch(/a step begins while another is still running/);
  });
});

describe('a timer due before 0 (helper-144)', () => {
  it('is a real run’s: loop.call_later(-1, f) or asyncio.wait(…, timeout=-1) at virtual time 0', () => {
    const wait = ['susp', 0, { kind: 'wait', tasks: [], deadline: -1 }, 2];
    expect(refusal([['cb', 0, 'print', 0, null], ...running, ['timer', 0, 0, -1], wait])).toBeNull();
    expect(refusal([['cb', 0, '_release_waiter', 0, null], ...running, ['timer', 0, 0, -0.5], ['susp', 0, { kind: 'sleep', timer: 0, until: -0.5 }, 2]])).toBeNull();
  });
});

describe('a timer handle in one loop at a time (helper-145)', () => {
  // A forged trace set one handle on 5,000 loops and slept on it as often: every sleep visited
  // every loop (7 s to index). The tracer records each handle asyncio's call_at makes, a new
  // object each time, on the loop that made it (loop.py).
  const cb = (id: number): unknown[] => ['cb', id, 'f', 0, null];
  it('is refused on a second loop while the first holds it, live and in a file', () => {
    expect(refusal([cb(0), ['timer', 0, 0, 1], ['timer', 1, 0, 1]])).toMatch(/a timer is set on two event loops at once/);
    const timer = (loop: number, handle: number): TraceEvent => ({ kind: 'timer', loop, timer: handle, when: 1 });
    const trace = file([timer(0, 0), timer(1, 0)]) as { callbacks: unknown[] };
    trace.callbacks = [{ id: 0, label: 'f', user: false, line: null }];
    expect(() => parseTraceFile(trace)).toThrow(/a timer is set on two event loops at once/);
  });

  it('is taken once the first loop no longer holds it: fired, cancelled, or the loop closed; and twice on one loop', () => {
    expect(refusal([cb(0), ['timer', 0, 0, 1], ['timer', 0, 0, 2]])).toBeNull();
    expect(refusal([cb(0), ['timer', 0, 0, 1], ['tcan', 0, 0], ['timer', 1, 0, 1]])).toBeNull();
    expect(refusal([cb(0), ['timer', 0, 0, 1], ['push', 0, ['c', 0], 'timer', null], ['timer', 1, 0, 1]])).toBeNull();
    expect(refusal([cb(0), ['timer', 0, 0, 1], ['loop', 0, 'close'], ['timer', 1, 0, 1]])).toBeNull();
    // Fired on another loop than its own: the first still holds it.
    expect(refusal([cb(0), ['timer', 0, 0, 1], ['push', 1, ['c', 0], 'timer', null], ['timer', 1, 0, 1]])).toMatch(/two event loops/);
  });
});
