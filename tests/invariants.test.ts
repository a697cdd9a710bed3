/**
 * Trace invariants, checked on every corpus and tutorial program run in verify mode (the
 * tracer then records the loop's real ready queue beside each push and pop):
 *
 * - each task is created by exactly one `task` event, and its TaskInfo points back to it;
 * - in a program that ends by itself, every task that ran ends in exactly one `done` event
 *   (and in any program, no task ends twice);
 * - at every push and pop, the board's ready list for that loop equals the loop's real queue,
 *   and a pop always takes the head of that list;
 * - the virtual clock never goes back;
 * - no sleeper's wake-up time is before the clock (unless time.sleep() held the whole thread
 *   since it went to sleep: then its timer is overdue, as it is in CPython);
 * - stderr holds no frame of the runtime itself;
 * - every line event is a line of the program;
 * - an eager task's first step (`eager_start` … `eager_end`) runs inside its creator's: no
 *   pop in between, every line in it is the eager task's, it ends with the task's `suspend`
 *   or `done`, the board shows the task running and its creator paused, and after it the
 *   creator runs again.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import type { QueueItem, TaskId, Trace } from '../src/shared/trace';
import { readyOf, replay } from '../src/trace/board';
import { baseName, corpusPrograms, runFile, startRuntime, streamText, tutorialPrograms } from './corpus/harness';

const programs = [...corpusPrograms(), ...tutorialPrograms()];
let runtime: RuntimeSupervisor;

beforeAll(async () => {
  runtime = startRuntime();
  await runtime.ready();
});

afterAll(() => runtime?.dispose());

function lineCount(source: string): number {
  const lines = source.split('\n');
  return source.endsWith('\n') ? lines.length - 1 : lines.length;
}

function checkTasks(trace: Trace): void {
  const created = new Map<TaskId, number>();
  const done = new Map<TaskId, number>();
  const ran = new Set<TaskId>();
  trace.events.forEach((event, i) => {
    if (event.kind === 'task') {
      expect(created.has(event.task), `task ${event.task} created twice (event ${i})`).toBe(false);
      created.set(event.task, i);
    } else if (event.kind === 'done') {
      done.set(event.task, (done.get(event.task) ?? 0) + 1);
    } else if (event.kind === 'pop' && event.item.kind === 'task' && !event.cancelled) {
      ran.add(event.item.task);
    } else if (event.kind === 'eager_start') {
      ran.add(event.task);
    }
    if ('task' in event && typeof event.task === 'number' && event.kind !== 'task') {
      expect(created.get(event.task), `event ${i} (${event.kind}) names task ${event.task} before it exists`).toBeDefined();
    }
    if ((event.kind === 'push' || event.kind === 'pop') && event.item.kind === 'task') {
      expect(created.get(event.item.task), `event ${i} queues unknown task ${event.item.task}`).toBeDefined();
    }
  });
  // TaskInfo and task events agree one to one.
  expect(trace.tasks.map((t) => t.id)).toEqual(trace.tasks.map((_, i) => i));
  expect(created.size).toBe(trace.tasks.length);
  for (const info of trace.tasks) expect(created.get(info.id)).toBe(info.createdAt);
  // asyncio's own tasks (asyncio.run's clean-up) are the loop's, not the learner's: they are
  // flagged internal, so the board and timeline keep them out of sight unless asked.
  for (const info of trace.tasks) {
    if (/^(BaseEventLoop|_UnixSelectorEventLoop)\./.test(info.coro)) expect(info.internal, `${info.name} (${info.coro}) is asyncio's own`).toBe(true);
  }
  // No task ends twice; when the program ended by itself, every task that ran has ended.
  for (const [task, count] of done) expect(count, `task ${task} has ${count} done events`).toBe(1);
  if (trace.end.status === 'ok') {
    const unfinished = [...ran].filter((t) => !done.has(t)).map((t) => trace.tasks[t]?.name);
    expect(unfinished, 'tasks that ran but never ended').toEqual([]);
  }
}

function checkBoard(trace: Trace, name: string): void {
  let lastClock = 0;
  let lastBlock = -1;
  let checkedQueues = 0;
  let headBeforePop: ReturnType<typeof readyOf> = [];
  const lines = lineCount(trace.source);
  replay(trace, (board, event, i) => {
    if (event.kind === 'push' || event.kind === 'pop') {
      expect(event.real, `event ${i}: verify mode records the real queue`).toBeDefined();
      expect(readyOf(board), `event ${i}: board's ready list vs the loop's real queue`).toEqual(event.real);
      checkedQueues++;
    }
    if (event.kind === 'pop') {
      expect(headBeforePop[0], `event ${i}: a pop takes the head of the ready queue`).toEqual(event.item);
    }
    if (event.kind === 'clock') {
      expect(event.time, `event ${i}: the clock went back`).toBeGreaterThan(lastClock);
      lastClock = event.time;
    }
    expect(board.clock).toBe(lastClock);
    if (event.kind === 'block') lastBlock = i;
    for (const sleeper of board.sleeping) {
      if (sleeper.wait.kind !== 'sleep' || sleeper.wait.until === null) continue;
      if (lastBlock > sleeper.since) continue; // overdue because time.sleep() held the thread
      expect(sleeper.wait.until, `event ${i}: task ${sleeper.task} sleeps until before the clock`).toBeGreaterThanOrEqual(board.clock);
    }
    if (event.kind === 'line') {
      expect(event.line, `event ${i}: line out of the program`).toBeGreaterThanOrEqual(1);
      expect(event.line).toBeLessThanOrEqual(lines);
    }
    // What the next pop must take: the head of the ready list of the loop it pops from.
    const next = trace.events[i + 1];
    if (next?.kind === 'pop') headBeforePop = board.loops[next.loop]?.ready.slice() ?? [];
  });
  expect(trace.end.clock).toBe(lastClock);
  expect(trace.end.lineSteps).toBe(trace.events.filter((e) => e.kind === 'line').length);
  // Every program here runs at least one task or callback through a loop, except the
  // tutorial examples that never run one and the corpus programs that never compile.
  const compiled = !(trace.events.at(-1)?.kind === 'exception' && !trace.events.some((e) => e.kind === 'line'));
  if (compiled && !/^(01-import-asyncio|03-define-coroutine|04-calling-a-coroutine|10-create-a-loop)\.py$/.test(name)) {
    expect(checkedQueues).toBeGreaterThan(0);
  }
}

function checkEagerSteps(trace: Trace): void {
  const open: { task: TaskId; parent: QueueItem | null; ended: boolean }[] = [];
  replay(trace, (board, event, i) => {
    const top = open.at(-1);
    if (event.kind === 'eager_start') {
      open.push({ task: event.task, parent: event.parent, ended: false });
      expect(board.running, `event ${i}: the eager task runs`).toEqual({ kind: 'task', task: event.task });
      if (event.parent) expect(board.paused.at(-1), `event ${i}: its creator is paused`).toEqual(event.parent);
      return;
    }
    if (!top) return;
    switch (event.kind) {
      case 'eager_end':
        expect(event.task, `event ${i}: the eager step that ends is the innermost`).toBe(top.task);
        expect(event.parent).toEqual(top.parent);
        expect(top.ended, `event ${i}: the eager step ends with its task's suspend or done`).toBe(true);
        expect(board.running, `event ${i}: the creator runs again`).toEqual(top.parent);
        open.pop();
        break;
      case 'pop':
        throw new Error(`event ${i}: the loop took a handle inside an eager step`);
      case 'line':
        expect(top.ended, `event ${i}: a line after the eager step ended`).toBe(false);
        expect(event.task, `event ${i}: a line of an eager step belongs to its task`).toBe(top.task);
        break;
      case 'suspend':
      case 'done':
        if (event.task === top.task) top.ended = true;
        break;
      default:
        break;
    }
  });
  if (trace.end.status !== 'limit') expect(open, 'eager steps never ended').toEqual([]);
}

describe('trace invariants', () => {
  it.each(programs.map((p) => [baseName(p), p]))('%s', async (_name, program) => {
    const trace = await runFile(runtime, program, { verify: true });
    expect(trace.source).toBe(readFileSync(program, 'utf8'));
    expect(trace.events.at(-1)?.kind).not.toBe('limit');
    checkTasks(trace);
    checkBoard(trace, baseName(program));
    checkEagerSteps(trace);
    const stderr = streamText(trace, 'stderr');
    expect(stderr).not.toContain('_looplab');
    expect(stderr).not.toContain('/lib/looplab');
  });
});
