/**
 * The course itself: every lesson in lessons/ loads, every program prints in Loop Lab what real
 * CPython printed when it was recorded (scripts/record-lessons.ts), every tour stop's moment
 * happens, every checkpoint can be asked and graded, and the navigator order is complete.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coroutineName, findMoment, momentSteps, resolveStops } from '../src/lessons/anchors';
import { catalog as bundledCatalog } from '../src/lessons/bundled';
import { gradeAnswer, prepareCheckpoint } from '../src/lessons/checkpoints';
import { compareOutput } from '../src/lessons/compare-output';
import { loadCatalog, navigatorEntries } from '../src/lessons/loader';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import { formatProblem, type Lesson, type LessonProgram } from '../src/shared/lesson';
import type { Trace } from '../src/shared/trace';
import { BoardIndex } from '../src/trace/board';
import { startRuntime, streamText } from './corpus/harness';
import { readLessonFiles } from './lesson-files';

const LESSONS = resolve(import.meta.dirname, '..', 'lessons');

const catalog = loadCatalog(readLessonFiles(LESSONS));
const lessons = catalog.lessons;

let runtime: RuntimeSupervisor;
const traces = new Map<string, Promise<Trace>>();

/** Each program runs once per test file; the tests share its trace. */
function traceOf(lesson: Lesson, program: LessonProgram): Promise<Trace> {
  const key = `${lesson.slug}/${program.file}`;
  let trace = traces.get(key);
  if (!trace) {
    trace = runtime.run({ source: program.source, filename: program.file, options: { wallSeconds: 40 } });
    traces.set(key, trace);
  }
  return trace;
}

beforeAll(async () => {
  runtime = startRuntime();
  await runtime.ready();
});

afterAll(() => runtime?.dispose());

describe('the catalog', () => {
  it('loads every lesson folder without an error', () => {
    expect(catalog.broken.map((b) => `${b.slug}: ${b.problems.map(formatProblem).join(' | ')}`)).toEqual([]);
    expect(lessons.length).toBeGreaterThanOrEqual(14);
    expect(lessons.length).toBeLessThanOrEqual(30);
  });

  it('numbers the lessons 1..N with no gap and no duplicate, and chains previous/next', () => {
    expect(lessons.map((l) => l.number)).toEqual(lessons.map((_, i) => i + 1));
    expect(new Set(lessons.map((l) => l.slug)).size).toBe(lessons.length);
    lessons.forEach((lesson, i) => {
      expect(lesson.previous).toBe(lessons[i - 1]?.slug ?? null);
      expect(lesson.next).toBe(lessons[i + 1]?.slug ?? null);
    });
    // Following `next` from the first lesson visits every lesson once.
    const seen: string[] = [];
    let at: string | null = lessons[0]!.slug;
    while (at !== null && seen.length <= lessons.length) {
      seen.push(at);
      at = lessons.find((l) => l.slug === at)!.next;
    }
    expect(seen).toEqual(lessons.map((l) => l.slug));
    expect(navigatorEntries(catalog).map((e) => e.slug)).toEqual(seen);
  });

  it('gives every lesson a title, a summary, an introduction, programs and stops', () => {
    for (const lesson of lessons) {
      expect(lesson.title.length, lesson.slug).toBeGreaterThan(3);
      expect(lesson.summary.length, lesson.slug).toBeGreaterThan(20);
      expect(lesson.body.length, lesson.slug).toBeGreaterThan(200);
      expect(lesson.programs.length, lesson.slug).toBeGreaterThan(0);
      expect(lesson.stops.length, lesson.slug).toBeGreaterThanOrEqual(2);
      for (const stop of lesson.stops) expect(stop.body.length, `${lesson.slug}: ${stop.title}`).toBeGreaterThan(40);
    }
  });

  it('is what the app bundles (src/lessons/bundled.ts, through Vite)', () => {
    expect(bundledCatalog).toEqual(catalog);
  });

  it('teaches every example of the tutorial', () => {
    // One telling line of each of the tutorial's examples, in the order the tutorial gives them.
    const examples = [
      'print(asyncio)',
      "await asyncio.gather(task1(), task2())",
      'async def greet(name):',
      "coro = greet('Jane')#This does not execute the  statements in the coroutine\nprint(coro)",
      'asyncio.run(coro)#run the coroutine',
      "      asyncio.run(greet('John'))",
      "      await greet('John')",
      'await asyncio.gather(print_nums(), print_letters())',
      'print(loop.is_running())',
      'loop.run_until_complete(task()) #run the coroutine',
      'tasks = asyncio.all_tasks(loop = loop)',
    ];
    const sources = lessons.flatMap((l) => l.programs.map((p) => p.source));
    for (const example of examples) expect(sources.some((s) => s.includes(example)), example).toBe(true);
  });
});

