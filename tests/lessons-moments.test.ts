/**
 * Anchors (where a stop's moment is) and checkpoints (questions graded from the run), on
 * small traces built by hand, so that every rule is pinned to exact steps. The lessons test
 * checks the same code on real runs.
 */
import { describe, expect, it } from 'vitest';
import { describeAnchor, findMoment, momentSteps, resolveStops } from '../src/lessons/anchors';
import { gradeAnswer, NOTHING_MORE, type PreparedCheckpoint, prepareCheckpoint, wrongPick } from '../src/lessons/checkpoints';
import type { MomentAnchor, TourStop } from '../src/shared/lesson';
import type { CallbackInfo, PushReason, TaskId, TaskInfo, Trace, TraceEvent, Wait } from '../src/shared/trace';

/** Builds a trace event by event; each method returns the step it added. */
class TraceBuilder {
  events: TraceEvent[] = [];
  tasks: TaskInfo[] = [];
  callbacks: CallbackInfo[] = [];
  private timers = 0;

  private add(event: TraceEvent): number {
    this.events.push(event);
    return this.events.length - 1;
  }
  loop(action: 'new' | 'run' | 'stop' | 'close'): number {
    return this.add({ kind: 'loop', loop: 0, action });
  }
  task(coro: string, name = `Task-${this.tasks.length + 1}`, creator: TaskId | null = null): TaskId {
    const id = this.tasks.length;
    this.tasks.push({ id, name, coro, creator, loop: 0, internal: false, createdAt: this.events.length });
    this.add({ kind: 'task', task: id });
    return id;
  }
  callback(label: string): number {
    this.callbacks.push({ id: this.callbacks.length, label, user: false, line: null });
    return this.callbacks.length - 1;
  }
  push(task: TaskId, reason: PushReason): number {
    return this.add({ kind: 'push', loop: 0, item: { kind: 'task', task }, reason });
  }
  pushCb(callback: number, reason: PushReason): number {
    return this.add({ kind: 'push', loop: 0, item: { kind: 'callback', callback }, reason });
  }
  pop(task: TaskId): number {
    return this.add({ kind: 'pop', loop: 0, item: { kind: 'task', task }, cancelled: false });
  }
  popCb(callback: number, cancelled = false): number {
    return this.add({ kind: 'pop', loop: 0, item: { kind: 'callback', callback }, cancelled });
  }
  cbEnd(callback: number): number {
    return this.add({ kind: 'callback_end', callback });
  }
  line(line: number, task: TaskId | null): number {
    return this.add({ kind: 'line', line, task, callback: null });
  }
  out(text: string, stream: 'stdout' | 'stderr' = 'stdout'): number {
    return this.add({ kind: 'output', stream, text });
  }
  sleep(task: TaskId, until: number, line: number): number {
    const timer = this.timers++;
    this.add({ kind: 'timer', loop: 0, timer, when: until });
    return this.add({ kind: 'suspend', task, wait: { kind: 'sleep', timer, until }, line });
  }
  suspend(task: TaskId, wait: Wait, line: number): number {
    return this.add({ kind: 'suspend', task, wait, line });
  }
  clock(time: number): number {
    return this.add({ kind: 'clock', time });
  }
  done(task: TaskId, outcome: 'result' | 'exception' | 'cancelled', text: string, line: number | null = null): number {
    return this.add({ kind: 'done', task, outcome, text, line });
  }
  /** The timer callbacks of a clock tick wake `tasks` in order. */
  tick(time: number, tasks: TaskId[]): number {
    const at = this.clock(time);
    const cbs = tasks.map(() => this.callback('_set_result_unless_cancelled'));
    for (const cb of cbs) this.pushCb(cb, 'timer');
    cbs.forEach((cb, i) => {
      this.popCb(cb);
      this.push(tasks[i]!, 'wake');
      this.cbEnd(cb);
    });
    return at;
  }
  build(): Trace {
    return {
      version: 1,
      filename: 'main.py',
      source: '',
      tasks: this.tasks,
      callbacks: this.callbacks,
      events: this.events,
      end: { status: 'ok', exitCode: 0, clock: 0, wallMs: 0, lineSteps: 0, maxSteps: 10_000 },
    };
  }
}

/**
 * Two printers gathered by main, each printing twice with a 1 s sleep in between; b's first
 * print arrives in two pieces ("x", then "\n"), as Python sometimes writes it.
 */
