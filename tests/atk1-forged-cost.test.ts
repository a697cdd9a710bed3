/**
 * atk1: forged traces the board took, that cost it O(board) per event where a real run of the
 * same size costs O(1): timed against a control of the same size and shape in the same run (the
 * machine is shared and noisy, so only the ratio is held, with a wide margin).
 *
 * - One timer handle set k times, then k sleeps naming it: Schedule.replaceFirst looked through
 *   every entry under the handle at each sleep (40,000: 11.6 s to index, against 1 s).
 * - Waiting tasks taken out in the middle of the order (woken), leaving dead slots the heap
 *   walk of Schedule.head met again at every row of `loop-lab trace --format text`
 *   (10,000 of them and 20,000 more steps: 81 s, against 2 s).
 */
import { describe, expect, it } from 'vitest';
import { BoardIndex } from '../src/trace/board';
import { tableLines } from '../src/cli/table';
import { eachStepRow } from '../src/trace/jsonl';
import { atResolution } from '../src/trace/describe';
import { checkReferences, TRACE_VERSION, type CallbackInfo, type TaskInfo, type Trace, type TraceEvent } from '../src/shared/trace';

function traceOf(events: TraceEvent[], tasks: TaskInfo[], callbacks: number): Trace {
  const table: CallbackInfo[] = Array.from({ length: callbacks }, (_, id) => ({ id, label: 'f', user: false, line: null }));
  return {
    version: TRACE_VERSION,
    filename: 'forged.py',
    source: 'x\n',
    tasks,
    callbacks: table,
    events,
    end: { status: 'ok', exitCode: 0, clock: 0, wallMs: 0, lineSteps: 0, maxSteps: 10_000 },
  };
}

const task = (id: number, createdAt: number): TaskInfo => ({ id, name: `T${id}`, coro: 'f()', creator: null, loop: 0, internal: false, createdAt });

/** k timers, then k sleeps of one task naming them: under one handle (`same`), or each its own. */
export function sleepsOnOneHandle(k: number, same: boolean): Trace {
  const events: TraceEvent[] = [{ kind: 'loop', loop: 0, action: 'new' }, { kind: 'task', task: 0 }];
  events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: 0 }, reason: 'start' });
  events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: 0 }, cancelled: false });
  for (let j = 0; j < k; j++) events.push({ kind: 'timer', loop: 0, timer: same ? 0 : j, when: 1 + j });
  for (let j = 0; j < k; j++) {
    events.push({ kind: 'suspend', task: 0, wait: { kind: 'sleep', timer: same ? 0 : j, until: 1 }, line: 1 });
    events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: 0 }, reason: 'wake', wake: 'result' });
    events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: 0 }, cancelled: false });
  }
  return traceOf(events, [task(0, 1)], k);
}

/**
 * n tasks asleep for long, one asleep until 1, n more asleep until `woken` and then woken (taken
 * out of the waiting tasks: n dead slots, never more than the live ones, so never swept), then
 * `pad` steps of the clock. At `woken` = 2 the dead slots lie between the first waiting task and
 * the rest; at 1e10 after them all (the control).
 */
export function wokenInTheMiddle(n: number, pad: number, woken: number): Trace {
  const events: TraceEvent[] = [{ kind: 'loop', loop: 0, action: 'new' }];
  const tasks: TaskInfo[] = [];
  const total = 2 * n + 1;
  for (let t = 0; t < total; t++) {
    tasks.push(task(t, events.length));
    events.push({ kind: 'task', task: t });
    events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: t }, reason: 'start' });
  }
  for (let t = 0; t < total; t++) {
    const until = t < n ? 1e9 : t === n ? 1 : woken;
    events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: t }, cancelled: false });
    events.push({ kind: 'suspend', task: t, wait: { kind: 'sleep', timer: t, until }, line: 1 });
  }
  for (let t = n + 1; t < total; t++) events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: t }, reason: 'wake', wake: 'result' });
  for (let i = 1; i <= pad; i++) events.push({ kind: 'clock', time: i / 1000 });
  return traceOf(events, tasks, total);
}

function ms(work: () => void): number {
  const start = performance.now();
  work();
  return performance.now() - start;
}

/** The least of 3 timings. */
function least(work: () => void): number {
  return Math.min(ms(work), ms(work), ms(work));
}

describe('forged traces cost what real ones of their size do (atk1)', () => {
  it('indexes sleeps on one handle set many times as fast as on as many handles', () => {
    const k = 20_000;
    const forged = sleepsOnOneHandle(k, true);
    const control = sleepsOnOneHandle(k, false);
    expect(checkReferences(forged)).toBeNull();
    const forgedMs = least(() => new BoardIndex(forged).at(forged.events.length - 1));
    const controlMs = least(() => new BoardIndex(control).at(control.events.length - 1));
    expect(forgedMs, `forged ${forgedMs.toFixed(0)} ms, control ${controlMs.toFixed(0)} ms`).toBeLessThan(4 * controlMs + 50);
  }, 120_000);

  it('writes the text table of a trace with waiting tasks woken from the middle as fast as from the end', () => {
    const table = (trace: Trace): number => {
      let chars = 0;
      for (const line of tableLines((most) => eachStepRow(trace, atResolution, most))) chars += line.length;
      return chars;
    };
    const forged = wokenInTheMiddle(3000, 6000, 2);
    const control = wokenInTheMiddle(3000, 6000, 1e10);
    expect(checkReferences(forged)).toBeNull();
    expect(table(forged)).toBe(table(control));
    const forgedMs = least(() => table(forged));
    const controlMs = least(() => table(control));
    expect(forgedMs, `forged ${forgedMs.toFixed(0)} ms, control ${controlMs.toFixed(0)} ms`).toBeLessThan(4 * controlMs + 50);
  }, 300_000);
});