describe.each(lessons.map((l) => [`${l.number} ${l.slug}`, l] as const))('lesson %s', (_name, lesson) => {
  it.each(lesson.programs.map((p) => [p.file, p] as const))('%s prints what CPython printed', async (_file, program) => {
    const trace = await traceOf(lesson, program);
    const last = trace.events[trace.events.length - 1];
    expect(last?.kind === 'limit' ? last.message : null).toBeNull();
    const comparison = compareOutput(streamText(trace, 'all'), program.expectedOutput, program.file);
    expect(comparison.actual).toBe(comparison.expected);
  });

  it('reaches every stop, in tour order', async () => {
    for (const program of lesson.programs) {
      const trace = await traceOf(lesson, program);
      for (const resolved of resolveStops(lesson.stops, program.file, trace)) {
        expect(resolved.problem, `${program.file}: ${resolved.stop.title}`).toBeNull();
        expect(resolved.step).not.toBeNull();
      }
    }
    // Every stop belongs to one of the lesson's programs, so none is left out above.
    for (const stop of lesson.stops) expect(lesson.programs.map((p) => p.file)).toContain(stop.program);
  });

  it('asks checkpoints that can be answered from the run', async () => {
    let asked = 0;
    let loopRuns = false;
    for (const program of lesson.programs) {
      const trace = await traceOf(lesson, program);
      if (trace.events.some((e) => e.kind === 'loop' && e.action === 'run')) loopRuns = true;
      const boards = new BoardIndex(trace);
      for (const { stop, step } of resolveStops(lesson.stops, program.file, trace)) {
        if (!stop.checkpoint || step === null) continue;
        asked++;
        const result = prepareCheckpoint(trace, step, stop.checkpoint, boards);
        const where = `${program.file}: ${stop.title}`;
        if (!result.ok) throw new Error(`${where}: ${result.problem}`);
        const c = result.checkpoint;
        expect(c.choices.length, where).toBeGreaterThanOrEqual(2);
        expect(new Set(c.choices).size, where).toBe(c.choices.length);
        expect(c.choices, where).toContain(c.answer);
        expect(gradeAnswer(c, c.answer), where).toBe(true);
        for (const wrong of c.choices.filter((x) => x !== c.answer)) expect(gradeAnswer(c, wrong), `${where}: ${wrong}`).toBe(false);
        expect(c.explanation.length, where).toBeGreaterThan(10);
        if (c.revealStep !== null) expect(c.revealStep, where).toBeGreaterThanOrEqual(step);
        if (c.kind !== 'choice') expect(c.revealStep, where).not.toBeNull();
      }
    }
    if (loopRuns) expect(asked, 'a lesson whose loop runs asks at least one question').toBeGreaterThan(0);
  });
});

describe('stops land on the moment they name', () => {
  const byKind = new Map<string, number>();
  it('each resolved step is an event of the kind the stop asks for', async () => {
    for (const lesson of lessons) {
      for (const program of lesson.programs) {
        const trace = await traceOf(lesson, program);
        for (const { stop, step } of resolveStops(lesson.stops, program.file, trace)) {
          if (step === null) continue;
          const event = trace.events[step]!;
          const a = stop.anchor;
          byKind.set(a.when, (byKind.get(a.when) ?? 0) + 1);
          const where = `${lesson.slug}/${program.file}: ${stop.title}`;
          const expected: Record<string, string> = {
            line: 'line',
            runs: 'pop',
            suspends: 'suspend',
            sleeps: 'suspend',
            waits: 'suspend',
            wakes: 'push',
            joins: 'push',
            finishes: 'done',
            created: 'task',
            prints: 'output',
            clock: 'clock',
            blocks: 'block',
            error: 'exception',
          };
          if (a.when === 'end') expect(step, where).toBe(trace.events.length - 1);
          else expect(event.kind, where).toBe(expected[a.when]);
          if (a.when === 'sleeps' && event.kind === 'suspend') expect(event.wait.kind, where).toBe('sleep');
          if (a.when === 'wakes' && event.kind === 'push') expect(event.reason, where).toBe('wake');
          if (a.line !== undefined && event.kind === 'line') expect(event.line, where).toBe(a.line);
          // The n-th occurrence is the n-th of all the matching moments.
          expect(momentSteps(trace, a)[a.occurrence - 1], where).toBe(step);
          expect(findMoment(trace, a), where).toBe(step);
        }
      }
    }
    // The course uses most of the moment words.
    expect(byKind.size).toBeGreaterThanOrEqual(10);
  });

  it('"the second time print_letters sleeps" is exactly that', async () => {
    const lesson = lessons.find((l) => l.stops.some((s) => s.anchor.task === 'print_letters' && s.anchor.occurrence === 2))!;
    const stop = lesson.stops.find((s) => s.anchor.task === 'print_letters' && s.anchor.occurrence === 2)!;
    const trace = await traceOf(lesson, lesson.programs[0]!);
    const step = findMoment(trace, stop.anchor)!;
    const sleeps = trace.events
      .map((e, i) => ({ e, i }))
      .filter(({ e }) => e.kind === 'suspend' && e.wait.kind === 'sleep' && coroutineName(trace.tasks[e.task]!.coro) === 'print_letters');
    expect(sleeps[1]!.i).toBe(step);
  });
});