function printers() {
  const t = new TraceBuilder();
  const s: Record<string, number> = {};
  t.line(1, null);
  t.loop('new');
  const main = t.task('main()');
  t.push(main, 'start');
  t.loop('run');
  s.popMain = t.pop(main);
  t.line(14, main);
  const a = t.task('a()', undefined, main);
  s.pushA = t.push(a, 'start');
  const b = t.task('b()', undefined, main);
  t.push(b, 'start');
  s.mainWaits = t.suspend(main, { kind: 'gather', tasks: [a, b] }, 14);
  s.popA1 = t.pop(a);
  t.line(4, a);
  t.line(5, a);
  s.out0 = t.out('0\n');
  t.line(6, a);
  s.aSleeps1 = t.sleep(a, 1, 6);
  s.popB1 = t.pop(b);
  t.line(9, b);
  t.line(10, b);
  s.outX = t.out('x');
  s.outXnl = t.out('\n');
  t.line(11, b);
  s.bSleeps1 = t.sleep(b, 1, 11);
  s.clock1 = t.tick(1, [a, b]);
  s.popA2 = t.pop(a);
  t.line(5, a);
  s.out1 = t.out('1\n');
  t.line(6, a);
  s.aSleeps2 = t.sleep(a, 2, 6);
  s.popB2 = t.pop(b);
  t.line(10, b);
  s.outY = t.out('y\n');
  t.line(11, b);
  s.bSleeps2 = t.sleep(b, 2, 11);
  s.clock2 = t.tick(2, [a, b]);
  s.popA3 = t.pop(a);
  s.aDone = t.done(a, 'result', 'None', 4);
  const gcb = t.callback('gather.<locals>._done_callback');
  t.pushCb(gcb, 'soon');
  s.popB3 = t.pop(b);
  s.bDone = t.done(b, 'result', 'None', 9);
  t.popCb(gcb);
  s.wakeMain = t.push(main, 'wake');
  t.cbEnd(gcb);
  s.popMain2 = t.pop(main);
  t.line(15, main);
  s.outEnd = t.out('end\n');
  s.mainDone = t.done(main, 'result', 'None', 15);
  t.loop('stop');
  s.last = t.loop('close');
  return { trace: t.build(), s, ids: { main, a, b } };
}

/** A renamed task, a blocking time.sleep, a bare yield, a dropped callback and an error. */
function troubles() {
  const t = new TraceBuilder();
  const s: Record<string, number> = {};
  t.loop('new');
  const main = t.task('main()');
  t.push(main, 'start');
  t.pop(main);
  s.createdSpin = t.events.length;
  const spin = t.task('spin()', undefined, main);
  t.push(spin, 'start');
  s.rename = t.events.length;
  t.events.push({ kind: 'rename', task: spin, name: 'spinner' });
  t.line(11, main);
  s.block = t.events.length;
  t.events.push({ kind: 'block', seconds: 0.5, line: 11 });
  s.clock = t.clock(0.5);
  s.mainWaits = t.suspend(main, { kind: 'task', task: spin }, 12);
  s.popSpin1 = t.pop(spin);
  t.line(3, spin);
  t.push(spin, 'yield');
  s.spinYields = t.suspend(spin, { kind: 'yield' }, 3);
  const dropped = t.callback('dropped');
  t.pushCb(dropped, 'soon');
  s.dropped = t.popCb(dropped, true);
  s.popSpin2 = t.pop(spin);
  t.line(4, spin);
  s.spinFails = t.done(spin, 'exception', 'ValueError: bad', 4);
  t.push(main, 'wake');
  s.popMain2 = t.pop(main);
  s.mainFails = t.done(main, 'exception', 'ValueError: bad', 12);
  s.traceback = t.out('Traceback (most recent call last):\nValueError: bad\n', 'stderr');
  s.error = t.events.length;
  t.events.push({ kind: 'exception', type: 'ValueError', message: 'bad', line: 4 });
  return { trace: t.build(), s };
}

const at = (when: MomentAnchor['when'], rest: Partial<MomentAnchor> = {}): MomentAnchor => ({ when, occurrence: 1, ...rest });

