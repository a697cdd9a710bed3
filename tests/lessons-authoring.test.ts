/**
 * Writing lessons: "Save as lesson…" makes a folder that loads and checks clean as it is
 * (src/lessons/new-lesson.ts), and a pack read again says what changed in each lesson
 * (src/lessons/changes.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lessonChanges } from '../src/lessons/changes';
import { runAndCheckLesson } from '../src/lessons/check';
import { loadCatalog } from '../src/lessons/loader';
import { freeFolderName, newLessonFolder } from '../src/lessons/new-lesson';
import { loadPack } from '../src/lessons/pack';
import { readPackFolder } from '../src/lessons/pack-folder';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import type { Lesson } from '../src/shared/lesson';
import { startRuntime } from './corpus/harness';

const PROGRAM = `import asyncio


async def tick(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0.5)


async def main():
    await asyncio.gather(tick('a', 2), tick('b', 2))


asyncio.run(main())
`;

let runtime: RuntimeSupervisor;
beforeAll(async () => {
  runtime = startRuntime();
  await runtime.ready();
});
afterAll(() => runtime?.dispose());

describe('newLessonFolder', () => {
  it('makes a lesson folder that loads and checks clean as it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-lab-new-'));
    writeFileSync(join(dir, 'main.py'), PROGRAM);
    const python = spawnSync('python3', ['main.py'], { cwd: dir, encoding: 'utf8' });
    expect(python.status).toBe(0);
    const made = newLessonFolder('my_ticks.py', PROGRAM, python.stdout);
    expect(made.folder).toBe('01-my-ticks');
    expect(made.files.map((f) => f.name)).toEqual(['lesson.md', 'main.py', 'main.out', 'tour.md']);
    const catalog = loadCatalog(Object.fromEntries(made.files.map((f) => [`pack/${made.folder}/${f.name}`, f.text])), { pack: 'mine' });
    expect(catalog.broken).toEqual([]);
    const lesson = catalog.lessons[0]!;
    expect(lesson).toMatchObject({ slug: 'mine~my-ticks', title: 'My ticks', number: 1 });
    const check = await runAndCheckLesson(lesson, (p) => runtime.run({ source: p.source, filename: p.file, options: { wallSeconds: 40 } }));
    expect(check.problems).toEqual([]);
    expect(check.stops.map((s) => [s.stop.title, s.step === s.of - 1])).toEqual([['The end', true]]);
  });

  it('finds a folder name that is free', () => {
    const taken = new Set(['01-a', '01-a-2']);
    expect(freeFolderName('01-b', (n) => taken.has(n))).toBe('01-b');
    expect(freeFolderName('01-a', (n) => taken.has(n))).toBe('01-a-3');
  });
});

describe('lessonChanges', () => {
  async function example(): Promise<Lesson[]> {
    return loadPack(await readPackFolder(resolve(import.meta.dirname, '..', 'examples', 'lesson-pack'))).catalog.lessons;
  }

  it('says nothing changed when nothing did, and moving a stop’s line in tour.md is no change', async () => {
    const [lesson] = await example();
    expect(lessonChanges(lesson!, lesson!)).toEqual([]);
    expect(lessonChanges(lesson!, { ...lesson!, stops: lesson!.stops.map((s) => ({ ...s, line: s.line + 3 })) })).toEqual([]);
  });

  it('names each change: title, introduction, programs, recordings, stops added, removed, changed, reordered', async () => {
    const [lesson] = await example();
    const before = lesson!;
    const [s1, s2, s3, s4] = before.stops;
    const after: Lesson = {
      ...before,
      title: 'gather, in order',
      body: `${before.body}\n\nOne more line.`,
      programs: [{ ...before.programs[0]!, source: `${before.programs[0]!.source}\n# changed\n`, expectedOutput: 'x\n' }, { file: 'extra.py', source: '', expectedOutput: '' }],
      stops: [s2!, { ...s1!, body: 'New words.' }, { ...s4!, id: 'a-new-stop', title: 'A new stop' }, s4!],
    };
    expect(lessonChanges(before, after)).toEqual([
      'the title is now “gather, in order”',
      'the introduction changed',
      'main.py changed (traced again)',
      'main.out changed',
      'extra.py was added',
      `stop “${s1!.title}” changed`,
      'stop “A new stop” was added',
      `stop “${s3!.title}” was removed`,
      'the stops are in a new order',
    ]);
  });
});
