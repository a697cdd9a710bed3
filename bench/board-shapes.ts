/**
 * Made-up traces of the shapes that once made the board cost O(board) per event (bench/board-cost.ts
 * times them, tests/board-scale.test.ts replays them small): valid by the contract, built
 * without running Python. `n` is a number of tasks or timers.
 */
import type { CallbackInfo, TaskInfo, Trace, TraceEvent } from '../src/shared/trace';
import { TRACE_VERSION } from '../src/shared/trace';

/** A trace of `events` for `source`, with its task and callback tables. */
function traceOf(source: string, tasks: TaskInfo[], callbacks: CallbackInfo[], events: TraceEvent[], clock: number): Trace {
  const lineSteps = events.filter((e) => e.kind === 'line').length;
  return {
    version: TRACE_VERSION,
    filename: 'shape.py',
    source,
    tasks,
    callbacks,
    events,
    end: { status: 'ok', exitCode: 0, clock, wallMs: 0, lineSteps, maxSteps: Math.max(lineSteps, 10_000) },
  };
}

function task(id: number, name: string, coro: string, creator: number | null, createdAt: number): TaskInfo {
  return { id, name, coro, creator, loop: 0, internal: false, createdAt };
}

/** `main` starts on loop 0 and runs: the events every shape begins with. */
function start(events: TraceEvent[], tasks: TaskInfo[]): void {
  events.push({ kind: 'line', line: 1, task: null, callback: null });
  events.push({ kind: 'loop', loop: 0, action: 'new' });
  tasks.push(task(0, 'Task-1', 'main()', null, events.length));
  events.push({ kind: 'task', task: 0 });
  events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: 0 }, reason: 'start' });
  events.push({ kind: 'loop', loop: 0, action: 'run' });
  events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: 0 }, cancelled: false });
}

/** `main` ends and the loop closes. */
function finish(events: TraceEvent[]): void {
  events.push({ kind: 'done', task: 0, outcome: 'result', text: 'None', line: null });
  events.push({ kind: 'loop', loop: 0, action: 'stop' });
  events.push({ kind: 'loop', loop: 0, action: 'close' });
}

/** `n` × `loop.call_later(1 + i/n, f)`, then each handle's `.cancel()`, first set first. */
export function cancelledTimers(n: number): Trace {
  const source = 'import asyncio\n\nasync def main():\n    loop = asyncio.get_running_loop()\n    hs = [loop.call_later(1 + i / N, print) for i in range(N)]\n    for h in hs:\n        h.cancel()\n\nasyncio.run(main())\n';
  const events: TraceEvent[] = [];
  const tasks: TaskInfo[] = [];
  const callbacks: CallbackInfo[] = [];
  start(events, tasks);
  for (let h = 0; h < n; h++) {
    callbacks.push({ id: h, label: 'print', user: false, line: null });
    events.push({ kind: 'line', line: 5, task: 0, callback: null });
    events.push({ kind: 'timer', loop: 0, timer: h, when: 1 + h / n });
  }
  for (let h = 0; h < n; h++) {
    events.push({ kind: 'line', line: 7, task: 0, callback: null });
    events.push({ kind: 'timer_cancel', loop: 0, timer: h });
  }
  finish(events);
  return traceOf(source, tasks, callbacks, events, 0);
}

/** `main` makes `n` tasks at once and gathers them: `n` tasks in the ready queue, each run once and done. */
export function readyAtOnce(n: number): Trace {
  const source = 'import asyncio\n\nasync def work(i):\n    return i\n\nasync def main():\n    await asyncio.gather(*(work(i) for i in range(N)))\n\nasyncio.run(main())\n';
  const events: TraceEvent[] = [];
  const tasks: TaskInfo[] = [];
  start(events, tasks);
  const ids: number[] = [];
  for (let i = 1; i <= n; i++) {
    tasks.push(task(i, `Task-${i + 1}`, `work(${i - 1})`, 0, events.length));
    events.push({ kind: 'task', task: i });
    events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: i }, reason: 'start' });
    ids.push(i);
  }
  events.push({ kind: 'suspend', task: 0, wait: { kind: 'gather', tasks: ids }, line: 7 });
  for (const i of ids) {
    events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: i }, cancelled: false });
    events.push({ kind: 'line', line: 4, task: i, callback: null });
    events.push({ kind: 'done', task: i, outcome: 'result', text: String(i - 1), line: 4 });
  }
  events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: 0 }, reason: 'wake', wake: 'result' });
  events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: 0 }, cancelled: false });
  finish(events);
  return traceOf(source, tasks, [], events, 0);
}