describe('anchors: what each when-word matches', () => {
  const { trace, s } = printers();

  it('line, with task and line', () => {
    expect(momentSteps(trace, at('line', { line: 5 }))).toEqual([s.popA1! + 2, s.popA2! + 1]);
    expect(findMoment(trace, at('line', { line: 14, task: 'main' }))).toBe(s.popMain! + 1);
    expect(findMoment(trace, at('line', { line: 14, task: 'a' }))).toBeNull();
  });

  it('runs: a pop that is not cancelled; with a task, only that task', () => {
    expect(momentSteps(trace, at('runs', { task: 'a' }))).toEqual([s.popA1, s.popA2, s.popA3]);
    expect(findMoment(trace, at('runs', { task: 'b', occurrence: 2 }))).toBe(s.popB2);
    // Without a task, plain callbacks count too: the first three runs are main, a, b.
    expect(momentSteps(trace, at('runs')).slice(0, 4)).toEqual([s.popMain, s.popA1, s.popB1, s.clock1! + 3]);
    // Its line is where the task resumes.
    expect(findMoment(trace, at('runs', { task: 'a', line: 6 }))).toBe(s.popA2);
  });

  it('suspends, sleeps and waits', () => {
    expect(momentSteps(trace, at('sleeps', { task: 'b' }))).toEqual([s.bSleeps1, s.bSleeps2]);
    expect(momentSteps(trace, at('waits'))).toEqual([s.mainWaits]);
    expect(momentSteps(trace, at('suspends'))).toEqual([s.mainWaits, s.aSleeps1, s.bSleeps1, s.aSleeps2, s.bSleeps2]);
    expect(findMoment(trace, at('sleeps', { task: 'b', line: 11, occurrence: 2 }))).toBe(s.bSleeps2);
  });

  it('wakes: a task pushed with reason wake; joins: any push', () => {
    expect(momentSteps(trace, at('wakes', { task: 'a' }))).toEqual([s.clock1! + 4, s.clock2! + 4]);
    expect(momentSteps(trace, at('wakes', { task: 'main' }))).toEqual([s.wakeMain]);
    expect(findMoment(trace, at('joins', { task: 'a' }))).toBe(s.pushA);
    expect(momentSteps(trace, at('joins')).length).toBe(
      trace.events.filter((e) => e.kind === 'push').length,
    );
  });

  it('finishes, created, clock, end', () => {
    expect(momentSteps(trace, at('finishes'))).toEqual([s.aDone, s.bDone, s.mainDone]);
    expect(findMoment(trace, at('finishes', { text: 'None', task: 'b' }))).toBe(s.bDone);
    expect(momentSteps(trace, at('created')).map((i) => trace.events[i]!.kind)).toEqual(['task', 'task', 'task']);
    expect(findMoment(trace, at('created', { task: 'b', line: 14 }))).toBe(s.pushA! + 1);
    expect(momentSteps(trace, at('clock'))).toEqual([s.clock1, s.clock2]);
    expect(findMoment(trace, at('end'))).toBe(s.last);
  });

  it('prints: by task, by line, and text written in pieces', () => {
    expect(momentSteps(trace, at('prints', { task: 'b' }))).toEqual([s.outX, s.outXnl, s.outY]);
    expect(findMoment(trace, at('prints', { text: 'x\n' }))).toBe(s.outXnl);
    expect(findMoment(trace, at('prints', { text: 'x' }))).toBe(s.outX);
    expect(findMoment(trace, at('prints', { text: '0\nx' }))).toBe(s.outX);
    expect(findMoment(trace, at('prints', { line: 15 }))).toBe(s.outEnd);
    expect(findMoment(trace, at('prints', { text: 'nope' }))).toBeNull();
  });

  it('task: by name, function, whole call, or a name given later with set_name()', () => {
    expect(findMoment(trace, at('runs', { task: 'Task-2' }))).toBe(s.popA1);
    expect(findMoment(trace, at('runs', { task: 'a()' }))).toBe(s.popA1);
    const t = troubles();
    expect(momentSteps(t.trace, at('runs', { task: 'spinner' }))).toEqual([t.s.popSpin1, t.s.popSpin2]);
    expect(findMoment(t.trace, at('created', { task: 'spinner' }))).toBe(t.s.createdSpin);
  });

  it('blocks, error, a bare yield, and a dropped callback', () => {
    const t = troubles();
    expect(findMoment(t.trace, at('blocks', { task: 'main', line: 11 }))).toBe(t.s.block);
    expect(findMoment(t.trace, at('error', { text: 'ValueError: bad', line: 4 }))).toBe(t.s.error);
    expect(findMoment(t.trace, at('suspends', { task: 'spinner' }))).toBe(t.s.spinYields);
    expect(findMoment(t.trace, at('sleeps'))).toBeNull();
    expect(momentSteps(t.trace, at('waits'))).toEqual([t.s.mainWaits]);
    expect(momentSteps(t.trace, at('runs'))).not.toContain(t.s.dropped);
    expect(momentSteps(t.trace, at('finishes', { text: 'bad' }))).toEqual([t.s.spinFails, t.s.mainFails]);
  });
});

