/** A made-up trace of any length, valid by the contract: the bench's far-jump rows and the player's tests use it. */
import type { CallbackInfo, TaskInfo, Trace, TraceEvent } from '../src/shared/trace';
import { TRACE_VERSION } from '../src/shared/trace';

/**
 * A contract-valid trace of about `size` events: `tasks` tasks that print, sleep on a timer,
 * are woken by the timer's callback, and go round again; then they all finish.
 */
export function syntheticTrace(size: number, tasks = 50): Trace {
  const source = [
    'import asyncio',
    '',
    'async def worker(n):',
    '    while True:',
    "        print('tick', n)",
    '        await asyncio.sleep(0.001)',
    '',
    'async def main():',
    '    await asyncio.gather(*(worker(n) for n in range(50)))',
    '',
    'asyncio.run(main())',
    '',
  ].join('\n');
  const events: TraceEvent[] = [];
  const infos: TaskInfo[] = [];
  const callbacks: CallbackInfo[] = [];
  events.push({ kind: 'line', line: 1, task: null, callback: null });
  events.push({ kind: 'loop', loop: 0, action: 'new' });
  for (let t = 0; t < tasks; t++) {
    infos.push({ id: t, name: `Task-${t + 1}`, coro: `worker(${t})`, creator: null, loop: 0, internal: false, createdAt: events.length });
    events.push({ kind: 'task', task: t });
    events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: t }, reason: 'start' });
  }
  events.push({ kind: 'loop', loop: 0, action: 'run' });
  let clock = 0;
  let handle = 0;
  while (events.length < size - tasks * 3 - 3) {
    const timers: number[] = [];
    for (let t = 0; t < tasks; t++) {
      events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: t }, cancelled: false });
      events.push({ kind: 'line', line: 5, task: t, callback: null });
      events.push({ kind: 'output', stream: 'stdout', text: `tick ${t}\n` });
      events.push({ kind: 'line', line: 6, task: t, callback: null });
      const when = Number((clock + 0.001).toFixed(6));
      callbacks.push({ id: handle, label: '_set_result_unless_cancelled', user: false, line: null });
      events.push({ kind: 'timer', loop: 0, timer: handle, when });
      events.push({ kind: 'suspend', task: t, wait: { kind: 'sleep', timer: handle, until: when }, line: 6 });
      timers.push(handle++);
    }
    clock = Number((clock + 0.001).toFixed(6));
    events.push({ kind: 'clock', time: clock });
    for (const h of timers) events.push({ kind: 'push', loop: 0, item: { kind: 'callback', callback: h }, reason: 'timer' });
    timers.forEach((h, t) => {
      events.push({ kind: 'pop', loop: 0, item: { kind: 'callback', callback: h }, cancelled: false });
      events.push({ kind: 'push', loop: 0, item: { kind: 'task', task: t }, reason: 'wake' });
      events.push({ kind: 'callback_end', callback: h });
    });
  }
  for (let t = 0; t < tasks; t++) {
    events.push({ kind: 'pop', loop: 0, item: { kind: 'task', task: t }, cancelled: false });
    events.push({ kind: 'line', line: 4, task: t, callback: null });
    events.push({ kind: 'done', task: t, outcome: 'result', text: 'None', line: null });
  }
  events.push({ kind: 'loop', loop: 0, action: 'stop' });
  events.push({ kind: 'loop', loop: 0, action: 'close' });
  const lineSteps = events.filter((e) => e.kind === 'line').length;
  return {
    version: TRACE_VERSION,
    filename: 'synthetic.py',
    source,
    tasks: infos,
    callbacks,
    events,
    end: { status: 'ok', exitCode: 0, clock, wallMs: 0, lineSteps, maxSteps: Math.max(lineSteps, 10_000) },
  };
}
