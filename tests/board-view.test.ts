/**
 * The board's words at one step (src/renderer/lib/board-view.ts), on traces recorded from the
 * real runtime (tests/fixtures/player): overdue timers, why a task was woken, what is inside a
 * Queue, a task's await chain and locals, every frame's line in the code, and what an open
 * question hides.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardView, codeMarks, hiddenFor, inspectTask, MARKS_PER_LINE, readyEmptyWords, type TaskCardModel, timeLeft } from '../src/renderer/lib/board-view';
import { TraceView } from '../src/renderer/lib/trace-view';
import type { Trace, TraceEvent } from '../src/shared/trace';

function fixture(name: string): TraceView {
  return new TraceView(JSON.parse(readFileSync(new URL(`./fixtures/player/${name}.trace.json`, import.meta.url), 'utf8')) as Trace);
}

function at(view: TraceView, match: (e: TraceEvent) => boolean, n = 1): number {
  let seen = 0;
  const i = view.trace.events.findIndex((e) => match(e) && ++seen === n);
  if (i < 0) throw new Error('no such event');
  return i;
}

const card = (cards: readonly unknown[], name: string): TaskCardModel => {
  const found = (cards as TaskCardModel[]).find((c) => c.kind === 'task' && c.name === name);
  if (!found) throw new Error(`no card for ${name}`);
  return found;
};

describe('board view', () => {
  const wakes = fixture('wakes');

  it('a timer the blocked thread could not serve is shown overdue, not "0 s left"', () => {
    const clock = at(wakes, (e) => e.kind === 'clock');
    const lanes = boardView(wakes, wakes.index.at(clock), false);
    const ticker = card(lanes.waiting, 'Task-2');
    expect(ticker.detail).toBe('sleeps until 0.1 s');
    expect(ticker.extra).toBe('overdue: due 0.4 s ago');
    expect(ticker.waits).toBe('sleeping');
    expect(lanes.timers.find((t) => t.label.startsWith('wakes Task-2'))?.label).toBe('wakes Task-2 (overdue: due 0.4 s ago)');
    // The running task is blocked in time.sleep(): its card says the whole thread waits.
    const main = card(lanes.running, 'Task-1');
    expect(main.detail).toBe('blocked in time.sleep(0.5) at line 19');
    expect(main.extra).toMatch(/whole thread waits/);
    expect(timeLeft(0.5, 0.2)).toBe('0.3 s left');
    expect(timeLeft(0.1, 0.1)).toBe('0 s left');
  });

  it('at the end, Running says whether the program ended or the run was ended early', () => {
    expect(boardView(wakes, wakes.index.at(wakes.trace.events.length - 1), false).idle).toBe('Nothing: the program has ended.');
    const stopped = fixture('deadlock');
    expect(stopped.trace.events.at(-1)?.kind).toBe('limit');
    expect(boardView(stopped, stopped.index.at(stopped.trace.events.length - 1), false).idle).toBe('Nothing: the run was ended early.');
  });

  it('a run stopped in the middle of a task’s step keeps that task in Running, saying where it was', () => {
    const whole = fixture('evenodd').trace;
    // Cut after a line a task ran (as a Stop cuts a run), and end it as the host does.
    const cut = whole.events.findIndex((e, i) => e.kind === 'line' && e.task !== null && i > 10);
    const events: TraceEvent[] = [...whole.events.slice(0, cut + 1), { kind: 'limit', reason: 'stopped', message: '' }];
    const stopped = new TraceView({ ...whole, events, end: { ...whole.end, status: 'limit' } });
    const lineEvent = events[cut]!;
    if (lineEvent.kind !== 'line' || lineEvent.task === null) throw new Error('no task line');
    const name = stopped.narrator.task(lineEvent.task, stopped.index.at(cut));
    const lanes = boardView(stopped, stopped.index.at(events.length - 1), false);
    const task = (lanes.running as TaskCardModel[]).find((c) => c.kind === 'task');
    expect(name).toContain(task?.name);
    expect(task?.detail).toBe(`was running line ${lineEvent.line}`);
    expect(task?.extra).toBe('when the run was ended');
  });

  it('a task woken by a cancellation says so in the Ready lane, and when it runs', () => {
    const push = at(wakes, (e) => e.kind === 'push' && e.wake === 'cancelled');
    const victim = card(boardView(wakes, wakes.index.at(push), false).ready, 'Task-3');
    expect(victim.extra).toBe('woken by a cancellation: CancelledError at line 6');
    expect(victim.wake).toBe('cancelled');
    const pop = at(wakes, (e) => e.kind === 'pop' && e.item.kind === 'task' && e.item.task === 2 && e.cancelled === false, 2);
    expect(card(boardView(wakes, wakes.index.at(pop), false).running, 'Task-3').extra).toBe('resumed: CancelledError at its await');
    // Once it has gone on to another line (its except clause), the word is no longer true.
    const awaitLine = wakes.index.at(pop).lines[2];
    const movedOn = wakes.trace.events.findIndex((e, i) => i > pop && e.kind === 'line' && e.task === 2 && e.line !== awaitLine);
    const after = wakes.trace.events.slice(pop, movedOn).some((e) => e.kind === 'suspend' || e.kind === 'done') ? -1 : movedOn;
    expect(after).toBeGreaterThan(pop);
    expect(card(boardView(wakes, wakes.index.at(after), false).running, 'Task-3').extra).toBe('');
    // main awaited the victim: it is not cancelled itself, and its card says whose cancellation woke it.
    const mainWoken = at(wakes, (e) => e.kind === 'push' && e.wake === 'cancelled' && e.item.kind === 'task' && e.item.task === 0);
    expect(card(boardView(wakes, wakes.index.at(mainWoken), false).ready, 'Task-1').extra).toMatch(/^woken: Task-3, which it awaited, was cancelled; CancelledError at line \d+$/);
    const timeout = at(wakes, (e) => e.kind === 'push' && e.wake === 'timeout');
    expect(card(boardView(wakes, wakes.index.at(timeout), false).ready, 'Task-1').extra).toBe('woken by its timeout: CancelledError at line 6');
  });

  it('a fired timer’s wake-up call, hidden without Loop internals, is named by the Ready lane and the sleeper’s card, not called empty', () => {
    const evenodd = fixture('evenodd');
    const firstFires = at(evenodd, (e) => e.kind === 'push' && e.item.kind === 'callback' && e.reason === 'timer');
    const one = boardView(evenodd, evenodd.index.at(firstFires), false);
    expect(one.ready).toEqual([]);
    expect(one.readyHidden).toEqual({ count: 1, words: 'Task-2’s wake-up call, which makes it ready' });
    expect(readyEmptyWords(one.readyHidden)).toBe('No task: Task-2’s wake-up call, which makes it ready (see Loop internals).');
    expect(card(one.waiting, 'Task-2').extra).toBe('timer fired: its wake-up call is in the ready queue');
    // Task-3's timer is due at the same moment but has not fired yet: its time left stays.
    expect(card(one.waiting, 'Task-3').extra).toBe('0 s left');

    const two = boardView(evenodd, evenodd.index.at(firstFires + 1), false);
    expect(two.readyHidden?.words).toBe('the wake-up calls of Task-2 and Task-3, which make them ready');
    expect(card(two.waiting, 'Task-3').extra).toBe('timer fired: its wake-up call is in the ready queue');

    // With Loop internals the callbacks are cards, and nothing is hidden.
    const shown = boardView(evenodd, evenodd.index.at(firstFires + 1), true);
    expect(shown.ready.map((c) => c.extra)).toEqual(['wakes Task-2', 'wakes Task-3']);
    expect(shown.readyHidden).toBeNull();
    // An open question does not learn whose call it is from the lane.
    const asked = boardView(evenodd, evenodd.index.at(firstFires), false, hiddenFor('next-task', null));
    expect(asked.readyHidden).toEqual({ count: 1, words: 'one of the loop’s own callbacks' });
    // A queue that holds nothing says so.
    expect(boardView(evenodd, evenodd.index.at(firstFires - 1), false).readyHidden).toBeNull();
    expect(readyEmptyWords(null)).toBe('Empty: nothing is ready to run.');

    // The loop takes Task-2's wake-up call and runs it; Task-3's waits behind it.
    const runs = boardView(evenodd, evenodd.index.at(firstFires + 2), false);
    expect(card(runs.waiting, 'Task-2').extra).toBe('timer fired: its wake-up call runs now');
    expect(card(runs.waiting, 'Task-3').extra).toBe('timer fired: its wake-up call is in the ready queue');
    // Task-2, woken, is 2nd in the queue: the one ahead of it is hidden, and said.
    const woken = boardView(evenodd, evenodd.index.at(firstFires + 3), false);
    expect(woken.ready.map((c) => c.detail)).toEqual(['2nd in the queue, behind one of the loop’s own items']);
  });

  it('with nothing running, Running says whether the loop runs, and what it waits for', () => {
    const evenodd = fixture('evenodd');
    const made = at(evenodd, (e) => e.kind === 'loop' && e.action === 'new');
    // asyncio.run has made the loop and its first task, and not yet run it.
    expect(boardView(evenodd, evenodd.index.at(made + 2), false).idle).toBe('Nothing: the loop is not running, so nothing is taken from its ready queue.');
    // Both printers sleep: the clock moves on to the soonest timer.
    const clock = at(evenodd, (e) => e.kind === 'clock');
    expect(boardView(evenodd, evenodd.index.at(clock - 1), false).idle).toBe('Nothing is ready: the loop waits for its soonest timer.');
    // A timer fired: the loop takes the next item.
    expect(boardView(evenodd, evenodd.index.at(clock + 1), false).idle).toBe('Nothing: the loop takes the next item from its ready queue.');
  });

  it('a task waiting to connect on a connection made already: its card and the Network lane say the loop has yet to take it up', () => {
    const connect = fixture('connect');
    const waits = at(connect, (e) => e.kind === 'suspend' && e.wait.kind === 'net' && e.wait.op === 'connect');
    const lanes = boardView(connect, connect.index.at(waits), false);
    expect(card(lanes.waiting, 'Task-1').detail).toBe('waits for the loop to take up its connection to 127.0.0.1:8019, made already');
    // Nothing ready, no timer: the loop waits on its sockets.
    expect(lanes.idle).toBe('Nothing is ready: the loop waits for the network.');
    const conn = lanes.network?.conns[0];
    expect(conn?.state).toBe('open');
    expect(conn?.waiters.map((w) => w.what)).toEqual([expect.stringMatching(/^waits for the loop to take it up/)]);
    // Before it is made (a connection still on its way) the words stay "a connection to …" (net-words.ts, netWaitOn).
  });

  it('a task that gave way is in Running and Ready for one step: its running card says why', () => {
    const gives = at(wakes, (e) => e.kind === 'push' && e.reason === 'yield');
    const event = wakes.trace.events[gives]!;
    const task = event.kind === 'push' && event.item.kind === 'task' ? event.item.task : -1;
    const lanes = boardView(wakes, wakes.index.at(gives), false);
    const name = `Task-${task + 1}`;
    expect(card(lanes.running, name).extra).toBe('gives way: already back in the ready queue, its step ends here');
    expect(card(lanes.ready, name)).toBeDefined();
    // The step before, it was only running.
    expect(card(boardView(wakes, wakes.index.at(gives - 1), false).running, name).extra).toBe('');
  });

  it('asyncio’s own task alone in the queue is named, not called a callback', () => {
    const evenodd = fixture('evenodd');
    const cleanUp = at(evenodd, (e) => e.kind === 'push' && e.item.kind === 'task' && evenodd.internal(e.item.task));
    const lanes = boardView(evenodd, evenodd.index.at(cleanUp), false);
    expect(lanes.ready).toEqual([]);
    expect(lanes.readyHidden?.words).toMatch(/^asyncio’s own task Task-\d+$/);
  });

  it('an open question hides the head’s "runs next" and the asked task’s wake-up time', () => {
    const sleeps = at(wakes, (e) => e.kind === 'suspend' && e.task === 1 && e.wait.kind === 'sleep');
    const board = wakes.index.at(sleeps);
    const open = boardView(wakes, board, false);
    expect(open.ready[0]!.detail).toBe('head: runs next');
    expect(card(open.waiting, 'Task-2').detail).toBe('sleeps until 0.1 s');

    const hidden = boardView(wakes, board, false, { head: true, queue: false, wakeTimes: false, wakeOf: 1 });
    expect(JSON.stringify([hidden.ready, hidden.waiting, hidden.timers])).not.toMatch(/runs next/);
    expect(hidden.ready[0]!.detail).toBe('1st in the queue');
    const sleeper = card(hidden.waiting, 'Task-2');
    expect(sleeper.detail).not.toMatch(/0\.1/);
    expect(sleeper.extra).toBe('');
    expect(sleeper.label).not.toMatch(/until|left/);
    expect(hidden.timers.find((t) => t.label.startsWith('wakes Task-2'))?.when).toBe('?');
  });

  it('by kind: "which task runs next?" hides every queue place; a wake-time question hides every wake-up time', () => {
    const sleeps = at(wakes, (e) => e.kind === 'suspend' && e.task === 1 && e.wait.kind === 'sleep');
    const board = wakes.index.at(sleeps);
    const open = boardView(wakes, board, false);
    expect(open.queueOrder).toBe(true);
    expect(JSON.stringify(open.ready)).toMatch(/runs next|in the queue/);
    expect(JSON.stringify([open.waiting, open.timers])).toMatch(/until|left|\d s/);

    const next = boardView(wakes, board, false, hiddenFor('next-task', null));
    expect(next.queueOrder).toBe(false);
    expect(next.ready.length).toBe(open.ready.length);
    for (const c of next.ready) expect(c.detail).toBe('in the queue');
    expect(JSON.stringify(next.ready)).not.toMatch(/runs next|1st|2nd|3rd|head/);
    // Wake-up times are not what this question asks: they stay.
    expect(next.waiting).toEqual(open.waiting);

    // Asked when Task-1 wakes: Task-2's timer (another task) is hidden too, as every time left.
    const wake = boardView(wakes, board, false, hiddenFor('wake-time', 0));
    expect(wake.queueOrder).toBe(true);
    expect(wake.waiting.length).toBe(open.waiting.length);
    const other = card(wake.waiting, 'Task-2');
    expect(other.detail).toBe('sleeps on a timer');
    expect(other.extra).toBe('');
    expect(JSON.stringify(wake.waiting)).not.toMatch(/until|left|timeout at|overdue/);
    for (const t of wake.timers) expect(t.when).toBe('?');
    expect(JSON.stringify(wake.timers)).not.toMatch(/overdue/);

    // Other kinds hide only the head's "runs next".
    expect(hiddenFor('next-output', null)).toEqual({ head: true, queue: false, wakeTimes: false, wakeOf: null });
    expect(hiddenFor('choice', 3)).toEqual({ head: true, queue: false, wakeTimes: false, wakeOf: null });
  });
});

describe('inside a task (lesson 18’s bakery)', () => {
  const queue = fixture('queue');
  const putWait = at(queue, (e) => e.kind === 'suspend' && e.task === 0 && e.wait.kind === 'sync');

  it('shows the await chain, outermost first, with each frame’s line and locals', () => {
    const model = inspectTask(queue, queue.index.at(putWait), 0)!;
    expect(model.title).toBe('Task-1 (main())');
    expect(model.state).toBe('waiting');
    expect(model.frames.map((f) => [f.name, f.line, f.user])).toEqual([
      ['main()', 23, true],
      ['baker()', 5, true],
      ['Queue.put()', null, false],
    ]);
    expect(model.frames[0]!.locals).toEqual([
      ['shelf', 'Queue'],
      ['customers', "[Task 'Ada', Task 'Bob']"],
    ]);
    expect(model.frames[1]!.locals).toEqual([
      ['queue', 'Queue'],
      ['cake', "'cupcake'"],
    ]);
    // No address anywhere, and the task's coroutine is shown short.
    expect(JSON.stringify(model)).not.toMatch(/0x/);
    expect(queue.trace.tasks[1]!.coro).toBe("customer('Ada', Queue, 3)");
  });

  it('marks every frame’s line in the code: main at line 23 as well as baker at line 5', () => {
    const marks = codeMarks(queue, queue.index.at(putWait), false);
    const main = marks.waiting.filter((m) => m.label.startsWith('Task-1'));
    expect(main.map((m) => [m.line, m.outer ?? false])).toEqual([
      [5, false],
      [23, true],
    ]);
    expect(main[1]!.title).toBe('Task-1 (main()): main() awaits baker() here');
  });

  it('marks top-level code as the program’s top level, not as “main” (a main() coroutine has its own task)', () => {
    const evenodd = fixture('evenodd');
    const topLevel = at(evenodd, (e) => e.kind === 'line' && e.task === null && e.callback === null);
    const marks = codeMarks(evenodd, evenodd.index.at(topLevel), false);
    expect(marks.running?.label).toBe('▶ top');
    expect(marks.running?.title).toBe('the program runs this line, at its top level (outside the event loop)');
  });

  it('makes at most MARKS_PER_LINE marks for one line, and counts the rest', () => {
    // 60 workers wait in nap() at line 4, each awaiting it from line 7; main gathers them at line 10.
    const crowd = fixture('crowd');
    const allAsleep = at(crowd, (e) => e.kind === 'clock') - 1;
    const marks = codeMarks(crowd, crowd.index.at(allAsleep), false);
    const onLine = (line: number): string[] => marks.waiting.filter((m) => m.line === line).map((m) => m.label);
    const workers = Array.from({ length: 60 }, (_, i) => `Task-${i + 2}`);
    // The first ones, in the order of the tasks, as before there was a cap.
    expect(onLine(4)).toEqual(workers.slice(0, MARKS_PER_LINE));
    expect(onLine(7)).toEqual(workers.slice(0, MARKS_PER_LINE).map((name) => `${name} ↳`));
    expect(onLine(10)).toEqual(['Task-1']);
    expect([...marks.more]).toEqual([
      [4, 60 - MARKS_PER_LINE],
      [7, 60 - MARKS_PER_LINE],
    ]);
  });

  it('shows what is inside the Queue on the card of the task waiting on it, and in Loop internals', () => {
    const lanes = boardView(queue, queue.index.at(putWait), true);
    const main = card(lanes.waiting, 'Task-1');
    expect(main.detail).toBe('waits for Queue.put on shelf');
    expect(main.object).toBe("Queue shelf: 2 of 2: 'apple pie', 'brownie' · 2 not yet task_done()");
    expect(lanes.objects).toEqual([
      { key: expect.any(String), title: 'Queue shelf', state: "2 of 2: 'apple pie', 'brownie' · 2 not yet task_done()", waiters: ['Task-1 (put)'] },
    ]);
    // Later Ada finds the shelf empty and waits on get.
    const getWait = at(queue, (e) => e.kind === 'suspend' && e.task === 1 && e.wait.kind === 'sync');
    const ada = card(boardView(queue, queue.index.at(getWait), false).waiting, 'Ada');
    expect(ada.object).toMatch(/^Queue shelf: empty \(holds 2\)/);
  });

  it('locals recorded while the task prints follow the loop variable', () => {
    const cakes = queue.trace.events.flatMap((e, i) => {
      if (e.kind !== 'output' || !e.text.startsWith('baker put')) return [];
      const model = inspectTask(queue, queue.index.at(i), 0)!;
      return [model.frames[1]!.locals.find(([name]) => name === 'cake')?.[1]];
    });
    expect(cakes).toEqual(["'apple pie'", "'brownie'", "'cupcake'", "'donut'"]);
  });

  it('is never blank for the running task: before its first pause or print it shows where it runs', () => {
    // Every step at which a task runs: the inspector has it, at the line the board says it is on.
    let before = 0;
    queue.trace.events.forEach((_, i) => {
      const board = queue.index.at(i);
      if (board.running?.kind !== 'task') return;
      const task = board.running.task;
      const model = inspectTask(queue, board, task);
      expect(model, `step ${i}: the running task's inspector`).not.toBeNull();
      if (board.chains[task] === undefined) {
        before++;
        // Its coroutine, with no line: the line it runs may be in a coroutine it awaits. The note says where.
        expect(model!.frames).toEqual([{ name: queue.trace.tasks[task]!.coro, line: null, user: true, recorded: false, locals: [] }]);
        const line = board.lines[task] ?? board.line;
        expect(model!.note).toBe(`${line === null ? 'Starting' : `Running line ${line}`}; its await chain and variables are recorded when it first pauses or prints.`);
      }
    });
    expect(before, 'steps where a task runs before anything of it is recorded').toBeGreaterThan(0);
  });
});

describe('a trace file that repeats what the tracer never repeats', () => {
  it('still gives every card and timer a key of its own (a keyed list throws on a repeat), and shows them all', () => {
    // A shared link or an exported page is only a file: this one puts Task-1 in the ready queue
    // twice and the same timer in the heap twice, as a reviewer's forged trace did.
    const trace = structuredClone(fixture('wakes').trace);
    const loop = trace.events.find((e) => e.kind === 'push')!;
    const push = { ...loop, kind: 'push', item: { kind: 'task', task: 0 }, reason: 'yield' } as TraceEvent;
    const timer = { kind: 'timer', loop: (loop as { loop: number }).loop, timer: 9_999, when: 1e6 } as TraceEvent;
    trace.events.push(push, push, timer, timer);
    const view = new TraceView(trace);
    const lanes = boardView(view, view.index.at(trace.events.length - 1), true);
    for (const list of [lanes.ready, lanes.timers, lanes.running, lanes.waiting, lanes.done]) {
      const keys = list.map((item) => item.key);
      expect(new Set(keys).size, keys.join(' ')).toBe(keys.length);
    }
    expect(lanes.ready.filter((c) => c.kind === 'task' && c.name === card(lanes.ready, 'Task-1').name)).toHaveLength(2);
    expect(lanes.timers.filter((t) => t.key.includes(':h9999'))).toHaveLength(2);
  });
});