describe('resolveStops', () => {
  const { trace, s } = printers();
  const stop = (title: string, anchor: MomentAnchor, program = 'main.py'): TourStop => ({
    id: title,
    title,
    body: '…',
    program,
    anchor,
    checkpoint: null,
    line: 1,
  });

  it('finds each stop of the program, and says plainly which never happen', () => {
    const stops = [
      stop('a sleeps', at('sleeps', { task: 'a' })),
      stop('elsewhere', at('end'), 'other.py'),
      stop('b sleeps thrice', at('sleeps', { task: 'b', occurrence: 3 })),
      stop('nobody', at('sleeps', { task: 'c' })),
    ];
    const resolved = resolveStops(stops, 'main.py', trace);
    expect(resolved.map((r) => [r.stop.title, r.step, r.problem])).toEqual([
      ['a sleeps', s.aSleeps1, null],
      ['b sleeps thrice', null, 'The stop "b sleeps thrice" waits for the third time b sleeps, but in this run that happens only 2 times.'],
      ['nobody', null, 'The stop "nobody" waits for the first time c sleeps, but in this run that never happens.'],
    ]);
  });

  it('reports a stop that comes earlier in the run than the one before it', () => {
    const resolved = resolveStops([stop('late', at('clock', { occurrence: 2 })), stop('early', at('clock'))], 'main.py', trace);
    expect(resolved[1]!.problem).toBe(
      `The stop "early" (step ${s.clock1}) comes before the stop "late" (step ${s.clock2}) in this run; the tour must follow the run's order.`,
    );
  });

  it('describes anchors in words', () => {
    expect(describeAnchor(at('sleeps', { task: 'print_letters', occurrence: 2 }))).toBe('the second time print_letters sleeps');
    expect(describeAnchor(at('prints', { text: 'done', line: 7 }))).toBe('the first time something prints "done" at line 7');
    expect(describeAnchor(at('line', { line: 3 }))).toBe('the first time the program runs line 3');
    expect(describeAnchor(at('clock', { occurrence: 12 }))).toBe('the 12th time the clock moves');
    expect(describeAnchor(at('end'))).toBe('the end of the run');
  });
});

function prepared(trace: Trace, step: number, checkpoint: Parameters<typeof prepareCheckpoint>[2]): PreparedCheckpoint {
  const result = prepareCheckpoint(trace, step, checkpoint);
  if (!result.ok) throw new Error(result.problem);
  return result.checkpoint;
}

