import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../src/shared/trace';
import { BoardIndex } from '../src/trace/board';
import { isInternalTask, narrate, Narrator } from '../src/trace/narrate';

/** Traces recorded from the real runtime (see tests/fixtures/player). */
function fixture(name: string): Trace {
  return JSON.parse(readFileSync(new URL(`./fixtures/player/${name}.trace.json`, import.meta.url), 'utf8')) as Trace;
}

function sentences(trace: Trace): string[] {
  const index = new BoardIndex(trace);
  const narrator = new Narrator(trace);
  return trace.events.map((_, i) => narrator.narrate(i, index.at(i)));
}

describe('narrate', () => {
  const evenOdd = fixture('evenodd');
  const said = sentences(evenOdd);

  it('says one plain sentence for every step, and something before the first', () => {
    const index = new BoardIndex(evenOdd);
    expect(narrate(evenOdd, -1, index.at(-1))).toMatch(/Nothing has run yet/);
    for (const s of said) {
      expect(s.length).toBeGreaterThan(10);
      expect(s).not.toMatch(/undefined|null|NaN|\[object/);
    }
  });

  it('names the task and its coroutine when the loop takes it from the ready queue', () => {
    expect(said[9]).toBe('The loop takes Task-1 (main()) from the head of the ready queue and runs it for the first time.');
    expect(said[18]).toBe('The loop takes Task-2 (task1()) from the head of the ready queue and runs it for the first time.');
    expect(said[45]).toBe('The loop takes Task-2 (task1()) from the head of the ready queue and runs it.');
  });

  it('tells lines, prints, creations and waits in the learner’s words', () => {
    expect(said[0]).toBe('The program runs line 2: import asyncio (outside the event loop)');
    expect(said[11]).toBe('Task-1 (main()) prints “Started:”.');
    expect(said[13]).toBe('Task-1 (main()) creates Task-2 to run task1().');
    expect(said[14]).toBe('Task-2 (task1()) joins the back of the ready queue, to take its first step.');
    expect(said[17]).toBe(
      'Task-1 (main()) waits for gather(Task-2 and Task-3): all of them to finish, and hands control back to the loop.',
    );
    expect(said[19]).toBe('Task-2 (task1()) runs line 7: for i in range(10):');
    expect(said[24]).toBe('Task-2 sets a timer for 0.0001 s on the virtual clock (now 0 s).');
    expect(said[25]).toBe(
      'Task-2 (task1()) awaits asyncio.sleep(): it sleeps until 0.0001 s on the virtual clock and hands control back to the loop.',
    );
  });

  it('explains the clock jump and the timers’ wake-up calls', () => {
    expect(said[36]).toBe(
      'Nothing is ready to run, so the loop waits for its next timer: the virtual clock jumps from 0 s to 0.0001 s (no real time passes).',
    );
    expect(said[37]).toBe('The timer set for 0.0001 s is due: Task-2’s wake-up call joins the back of the ready queue.');
    expect(said[39]).toBe('The loop takes Task-2’s wake-up call from the head of the ready queue and runs it.');
    expect(said[40]).toBe('Task-2 (task1()) wakes up: what it waited for is done, so it joins the back of the ready queue.');
    expect(said[41]).toBe('Task-2’s wake-up call is done: the loop goes back to its ready queue.');
  });

  it('tells how tasks end, and asyncio’s own clean-up tasks apart', () => {
    const done = evenOdd.events.findIndex((e) => e.kind === 'done' && e.task === 1);
    expect(said[done]).toBe('Task-2 (task1()) finishes and returns None.');
    expect(isInternalTask(evenOdd, 0)).toBe(false);
    expect(isInternalTask(evenOdd, 3)).toBe(true);
    const created = evenOdd.events.findIndex((e) => e.kind === 'task' && e.task === 3);
    expect(said[created]).toMatch(/^asyncio creates Task-4 to clean up/);
    expect(said.at(-1)).toBe('The event loop is closed.');
  });

  it('covers yields, cancellation, timeouts and uncaught exceptions', () => {
    const trace = fixture('cancel');
    const s = sentences(trace);
    expect(s[28]).toBe('Task-2 (worker(<Queue at 0x7f4c0000100…)) waits for Queue.get(), and hands control back to the loop.');
    expect(s[31]).toBe('Task-3 (sleeper()) joins the back of the ready queue, behind everything already there.');
    expect(s[32]).toMatch(/^Task-3 \(sleeper\(\)\) gives way with asyncio.sleep\(0\)/);
    expect(s[50]).toBe(
      'Task-1 (main()) waits for wait_for() on Task-3, and hands control back to the loop (a timeout ends the wait at 1.5 s).',
    );
    expect(s[52]).toBe('A timer is cancelled: it will not fire.');
    expect(s[54]).toBe('Task-3 (sleeper()) is cancelled: it ends without a result.');
    expect(s[66]).toBe('Task-1 (main()) ends with an exception: ValueError: boom.');
    expect(s[90]).toMatch(/^Python writes to stderr: “Traceback/);
    expect(s[91]).toBe('An exception nobody caught ends the program: ValueError: boom (line 24).');
  });

  it('says why a run ended early', () => {
    const trace = fixture('deadlock');
    const s = sentences(trace);
    expect(s.at(-1)).toMatch(/^The run was ended early\. Every task is waiting for something that can never happen/);
  });

  it('is a pure function of the trace and the step', () => {
    const index = new BoardIndex(evenOdd);
    const narrator = new Narrator(evenOdd);
    const forward = evenOdd.events.map((_, i) => narrator.narrate(i, index.at(i)));
    const backward = evenOdd.events.map((_, i) => i).reverse().map((i) => narrator.narrate(i, index.at(i))).reverse();
    expect(backward).toEqual(forward);
    expect(forward).toEqual(said);
  });
});
