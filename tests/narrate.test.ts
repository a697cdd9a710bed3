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

  it('tells an uncaught exception as python3’s traceback ends: the type alone where the trace has no message', () => {
    const ending = (message: string): string => {
      const trace: Trace = { ...evenOdd, events: [...evenOdd.events, { kind: 'exception', type: 'Loud', message, line: 3 }] };
      return sentences(trace).at(-1)!;
    };
    expect(ending('boom')).toBe('An exception nobody caught ends the program: Loud: boom (line 3).');
    expect(ending('')).toBe('An exception nobody caught ends the program: Loud (line 3).');
    // Direction controls the program put in its message are shown as marks, not obeyed (a reviewer's).
    expect(ending('\u202egnp.exe')).toBe('An exception nobody caught ends the program: Loud: ⟦U+202E⟧gnp.exe (line 3).');
  });

  it('shows the direction controls of whatever the program wrote, in every sentence: a print, a task’s coroutine, a new name', () => {
    const renamed: Trace = {
      ...evenOdd,
      tasks: evenOdd.tasks.map((t, i) => (i === 1 ? { ...t, coro: 'task1(\u202e"fdp.exe")' } : t)),
      events: [...evenOdd.events, { kind: 'output', stream: 'stdout', text: 'total: \u202e01$\n' }, { kind: 'rename', task: 1, name: 'x\u2067y' }],
    };
    const end = sentences(renamed);
    expect(end.at(-2)).toBe('The program prints “total: ⟦U+202E⟧01$”.');
    expect(end.at(-1)).toBe('Task-2 is renamed x⟦U+2067⟧y.');
    expect(end[18]).toBe('The loop takes Task-2 (task1(⟦U+202E⟧"fdp.exe")) from the head of the ready queue and runs it for the first time.');
    expect(end.join('\n')).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
  });

  it('names at most twenty of the tasks a gather waits for, then how many more', () => {
    const tasks = Array.from({ length: 500 }, (_, i) => ({ id: i, name: `Task-${i + 1}`, coro: 'f()', creator: null, loop: 0, internal: false, createdAt: i }));
    const trace: Trace = {
      ...evenOdd,
      tasks,
      events: [...tasks.map((t) => ({ kind: 'task' as const, task: t.id })), { kind: 'suspend', task: 0, wait: { kind: 'gather', tasks: tasks.slice(1).map((t) => t.id) }, line: null }],
    };
    const said = narrate(trace, 500, new BoardIndex(trace).at(500));
    expect(said).toContain('gather(Task-2, Task-3,');
    expect(said).toContain('Task-21 and 479 more): all of them to finish');
    expect(said).not.toContain('Task-22');
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
    expect(said[24]).toBe('Task-2 sets a timer that fires at 0.0001 s on the virtual clock (0.0001 s from now).');
    expect(said[25]).toBe(
      'Task-2 (task1()) awaits asyncio.sleep(): it sleeps until 0.0001 s on the virtual clock and hands control back to the loop.',
    );
  });

  it('explains the clock jump and the timers’ wake-up calls', () => {
    expect(said[36]).toBe(
      'Nothing is ready to run, so the loop waits for its next timer: the virtual clock jumps from 0 s to 0.0001 s (no real time passes).',
    );
    expect(said[37]).toBe('The timer that fires at 0.0001 s is due: Task-2’s wake-up call joins the back of the ready queue.');
    expect(said[39]).toBe('The loop takes Task-2’s wake-up call from the head of the ready queue and runs it.');
    expect(said[40]).toBe('Task-2 (task1()) wakes up: its sleep is over, so it joins the back of the ready queue.');
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
    // Arguments and objects are shown short, never as `<Queue at 0x…>`; the queue by its variable's name.
    expect(s[28]).toBe('Task-2 (worker(Queue)) waits for Queue.get() on q, and hands control back to the loop.');
    expect(s[31]).toBe('Task-3 (sleeper()) joins the back of the ready queue, behind everything already there.');
    expect(s[32]).toMatch(/^Task-3 \(sleeper\(\)\) gives way with asyncio.sleep\(0\)/);
    expect(s[50]).toBe(
      'Task-1 (main()) waits for wait_for() on Task-3, and hands control back to the loop (a timeout ends the wait at 1.5 s).',
    );
    expect(s[52]).toBe('A timer is cancelled: it will not fire.');
    expect(s[54]).toBe('Task-3 (sleeper()) is cancelled: it ends without a result.');
    // main awaited the cancelled task: it is not told "what it waited for is done".
    expect(s[55]).toBe(
      'Task-1 (main()) wakes up: Task-3, which it waited for, was cancelled, so CancelledError will be raised at its await (line 21) when it runs. It joins the back of the ready queue.',
    );
    expect(s[66]).toBe('Task-1 (main()) ends with an exception: ValueError: boom.');
    expect(s[90]).toMatch(/^Python writes to stderr: “Traceback/);
    expect(s[91]).toBe('An exception nobody caught ends the program: ValueError: boom (line 24).');
  });

  it('a TaskGroup whose task has finished, unheard of yet: the wait says so (tests/fixtures/player/taskgroup.trace.json)', () => {
    const trace = fixture('taskgroup');
    const s = sentences(trace);
    const waits = trace.events.flatMap((e, i) => (e.kind === 'suspend' && e.wait.kind === 'taskgroup' ? [s[i]] : []));
    expect(waits).toEqual([
      'Task-1 (main()) waits for its TaskGroup’s tasks (Task-2 and Task-3) to finish, and hands control back to the loop.',
      'Task-1 (main()) waits for its TaskGroup to hear that Task-2 has finished (through a done callback still to run), and hands control back to the loop.',
    ]);
  });

  it('a wait to connect on a connection already made says what is left: the loop taking it up (tests/fixtures/player/connect.trace.json)', () => {
    const trace = fixture('connect');
    const s = sentences(trace);
    const made = trace.events.findIndex((e) => e.kind === 'net' && e.op === 'connect');
    // Over loopback the connection is made at once, before main's wait.
    expect(s[made + 1]).toBe('The connection to 127.0.0.1:8019 is made: the client’s socket is connected.');
    const waits = trace.events.flatMap((e, i) => (e.kind === 'suspend' && e.wait.kind === 'net' && e.wait.op === 'connect' ? [s[i]] : []));
    expect(waits.length).toBe(2);
    for (const said of waits) {
      expect(said).toBe('Task-1 (main()) waits for the loop to take up its connection to 127.0.0.1:8019, made already (asyncio.open_connection), and hands control back to the loop.');
    }
  });

  describe('why a task wakes, and time.sleep() (tests/fixtures/player/wakes.trace.json)', () => {
    const trace = fixture('wakes');
    const s = sentences(trace);
    const index = new BoardIndex(trace);
    /** The step of the n-th event that matches. */
    const at = (match: (e: Trace['events'][number]) => boolean, n = 1): number => {
      let seen = 0;
      const i = trace.events.findIndex((e) => match(e) && ++seen === n);
      if (i < 0) throw new Error('no such event');
      return i;
    };
    const wakeOf = (wake: string, task: number): number => at((e) => e.kind === 'push' && e.wake === wake && e.item.kind === 'task' && e.item.task === task);

    it('a timer the blocked thread let pass is due late, and says by how much', () => {
      expect(s[at((e) => e.kind === 'push' && e.reason === 'timer')]).toBe('The timer that fires at 0.1 s is due (0.4 s late): Task-2’s wake-up call joins the back of the ready queue.');
      expect(s[at((e) => e.kind === 'timer')]).toBe('Task-2 sets a timer that fires at 0.1 s on the virtual clock (0.1 s from now).');
    });

    it('records why each task woke, from the future it waited on', () => {
      const wakes = trace.events.flatMap((e) => (e.kind === 'push' && e.wake ? [`${e.item.kind === 'task' ? e.item.task : '?'}:${e.wake}`] : []));
      // ticker's sleep, main after ticker, victim cancelled, main after the cancelled victim,
      // main's timeout, fail's sleep, main after fail raised.
      expect(wakes).toEqual(['1:result', '0:result', '2:cancelled', '0:cancelled', '0:timeout', '3:result', '0:exception']);
    });

    it('cancel: says who cancels the wait and where CancelledError is raised', () => {
      expect(s[wakeOf('cancelled', 2)]).toBe(
        "Task-3 (nap('victim', 5)) is woken by a cancellation: Task-1 (main()) at line 23 cancels the wait it is stopped at (a sleep until 5.5 s), so CancelledError will be raised at its await (line 6) when it runs. It joins the back of the ready queue.",
      );
      expect(s[wakeOf('cancelled', 0)]).toBe(
        'Task-1 (main()) wakes up: Task-3, which it waited for, was cancelled, so CancelledError will be raised at its await (line 25) when it runs. It joins the back of the ready queue.',
      );
    });

    it('timeout: the timeout cancels the wait, and it becomes TimeoutError', () => {
      expect(s[wakeOf('timeout', 0)]).toBe(
        'The timeout of Task-1 (main()) runs out and cancels the wait it is stopped at (a sleep until 10.5 s), so CancelledError will be raised at its await (line 6) when it runs (and turned into TimeoutError where the timeout was set). It joins the back of the ready queue.',
      );
    });

    it('exception: the awaited task failed, and its exception is raised at the await', () => {
      expect(s[wakeOf('exception', 0)]).toBe(
        'Task-1 (main()) wakes up: Task-4, which it waited for, failed, so that exception will be raised at its await (line 34) when it runs. It joins the back of the ready queue.',
      );
      expect(s[wakeOf('result', 3)]).toBe('Task-4 (fail()) wakes up: its sleep is over, so it joins the back of the ready queue.');
    });

    it('blocking sleep: the whole thread is held, not a wait for a timer', () => {
      const block = at((e) => e.kind === 'block');
      expect(s[block]).toBe('time.sleep(0.5) blocks the whole thread at line 19: for 0.5 s no task can run, not even the loop.');
      expect(trace.events[block + 1]!.kind).toBe('clock');
      expect(s[block + 1]).toBe(
        'time.sleep(0.5) holds the whole thread: the virtual clock moves from 0 s to 0.5 s while no task runs and the loop cannot even look at its timers.',
      );
      expect(s[block + 1]).not.toMatch(/waits for its next timer/);
      // A clock move that is a real wait for a timer is still told as one.
      const timerWait = at((e) => e.kind === 'clock', 2);
      expect(s[timerWait]).toBe('Nothing is ready to run, so the loop waits for its next timer: the virtual clock jumps from 0.5 s to 1.5 s (no real time passes).');
    });

    it('overdue timer: the board knows the timer is late, and the thread was blocked', () => {
      const clock = at((e) => e.kind === 'clock');
      const board = index.at(clock);
      expect(board.blocked).toEqual({ seconds: 0.5, line: 19, step: clock - 1, call: null });
      const ticker = board.sleeping.find((x) => x.task === 1)!;
      expect(ticker.wait).toMatchObject({ kind: 'sleep', until: 0.1 });
      expect(board.clock).toBe(0.5);
      expect(index.at(clock + 1).blocked).toBeNull();
    });

    it('hides the wake-up time of the task a question asks about', () => {
      const sleeps = at((e) => e.kind === 'suspend' && e.task === 1 && e.wait.kind === 'sleep');
      const narrator = new Narrator(trace);
      expect(narrator.narrate(sleeps, index.at(sleeps))).toMatch(/sleeps until 0.1 s/);
      expect(narrator.narrate(sleeps, index.at(sleeps), 1)).toBe(
        "Task-2 (nap('ticker', 0.1)) awaits asyncio.sleep(): it sleeps on a timer and hands control back to the loop.",
      );
      expect(narrator.narrate(sleeps - 1, index.at(sleeps - 1), 1)).toBe('Task-2 sets a timer.');
      // Another task's secret does not change it.
      expect(narrator.narrate(sleeps, index.at(sleeps), 0)).toMatch(/sleeps until 0.1 s/);
    });
  });

  it('a TaskGroup whose task fails: the others and the group’s owner are woken by a cancellation, not "done"', () => {
    const trace = fixture('taskgroup');
    const s = sentences(trace);
    const cancelled = trace.events.flatMap((e, i) => (e.kind === 'push' && e.wake === 'cancelled' ? [i] : []));
    expect(cancelled).toHaveLength(2);
    expect(s[cancelled[0]!]).toBe(
      "Task-2 (fetch('apple', 2)) is woken by a cancellation: its TaskGroup cancels the wait it is stopped at (a sleep until 2 s) because a task of the group failed, so CancelledError will be raised at its await (line 5) when it runs. It joins the back of the ready queue.",
    );
    expect(s[cancelled[1]!]).toBe(
      'Task-1 (main()) is woken by a cancellation: its TaskGroup cancels the wait it is stopped at (TaskGroup(Task-2, Task-3)) because a task of the group failed. CancelledError will be raised where the TaskGroup waits (line 15); the TaskGroup catches it and goes on waiting for its tasks. It joins the back of the ready queue.',
    );
    for (const i of cancelled) expect(s[i]).not.toMatch(/is done/);
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
