/**
 * The tasks a wait names (gather, wait, as_completed, a TaskGroup): each once in a trace the
 * app takes (src/shared/trace.ts, TaskList), and at most MOST_NAMES told by name
 * (src/trace/describe.ts). A forged chunk or trace file that repeated one task id 140,000 times
 * was taken, and the player joined its name that many times at every step the task slept,
 * past V8's longest string (a reviewer's).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packTrace, parseTraceFile, type Trace } from '../src/shared/trace';
import { MOST_NAMES, waitOn } from '../src/trace/describe';

/** A trace recorded by the runtime from the program inside it (tests/fixtures/player). */
const evenOdd = JSON.parse(readFileSync(new URL('./fixtures/player/evenodd.trace.json', import.meta.url), 'utf8')) as Trace;

describe('a wait’s tasks', () => {
  it('the recorded trace reads, its gather naming Task-2 and Task-3', () => {
    const trace = parseTraceFile(packTrace(evenOdd));
    const wait = trace.events.find((event) => event.kind === 'suspend' && event.wait.kind === 'gather');
    expect(wait?.kind === 'suspend' ? waitOn(trace, wait.wait) : '').toBe('gather(Task-2, Task-3)');
  });

  it('a trace whose wait names a task twice is refused, with where', () => {
    const events = evenOdd.events.map((event) =>
      event.kind === 'suspend' && event.wait.kind === 'gather' ? { ...event, wait: { ...event.wait, tasks: [1, 1, 2] } } : event,
    );
    expect(() => parseTraceFile(packTrace({ ...evenOdd, events }))).toThrow(/not a Loop Lab trace: events\.\d+\.wait\.tasks/);
  });

  it(`names at most ${MOST_NAMES} tasks, then how many more`, () => {
    const tasks = Array.from({ length: 25 }, (_, id) => ({ ...evenOdd.tasks[0]!, id, name: `Task-${id + 1}` }));
    const trace = { ...evenOdd, tasks };
    const told = waitOn(trace, { kind: 'gather', tasks: tasks.map((task) => task.id) });
    expect(told).toBe(`gather(${tasks.slice(0, MOST_NAMES).map((task) => task.name).join(', ')}, and 5 more)`);
  });
});
