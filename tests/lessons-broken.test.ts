/**
 * Bad input: lesson folders with one mistake each (tests/fixtures/lessons-broken/) become
 * broken lessons with a clear error naming the file (and line), while the valid lessons beside
 * them still load and chain to each other. A stop whose moment never happens is found when the
 * program runs, and reported for that stop alone.
 */
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveStops } from '../src/lessons/anchors';
import { compareOutput } from '../src/lessons/compare-output';
import { loadCatalog, navigatorEntries } from '../src/lessons/loader';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import { type BrokenLesson, formatProblem } from '../src/shared/lesson';
import { startRuntime, streamText } from './corpus/harness';
import { readLessonFiles } from './lesson-files';

const FIXTURES = resolve(import.meta.dirname, 'fixtures', 'lessons-broken');

const catalog = loadCatalog(readLessonFiles(FIXTURES));

/** A broken lesson, with its problems as the navigator words them. */
function broken(slug: string): BrokenLesson & { errors: string[] } {
  const lesson = catalog.broken.find((b) => b.slug === slug);
  if (!lesson) throw new Error(`${slug} is not among the broken lessons: ${catalog.broken.map((b) => b.slug).join(', ')}`);
  return { ...lesson, errors: lesson.problems.map(formatProblem) };
}

let runtime: RuntimeSupervisor;
beforeAll(async () => {
  runtime = startRuntime();
  await runtime.ready();
});
afterAll(() => runtime?.dispose());

describe('a catalog with broken lessons', () => {
  it('still loads the valid lessons, chained to each other past the broken ones', () => {
    expect(catalog.lessons.map((l) => l.slug)).toEqual(['good', 'never-happens', 'good-too']);
    const [good, never, goodToo] = catalog.lessons;
    expect(good!.next).toBe('never-happens');
    expect(never!.previous).toBe('good');
    expect(never!.next).toBe('good-too');
    expect(goodToo!.previous).toBe('never-happens');
    expect(goodToo!.next).toBeNull();
  });

  it('lists every broken lesson once, in number order, each with its own errors only', () => {
    expect(catalog.broken.map((b) => [b.number, b.slug])).toEqual([
      [2, 'bad-frontmatter'],
      [3, 'missing-program'],
      [4, 'missing-output'],
      [5, 'unknown-when'],
      [7, 'bad-checkpoint'],
      [8, 'unknown-program'],
    ]);
    for (const b of catalog.broken) {
      expect(b.problems.length, b.slug).toBeGreaterThan(0);
      // Every message names the lesson's own folder, and no other.
      for (const problem of b.problems) expect(problem.file.startsWith(`0${b.number}-${b.slug}`), formatProblem(problem)).toBe(true);
    }
    // The navigator shows them all, broken ones with their errors.
    const entries = navigatorEntries(catalog);
    expect(entries.map((e) => e.number)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(entries.filter((e) => e.errors.length > 0).length).toBe(6);
  });

  it('bad frontmatter: says the frontmatter is never closed', () => {
    const b = broken('bad-frontmatter');
    expect(b.errors).toEqual([
      '02-bad-frontmatter/lesson.md, line 1: the frontmatter that starts on line 1 is never closed; add a line "---" after its last setting.',
    ]);
    expect(b.title).toBe('02-bad-frontmatter');
  });

  it('missing program: says there is no program, and whose output main.out is', () => {
    const b = broken('missing-program');
    expect(b.title).toBe('A lesson without its program');
    expect(b.errors).toContain('03-missing-program: the lesson has no program; add at least one example, such as main.py.');
    expect(b.errors).toContain('03-missing-program/main.out: recorded output for main.py, which is not in the folder.');
  });

  it('missing expected output: says how to record it', () => {
    expect(broken('missing-output').errors).toEqual([
      '04-missing-output/main.out: main.py has no recorded output; run "npx tsx scripts/record-lessons.ts" to record it with real Python.',
    ]);
  });

  it('unknown when-word: names the file, the line, the word and the likely fix', () => {
    const [error] = broken('unknown-when').errors;
    expect(error).toMatch(/^05-unknown-when\/tour\.md, line 2: unknown when-word "sleep" — did you mean "sleeps"\?/);
    expect(error).toContain('The words are: line, runs, suspends, sleeps');
  });

  it('bad checkpoint: the answer must be one of the options', () => {
    expect(broken('bad-checkpoint').errors).toEqual([
      '07-bad-checkpoint/tour.md, line 8: the answer "carol" is not one of the options; copy the right option\'s words exactly.',
    ]);
  });

  it('a stop naming a program that does not exist', () => {
    expect(broken('unknown-program').errors).toEqual([
      '08-unknown-program/tour.md, line 4: stop "ann sleeps" is about program fixed.py, which is not in the lesson (its programs: main.py).',
    ]);
  });

  it('a stop whose moment never happens: reported for that stop when the program runs', async () => {
    const lesson = catalog.lessons.find((l) => l.slug === 'never-happens')!;
    const program = lesson.programs[0]!;
    const trace = await runtime.run({ source: program.source, filename: program.file, options: { wallSeconds: 40 } });
    expect(compareOutput(streamText(trace, 'all'), program.expectedOutput, program.file).same).toBe(true);
    const resolved = resolveStops(lesson.stops, program.file, trace);
    expect(resolved.map((r) => r.problem)).toEqual([
      null,
      'The stop "The third time ann sleeps" waits for the third time greet(\'ann\') sleeps, but in this run that happens only once.',
    ]);
    expect(resolved[0]!.step).not.toBeNull();
    expect(resolved[1]!.step).toBeNull();
  });

  it('the valid lessons around them play normally', async () => {
    for (const lesson of catalog.lessons.filter((l) => l.slug !== 'never-happens')) {
      const program = lesson.programs[0]!;
      const trace = await runtime.run({ source: program.source, filename: program.file, options: { wallSeconds: 40 } });
      expect(resolveStops(lesson.stops, program.file, trace).map((r) => r.problem)).toEqual([null]);
    }
  });
});