/**
 * `n` tasks, task i sleeping `n - i` seconds: each sleeps sooner than every one before it (the
 * worst order for a sorted list), then the timers fire soonest first and wake them in reverse.
 */
export function reverseSleepers(n: number): Trace {
  const source = 'import asyncio\n\nasync def nap(i):\n    await asyncio.sleep(N - i)\n\nasync def main():\n    await asyncio.gather(*(nap(i) for i in range(N)))\n\nasyncio.run(main())\n';
  const events: TraceEvent[] = [];
  const tasks: TaskInfo[] = [];
  const callbacks: CallbackInfo[] = [];
  start(events, tasks);
  const ids: number[] = [];
  for (let i = 1; i <= n; i++) {
    tasks.push(task(i, `Task-${i + 1}`, `nap(${i - 1})`, 0, events.length));
    events.push({ kind: 'task', task: i });
    events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: i }, reason: 'start' });
    ids.push(i);
  }
  events.push({ kind: 'suspend', task: 0, wait: { kind: 'gather', tasks: ids }, line: 7 });
  for (const i of ids) {
    const handle = i - 1;
    const until = n - (i - 1);
    callbacks.push({ id: handle, label: '_set_result_unless_cancelled', user: false, line: null });
    events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: i }, cancelled: false });
    events.push({ kind: 'line', line: 4, task: i, callback: null });
    events.push({ kind: 'timer', loop: 0, timer: handle, when: until });
    events.push({ kind: 'suspend', task: i, wait: { kind: 'sleep', timer: handle, until }, line: 4 });
  }
  for (const i of [...ids].reverse()) {
    const handle = i - 1;
    events.push({ kind: 'clock', time: n - (i - 1) });
    events.push({ kind: 'push', loop: 0, item: { kind: 'callback', callback: handle }, reason: 'timer' });
    events.push({ kind: 'pop', loop: 0, item: { kind: 'callback', callback: handle }, cancelled: false });
    events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: i }, reason: 'wake', wake: 'result' });
    events.push({ kind: 'callback_end', callback: handle });
    events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: i }, cancelled: false });
    events.push({ kind: 'done', task: i, outcome: 'result', text: 'None', line: 4 });
  }
  events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: 0 }, reason: 'wake', wake: 'result' });
  events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: 0 }, cancelled: false });
  finish(events);
  return traceOf(source, tasks, callbacks, events, n);
}

/** A trace of `events` with `tasks` and a callback table of `callbacks` entries (the forged shapes below). */
function forgedTraceOf(events: TraceEvent[], tasks: TaskInfo[], callbacks: number): Trace {
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

const forgedTask = (id: number, createdAt: number): TaskInfo => ({ id, name: `T${id}`, coro: 'f()', creator: null, loop: 0, internal: false, createdAt });

/**
 * Forged (helper-145): k timers, then k sleeps of one task naming them, under one handle
 * (`same`: sound by the trace rules, though no real run sets a handle twice), or each its own
 * (the control). Schedule.replaceFirst once looked through every entry under the handle at
 * each sleep: 40,000 took 11.6 s to index, against 1 s.
 */
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
  return forgedTraceOf(events, [forgedTask(0, 1)], k);
}

/**
 * Forged (helper-145): n tasks asleep for long, one asleep until 1, n more asleep until `woken` and then woken (taken
 * out of the waiting tasks: n dead slots, never more than the live ones, so never swept), then
 * `pad` steps of the clock. At `woken` = 2 the dead slots lie between the first waiting task and
 * the rest; at 1e10 after them all (the control). Schedule.head once walked those dead slots again
 * at every row of `loop-lab trace --format text` (10,000 and 20,000 steps: 81 s, against 2 s).
 */
export function wokenInTheMiddle(n: number, pad: number, woken: number): Trace {
  const events: TraceEvent[] = [{ kind: 'loop', loop: 0, action: 'new' }];
  const tasks: TaskInfo[] = [];
  const total = 2 * n + 1;
  for (let t = 0; t < total; t++) {
    tasks.push(forgedTask(t, events.length));
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
  return forgedTraceOf(events, tasks, total);
}
