/**
 * Forged traces for tests/board-scale.test.ts: seeded random events that a stranger's trace
 * file could hold, valid item by item but not a run any program gives: several loops (nested
 * runs, a loop made outside a run, -1), the same task pushed twice, items popped that are not
 * queued, timers set twice under one handle, on two loops, with equal and null deadlines,
 * cancelled or fired, tasks sleeping on those timers, finishing while queued or waiting, eager
 * steps, loops closed with work in them, and the network's events on repeated ids. What the
 * board does with each is held to tests/board-reference.ts at every step.
 */
import type { Frame, QueueItem, SyncObject, Trace, TraceEvent, Wait } from '../src/shared/trace';
import { TRACE_VERSION } from '../src/shared/trace';
import type { NetEvent } from '../src/shared/trace-net';
import { seeded } from './seeded-random';

/** A forged trace of `length` events from `seed`. */
export function forgedTrace(seed: number, length = 1500): Trace {
  const random = seeded(seed);
  const pick = <T>(choices: readonly T[]): T => choices[Math.floor(random() * choices.length)]!;
  const chance = (p: number): boolean => random() < p;
  const int = (below: number): number => Math.floor(random() * below);

  // Small id ranges, so that ids meet again: a task pushed twice, a handle set twice.
  const tasks = 12;
  const handles = 16;
  const loops = [0, 0, 0, 1, 2, -1];
  const whens = [null, 0.5, 1, 1, 1.5, 2, 2, 3, 0.25];
  const queued: { loop: number; item: QueueItem }[] = [];

  const item = (): QueueItem => (chance(0.6) ? { kind: 'task', task: int(tasks) } : { kind: 'callback', callback: int(handles) });
  const frames = (): Frame[] =>
    Array.from({ length: 1 + int(3) }, (_, depth) => {
      const frame: Frame = { name: pick(['main', 'worker', 'Queue.get']), line: chance(0.7) ? 1 + int(20) : null, user: chance(0.7) };
      if (depth === 0 || chance(0.5)) frame.locals = { n: String(int(5)) };
      return frame;
    });
  const objects = (): SyncObject[] | undefined =>
    chance(0.2) ? [{ id: int(4), type: pick(['Queue', 'Lock', 'Event']), label: pick(['q', 'lock', 'done']), size: int(3) }] : undefined;
  const wait = (): Wait => {
    switch (int(6)) {
      case 0:
        return { kind: 'yield' };
      case 1:
      case 2:
        return { kind: 'sleep', timer: int(handles), until: pick(whens) };
      case 3:
        return { kind: 'task', task: int(tasks) };
      case 4:
        return { kind: 'sync', primitive: 'Queue', method: 'get', deadline: chance(0.3) ? 2 : undefined };
      default:
        return { kind: 'net', op: 'read', call: 'reader.read', conn: int(3), side: 'client', peer: null, local: null };
    }
  };
  const net = (): NetEvent => {
    const conn = int(4);
    const side = pick(['client', 'server'] as const);
    switch (int(12)) {
      case 0:
        return { kind: 'net', op: 'listen', socket: int(3), address: `:${8000 + int(3)}` };
      case 1:
        return { kind: 'net', op: 'unlisten', socket: int(3) };
      case 2:
      case 3:
        return { kind: 'net', op: 'connect', conn, client: `10.0.0.1:${int(9)}`, server: ':8000', latency: 0.1 };
      case 4:
        return { kind: 'net', op: pick(['established', 'refused'] as const), conn };
      case 5:
        return { kind: 'net', op: 'accept', conn, socket: int(3) };
      case 6:
      case 7:
        return { kind: 'net', op: 'send', conn, from: side, bytes: 1 + int(100), arrives: 1 + int(3), text: "b'x'" };
      case 8:
        return { kind: 'net', op: 'arrive', conn, to: side, bytes: int(120), eof: chance(0.1) };
      case 9:
        return { kind: 'net', op: 'recv', conn, by: side, bytes: int(80) };
      case 10:
        return { kind: 'net', op: pick(['shutdown', 'close'] as const), conn, side };
      default:
        return { kind: 'net', op: 'reset', conn, to: side };
    }
  };

  const events: TraceEvent[] = [];
  let clock = 0;
  while (events.length < length) {
    const roll = int(100);
    const loop = pick(loops);
    if (roll < 18) {
      const it = item();
      queued.push({ loop, item: it });
      const reason = it.kind === 'callback' && chance(0.5) ? 'timer' : pick(['start', 'wake', 'yield', 'cancel', 'soon'] as const);
      events.push({ kind: 'push', loop, item: it, reason, wake: it.kind === 'task' && chance(0.4) ? pick(['result', 'timeout', 'cancelled'] as const) : undefined, objects: objects() });
    } else if (roll < 34) {
      // Mostly something queued (the head, or one behind it), sometimes anything.
      const known = queued.length > 0 && chance(0.85) ? queued.splice(Math.min(queued.length - 1, chance(0.7) ? 0 : int(queued.length)), 1)[0]! : { loop, item: item() };
      events.push({ kind: 'pop', loop: known.loop, item: known.item, cancelled: chance(0.1) });
    } else if (roll < 44) {
      const task = int(tasks);
      const w = wait();
      events.push({ kind: 'suspend', task, wait: w, line: chance(0.8) ? 1 + int(20) : null, frames: chance(0.5) ? frames() : undefined, sync: w.kind === 'sync' ? int(4) : undefined, objects: objects() });
    } else if (roll < 54) {
      events.push({ kind: 'timer', loop, timer: int(handles), when: pick(whens) });
    } else if (roll < 59) {
      events.push({ kind: 'timer_cancel', loop, timer: int(handles) });
    } else if (roll < 63) {
      events.push({ kind: 'done', task: int(tasks), outcome: pick(['result', 'exception', 'cancelled'] as const), text: 'None', line: chance(0.5) ? 3 : null, objects: objects() });
    } else if (roll < 66) {
      events.push({ kind: 'eager_start', task: int(tasks), parent: chance(0.8) ? item() : null });
    } else if (roll < 69) {
      events.push({ kind: 'eager_end', task: int(tasks), parent: chance(0.8) ? item() : null });
    } else if (roll < 71) {
      events.push({ kind: 'callback_end', callback: int(handles), objects: objects() });
    } else if (roll < 75) {
      clock += pick([0, 0.25, 0.5, 1]);
      events.push({ kind: 'clock', time: clock });
    } else if (roll < 82) {
      events.push({ kind: 'line', line: 1 + int(20), task: chance(0.7) ? int(tasks) : null, callback: null });
    } else if (roll < 85) {
      events.push({ kind: 'output', stream: 'stdout', text: 'x\n', frames: chance(0.5) ? frames() : undefined, objects: objects() });
    } else if (roll < 88) {
      const action = pick(['new', 'run', 'stop', 'close', 'run', 'new'] as const);
      events.push({ kind: 'loop', loop, action });
      if (action === 'close') for (let i = queued.length - 1; i >= 0; i--) if (queued[i]!.loop === loop) queued.splice(i, 1);
    } else if (roll < 89) {
      events.push({ kind: 'block', seconds: 0.5, line: 4, call: chance(0.5) ? 'Event.wait' : undefined, frames: chance(0.5) ? frames() : undefined });
    } else if (roll < 90) {
      events.push({ kind: 'rename', task: int(tasks), name: `w${int(3)}` });
    } else if (roll < 98) {
      events.push(net());
    } else if (roll < 99) {
      events.push({ kind: 'task', task: int(tasks) });
    } else {
      events.push(chance(0.5) ? { kind: 'exception', type: 'ValueError', message: 'x', line: null } : { kind: 'limit', reason: 'stopped', message: 'Stopped.' });
    }
  }
  return {
    version: TRACE_VERSION,
    filename: 'forged.py',
    source: 'import asyncio\n',
    tasks: Array.from({ length: tasks }, (_, id) => ({ id, name: `Task-${id + 1}`, coro: 'f()', creator: null, loop: 0, internal: false, createdAt: 0 })),
    callbacks: Array.from({ length: handles }, (_, id) => ({ id, label: 'cb', user: false, line: null })),
    events,
    end: { status: 'ok', exitCode: 0, clock, wallMs: 0, lineSteps: 0, maxSteps: 10_000 },
  };
}