describe('checkpoints', () => {
  const { trace, s } = printers();

  it('next-task: the head of the ready queue', () => {
    const c = prepared(trace, s.mainWaits!, { kind: 'next-task', question: 'Who?' });
    expect(c).toMatchObject({
      kind: 'next-task',
      question: 'Who?',
      choices: ['main (Task-1)', 'a (Task-2)', 'b (Task-3)'],
      answer: 'a (Task-2)',
      revealStep: s.popA1,
    });
    expect(c.explanation).toBe('a (Task-2) is at the head of the ready queue, and the loop always runs the head of the queue first.');
    for (const ok of ['a (Task-2)', 'A (task-2) ', 'a', 'Task-2', 'a()']) expect(gradeAnswer(c, ok), ok).toBe(true);
    for (const wrong of ['b', 'main (Task-1)', '']) expect(gradeAnswer(c, wrong), wrong).toBe(false);
  });

  it('next-task: skips the timer callbacks and explains the clock jump', () => {
    const c = prepared(trace, s.clock1!, { kind: 'next-task', question: 'Who?' });
    expect(c.answer).toBe('a (Task-2)');
    expect(c.revealStep).toBe(s.popA2);
    expect(c.explanation).toBe(
      'Nothing else can run, so the loop moves the clock on to 1. The timer of a (Task-2) is due then, and so is the timer of b (Task-3), set later; so a (Task-2) wakes first and is the first task to run.',
    );
  });

  it('next-task: done tasks are no longer offered; no next task is a problem', () => {
    const c = prepared(trace, s.aDone!, { kind: 'next-task', question: 'Who?' });
    expect(c.choices).toEqual(['main (Task-1)', 'b (Task-3)']);
    expect(c.answer).toBe('b (Task-3)');
    expect(prepareCheckpoint(trace, s.mainDone!, { kind: 'next-task', question: 'Who?' })).toEqual({
      ok: false,
      problem: 'no task runs after this step, so there is no next task to predict.',
    });
  });

  it('next-output: the next whole line, even when it is written in pieces', () => {
    const c = prepared(trace, s.aSleeps1!, { kind: 'next-output', question: 'What?' });
    expect(c.answer).toBe('x');
    expect(c.choices).toEqual(['1', 'end', 'x', 'y']);
    expect(c.revealStep).toBe(s.outX);
    expect(c.explanation).toBe('The next line printed is "x", written by b (Task-3) at line 10.');
    // Between "x" and its newline, the next line is the one after.
    expect(prepared(trace, s.outX!, { kind: 'next-output', question: 'What?' }).answer).toBe('1');
  });

  it('next-output: nothing more', () => {
    const c = prepared(trace, s.outEnd!, { kind: 'next-output', question: 'What?' });
    expect(c.answer).toBe(NOTHING_MORE);
    expect(c.choices).toEqual([NOTHING_MORE, 'end', 'y']);
    expect(c.revealStep).toBeNull();
    expect(c.explanation).toBe('The program prints nothing more after this point.');
  });

  it('wake-time: the clock when the task is woken', () => {
    const c = prepared(trace, s.bSleeps1!, { kind: 'wake-time', question: 'When?', task: 'b' });
    expect(c).toMatchObject({ answer: '1', choices: ['0', '1', '2'], revealStep: s.clock1! + 7 });
    expect(c.explanation).toBe('b (Task-3) went to sleep at 0 for 1 s, so its timer is due at 1.');
    for (const ok of ['1', '1.0', '1 s', ' 1 seconds']) expect(gradeAnswer(c, ok), ok).toBe(true);
    for (const wrong of ['0', '2', 'soon']) expect(gradeAnswer(c, wrong), wrong).toBe(false);
    expect(prepareCheckpoint(trace, s.bSleeps1!, { kind: 'wake-time', question: 'When?', task: 'nobody' })).toEqual({
      ok: false,
      problem: 'nobody does not wake up after this step.',
    });
  });

  it('wake-time: a task woken early by a cancellation says so', () => {
    const t = new TraceBuilder();
    const main = t.task('main()');
    t.push(main, 'start');
    t.pop(main);
    const slept = t.sleep(main, 10, 5);
    t.clock(1);
    const timeout = t.callback('Timeout._on_timeout');
    t.pushCb(timeout, 'timer');
    t.popCb(timeout);
    const woke = t.push(main, 'wake');
    t.cbEnd(timeout);
    t.pop(main);
    t.done(main, 'result', 'None');
    const c = prepared(t.build(), slept, { kind: 'wake-time', question: 'When?', task: 'main' });
    expect(c.answer).toBe('1');
    expect(c.revealStep).toBe(woke);
    expect(c.choices).toEqual(['0', '1', '10']);
    expect(c.explanation).toBe('main (Task-1) went to sleep until 10, but is woken early, at 1, because its wait is cancelled: its timeout runs out.');
  });

  it('every wrong choice gets one sentence from the run saying why it is wrong', () => {
    const next = prepared(trace, s.mainWaits!, { kind: 'next-task', question: 'Who?' });
    expect(next.why).toEqual({
      'main (Task-1)': 'main (Task-1) waits for gather(Task-2, Task-3), which is not done before a (Task-2) runs.',
      'b (Task-3)': 'b (Task-3) is second in the ready queue, behind a (Task-2): the loop always takes the head of the queue first.',
    });
    const tie = prepared(trace, s.clock1!, { kind: 'next-task', question: 'Who?' });
    expect(tie.why['b (Task-3)']).toBe('b (Task-3)’s timer is due at 1 s too, but a (Task-2) is ahead of it in the ready queue when their timers fire.');

    const out = prepared(trace, s.aSleeps1!, { kind: 'next-output', question: 'What?' });
    expect(Object.keys(out.why).sort()).toEqual(['1', 'end', 'y']);
    expect(out.why['y']).toBe('"y" is printed later, after "x".');
    const more = prepared(trace, s.outEnd!, { kind: 'next-output', question: 'What?' });
    expect(more.why['end']).toBe('"end" was printed already, before this point; the program prints nothing more after this point.');

    const wake = prepared(trace, s.bSleeps1!, { kind: 'wake-time', question: 'When?', task: 'b' });
    expect(wake.why).toEqual({
      '0': 'At 0 s (that is the clock now) b (Task-3) is still waiting: its timer is due at 1 s.',
      '2': 'b (Task-3) wakes before 2 s, at 1 s.',
    });
    // The right answer never has a "why wrong".
    for (const c of [next, tie, out, more, wake]) expect(c.why[c.answer]).toBeUndefined();
  });

  it('each wrong choice also gets a hint that does not give the answer away', () => {
    const next = prepared(trace, s.mainWaits!, { kind: 'next-task', question: 'Who?' });
    expect(next.hint).toEqual({
      'main (Task-1)': 'main (Task-1) waits for gather(Task-2, Task-3), which is not done before the loop runs its next task.',
      'b (Task-3)': 'b (Task-3) is not at the head of the ready queue, and the loop always takes the head of the queue first.',
    });
    const tie = prepared(trace, s.clock1!, { kind: 'next-task', question: 'Who?' });
    expect(tie.hint['b (Task-3)']).toBe('b (Task-3)’s timer is due at the same moment as another’s, and that other task is ahead of it in the ready queue.');
    const out = prepared(trace, s.aSleeps1!, { kind: 'next-output', question: 'What?' });
    expect(out.hint['y']).toBe('"y" is printed later, but another line comes first.');
    const more = prepared(trace, s.outEnd!, { kind: 'next-output', question: 'What?' });
    expect(more.hint['end']).toBe('"end" was printed already, before this point.');
    const wake = prepared(trace, s.bSleeps1!, { kind: 'wake-time', question: 'When?', task: 'b' });
    expect(wake.hint).toEqual({
      '0': 'At 0 s (that is the clock now) b (Task-3) is still waiting: its timer is not due yet.',
      '2': 'b (Task-3) is woken before 2 s.',
    });
    // A hint for every wrong choice, never one naming the answer (a task's label; a time in seconds).
    for (const c of [next, tie, out, more]) {
      expect(Object.keys(c.hint).sort()).toEqual(Object.keys(c.why).sort());
      for (const h of Object.values(c.hint)) expect(h).not.toContain(c.answer);
    }
    for (const h of Object.values(wake.hint)) expect(h).not.toContain(`${wake.answer} s`);
  });

  it('a wrong pick may be tried again only with a hint and two choices left; otherwise it is answered', () => {
    const wake = prepared(trace, s.bSleeps1!, { kind: 'wake-time', question: 'When?', task: 'b' });
    // Choices 0, 1, 2: after "2", two are left (0 and 1), and the hint does not say 1.
    expect(wrongPick(wake, '2', ['2'])).toEqual({ again: true, hint: 'b (Task-3) is woken before 2 s.' });
    // After "2" then "0", one choice is left: it would be the answer, so the question is answered.
    expect(wrongPick(wake, '0', ['2', '0'])).toEqual({ again: false });
    // A written-choice question has no reason that keeps its answer hidden: answered at once.
    const written = prepared(trace, 3, { kind: 'choice', question: 'Q?', options: ['Yes', 'No', 'Maybe'], answer: 'No' });
    expect(written.hint).toEqual({});
    expect(wrongPick(written, 'Yes', ['Yes'])).toEqual({ again: false });
  });

  it('choice: the lesson gives the answer', () => {
    const c = prepared(trace, 3, { kind: 'choice', question: 'Q?', options: ['Yes', 'No'], answer: 'No' });
    expect(c).toMatchObject({ choices: ['Yes', 'No'], answer: 'No', revealStep: 3 });
    expect(gradeAnswer(c, 'no')).toBe(true);
    expect(gradeAnswer(c, 'Yes')).toBe(false);
  });

  it('tasks that share a coroutine function are told apart by their call', () => {
    const t = new TraceBuilder();
    const main = t.task('main()');
    t.push(main, 'start');
    t.pop(main);
    const ant = t.task("count('ant')", undefined, main);
    t.push(ant, 'start');
    const bee = t.task("count('bee')", 'bee-task', main);
    t.push(bee, 'start');
    const waits = t.suspend(main, { kind: 'gather', tasks: [ant, bee] }, 9);
    t.pop(ant);
    const c = prepared(t.build(), waits, { kind: 'next-task', question: 'Who?' });
    expect(c.choices).toEqual(['main (Task-1)', "count('ant') (Task-2)", 'bee-task']);
    expect(c.answer).toBe("count('ant') (Task-2)");
    // "count" alone would not say which.
    expect(gradeAnswer(c, 'count')).toBe(false);
    expect(gradeAnswer(c, "count('ant')")).toBe(true);
  });
});
