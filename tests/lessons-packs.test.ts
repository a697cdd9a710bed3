/**
 * Lesson packs (src/lessons/pack*.ts, check.ts): the example pack (examples/lesson-pack) loads
 * from its folder and from a .zip alike and passes every check; then one broken pack per kind
 * of problem, each made from the example pack with one mistake in it: the problem is reported
 * by file and line, and the good lessons still load.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkLesson, type LessonCheck, printedText, runAndCheckLesson } from '../src/lessons/check';
import { compareOutput } from '../src/lessons/compare-output';
import { loadPack } from '../src/lessons/pack';
import { decodeUtf8, normalizePackPath } from '../src/lessons/pack-files';
import { readPackFolder } from '../src/lessons/pack-folder';
import { unzipPack, zipPack } from '../src/lessons/pack-zip';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import { formatProblem, type Lesson, type LessonPack, PACK_LIMITS, type PackFile, type PackSource } from '../src/shared/lesson';
import { startRuntime } from './corpus/harness';

const EXAMPLE = resolve(import.meta.dirname, '..', 'examples', 'lesson-pack');
const GATHER = '01-gather-keeps-order';
const WAIT_FOR = '02-giving-up-with-wait-for';

let runtime: RuntimeSupervisor;
let example: PackSource;

beforeAll(async () => {
  example = await readPackFolder(EXAMPLE);
  runtime = startRuntime();
  await runtime.ready();
});
afterAll(() => runtime?.dispose());

/** Runs and checks a lesson with the app's runtime and its default step budget. */
function check(lesson: Lesson): Promise<LessonCheck> {
  return runAndCheckLesson(lesson, (program) => runtime.run({ source: program.source, filename: program.file, options: { wallSeconds: 40 } }));
}

/** The example pack's files with some replaced (text or bytes), added, or removed (null). */
function mutated(changes: Record<string, string | Uint8Array | null>, name = 'lesson-pack'): PackSource {
  const files: PackFile[] = example.files.filter((f) => !(f.path in changes));
  for (const [path, content] of Object.entries(changes)) {
    if (content !== null) files.push({ path, bytes: typeof content === 'string' ? strToU8(content) : content });
  }
  return { name, kind: 'folder', files, problems: [] };
}

function text(path: string): string {
  return readFileSync(join(EXAMPLE, path), 'utf8');
}

function lessonsOf(pack: LessonPack): string[] {
  return pack.catalog.lessons.map((l) => l.folder);
}

describe('the example pack', () => {
  it('loads from its folder: its title, both lessons (slugs of their own), its image, no problem', () => {
    const pack = loadPack(example);
    expect(pack.problems).toEqual([]);
    expect(pack).toMatchObject({ id: 'asyncio-extras', title: 'Asyncio extras' });
    expect(pack.summary).toMatch(/^Two short lessons/);
    expect(pack.catalog.lessons.map((l) => [l.slug, l.number, l.previous, l.next])).toEqual([
      ['asyncio-extras~gather-keeps-order', 1, null, 'asyncio-extras~giving-up-with-wait-for'],
      ['asyncio-extras~giving-up-with-wait-for', 2, 'asyncio-extras~gather-keeps-order', null],
    ]);
    const gather = pack.catalog.lessons[0]!;
    const png = readFileSync(join(EXAMPLE, GATHER, 'timeline.png'));
    expect(gather.images).toEqual({ 'timeline.png': `data:image/png;base64,${png.toString('base64')}` });
    expect(gather.body).toContain('| task | sleeps for | done at |');
  });

  it('loads the same from a .zip of its folder (one folder inside, as zipping a folder makes)', () => {
    const zip = zipPack(example.files.map((f) => ({ path: `lesson-pack/${f.path}`, bytes: f.bytes })));
    const fromZip = loadPack(unzipPack('lesson-pack.zip', zip));
    expect(fromZip).toEqual(loadPack(example));
    // …and from a .zip of the folder's contents.
    expect(loadPack(unzipPack('extras.zip', zipPack(example.files)))).toEqual(loadPack(example));
  });

  it('is known by its title; a kept pack whose title was edited can keep the id it has', () => {
    const renamed = mutated({ 'pack.md': '---\ntitle: More asyncio\n---\n' });
    expect(loadPack(renamed)).toMatchObject({ id: 'more-asyncio', title: 'More asyncio' });
    const kept = loadPack(renamed, { id: 'asyncio-extras' });
    expect(kept).toMatchObject({ id: 'asyncio-extras', title: 'More asyncio' });
    expect(kept.catalog.lessons.map((l) => l.slug)).toEqual(['asyncio-extras~gather-keeps-order', 'asyncio-extras~giving-up-with-wait-for']);
    // Without pack.md, the folder's (or the .zip's) name.
    expect(loadPack(mutated({ 'pack.md': null }, 'week-3.zip'))).toMatchObject({ id: 'week-3', title: 'week-3' });
  });

  it('passes every check: each program runs to its end and prints its recording; every stop lands; every written answer is the run’s', async () => {
    const pack = loadPack(example);
    for (const lesson of pack.catalog.lessons) {
      const result = await check(lesson);
      expect(result.problems.map(formatProblem), lesson.folder).toEqual([]);
      expect(result.programs.map((p) => [p.file, p.unfinished, p.output.same])).toEqual([['main.py', null, true]]);
      expect(result.stops.map((s) => s.stop.title)).toEqual(lesson.stops.map((s) => s.title));
      for (const stop of result.stops) {
        expect(stop.step, stop.stop.title).not.toBeNull();
        expect(stop.step!).toBeLessThan(stop.of);
        if (stop.stop.checkpoint) {
          expect(stop.answer, stop.stop.title).not.toBeNull();
          expect(stop.choices).toContain(stop.answer);
        }
      }
      // Stops follow the run's order.
      const steps = result.stops.map((s) => s.step!);
      expect(steps).toEqual([...steps].sort((a, b) => a - b));
    }
  });

  it('its recordings are what real CPython prints (python3 here)', () => {
    for (const folder of [GATHER, WAIT_FOR]) {
      const run = spawnSync('python3', ['main.py'], { cwd: join(EXAMPLE, folder), encoding: 'utf8' });
      expect(run.status).toBe(0);
      expect(compareOutput(run.stdout + run.stderr, text(`${folder}/main.out`), 'main.py').same).toBe(true);
    }
  });
});

describe('broken packs: one problem each, reported by file and line; the good lessons still load', () => {
  it('bad frontmatter', () => {
    const lesson = text(`${WAIT_FOR}/lesson.md`).replace('title: Giving up with wait_for', 'title: Giving up: wait_for');
    const pack = loadPack(mutated({ [`${WAIT_FOR}/lesson.md`]: lesson }));
    expect(pack.problems.map(formatProblem)).toEqual([
      `${WAIT_FOR}/lesson.md, line 2: the value of "title" must be put in quotes (it holds ": " or starts with a sign YAML reserves): title: "Giving up: wait_for"`,
    ]);
    expect(lessonsOf(pack)).toEqual([GATHER]);
  });

  it('a stop anchored to a line, or a moment, the program never reaches', async () => {
    const tour = `${text(`${GATHER}/tour.md`)}\n## A fourth done line\nwhen: line\nline: 7\noccurrence: 4\n\nNever.\n\n## An error\nwhen: error\n\nNever either.\n`;
    const pack = loadPack(mutated({ [`${GATHER}/tour.md`]: tour }));
    expect(pack.problems).toEqual([]); // only a run can tell
    const result = await check(pack.catalog.lessons[0]!);
    const lines = tour.split('\n');
    expect(result.problems.map(formatProblem)).toEqual([
      `${GATHER}/tour.md, line ${lines.indexOf('## A fourth done line') + 1}: The stop "A fourth done line" waits for the fourth time the program runs line 7, but in this run that happens only 3 times.`,
      `${GATHER}/tour.md, line ${lines.indexOf('## An error') + 1}: The stop "An error" waits for the first time an uncaught exception ends the program, but in this run that never happens.`,
    ]);
    expect(result.stops.filter((s) => s.step === null).map((s) => s.stop.title)).toEqual(['A fourth done line', 'An error']);
    // The other lesson checks clean.
    expect((await check(pack.catalog.lessons[1]!)).problems).toEqual([]);
  });

  it('a checkpoint whose answer the run contradicts', async () => {
    const tour = text(`${WAIT_FOR}/tour.md`).replace('answer: 1\n', 'answer: 5\n');
    const pack = loadPack(mutated({ [`${WAIT_FOR}/tour.md`]: tour }));
    expect(pack.problems).toEqual([]);
    const result = await check(pack.catalog.lessons[1]!);
    expect(result.problems).toHaveLength(1);
    expect(formatProblem(result.problems[0]!)).toMatch(
      new RegExp(`^${WAIT_FOR}/tour\\.md, line 1: the answer written for stop "main sleeps in slow_answer" is "5", but the run says "1": `),
    );
    expect(result.stops[0]!.answer).toBe('1');
    // The learner is still graded on the run's answer: the stop can be played.
    expect(result.stops[0]!.step).not.toBeNull();
  });

  it('a missing program file', () => {
    const pack = loadPack(mutated({ [`${GATHER}/main.py`]: null }));
    expect(pack.problems.map(formatProblem)).toEqual([
      `${GATHER}: the lesson has no program; add at least one example, such as main.py.`,
      `${GATHER}/main.out: recorded output for main.py, which is not in the folder.`,
    ]);
    expect(lessonsOf(pack)).toEqual([WAIT_FOR]);
  });

  it('a program that does not run to its end within the step budget', async () => {
    const source = 'import asyncio\n\ntotal = 0\nfor i in range(1_200_000):\n    total += i\nprint(total)\n';
    const dir = mkdtempSync(join(tmpdir(), 'loop-lab-pack-'));
    writeFileSync(join(dir, 'main.py'), source);
    const recorded = spawnSync('python3', ['main.py'], { cwd: dir, encoding: 'utf8' }); // real CPython finishes it
    expect(recorded.status).toBe(0);
    const pack = loadPack(mutated({ [`${WAIT_FOR}/main.py`]: source, [`${WAIT_FOR}/main.out`]: recorded.stdout, [`${WAIT_FOR}/tour.md`]: '## The end\nwhen: end\n\nDone.\n' }));
    expect(pack.problems).toEqual([]);
    const lesson = pack.catalog.lessons[1]!;
    const trace = await runtime.run({ source, filename: 'main.py', options: { wallSeconds: 40 } });
    const result = checkLesson(lesson, new Map([['main.py', trace]]));
    expect(result.programs[0]!.unfinished).toMatch(/1,000,000/);
    // Reported at the line the run was on when the budget ran out: one of the loop's.
    const events = trace.events.filter((e) => e.kind === 'line');
    const last = events[events.length - 1]!;
    expect(last.kind === 'line' && [4, 5].includes(last.line)).toBe(true);
    expect(result.problems.map(formatProblem)).toEqual([
      `${WAIT_FOR}/main.py, line ${last.kind === 'line' ? last.line : 0}: the program did not run to its end in Loop Lab: ${result.programs[0]!.unfinished}`,
    ]);
  });

  it('a file that is not UTF-8', () => {
    const latin1 = Uint8Array.from(Buffer.from(text(`${GATHER}/lesson.md`).replace('Watch for:', 'Watch for caf\u00e9:'), 'latin1'));
    const pack = loadPack(mutated({ [`${GATHER}/lesson.md`]: latin1 }));
    const line = text(`${GATHER}/lesson.md`).split('\n').indexOf('Watch for:') + 1;
    expect(pack.problems.map(formatProblem)).toEqual([
      `${GATHER}/lesson.md, line ${line}: the file is not UTF-8 text (byte 0xe9); save it as UTF-8 in your editor and open the pack again.`,
    ]);
    expect(lessonsOf(pack)).toEqual([WAIT_FOR]);
    expect(decodeUtf8(Uint8Array.from([0x61, 0x0a, 0x62, 0xc3]))).toEqual({ ok: false, line: 2, byte: 0xc3 });
  });

  it('a zip bomb: sizes over the limit are refused before anything is inflated', () => {
    const zeros = new Uint8Array(PACK_LIMITS.maxTotalBytes + 1024 * 1024);
    const bomb = zipSync({ ...Object.fromEntries(example.files.map((f) => [f.path, f.bytes])), [`${GATHER}/notes.txt`]: zeros }, { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    const source = unzipPack('bomb.zip', bomb);
    expect(source.problems.map(formatProblem)).toEqual([`${GATHER}/notes.txt: the file is 9 MB, more than the 2 MB a file of a pack may have, so it is left out.`]);
    expect(source.files.map((f) => f.path).sort()).toEqual(example.files.map((f) => f.path).sort());
    expect(lessonsOf(loadPack(source))).toEqual([GATHER, WAIT_FOR]);
    // A directory entry declaring 4 GB is refused on its word, never allocated or inflated.
    const liar = withDeclaredSize(zipSync({ 'x/01-a/main.py': strToU8('print(1)\n') }), 'x/01-a/main.py', 0xfffffff0);
    expect(unzipPack('liar.zip', liar).problems.map(formatProblem)).toEqual([
      'x/01-a/main.py: the file is 4096 MB, more than the 2 MB a file of a pack may have, so it is left out.',
    ]);
    // Many files that together declare more than a pack may hold: the whole pack is refused.
    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i < 5; i++) many[`01-a/big${i}.out`] = new Uint8Array(PACK_LIMITS.maxFileBytes);
    expect(unzipPack('many.zip', zipSync(many, { level: 9 })).problems.map(formatProblem)).toEqual([
      "many.zip: the pack's files come to 10 MB, more than the 8 MB a pack may hold; nothing was read.",
    ]);
  });

  it('a zip bomb that lies: a file that inflates to more than its entry declares stops the unpacking at once', () => {
    const zip = zipSync({ ...Object.fromEntries(example.files.map((f) => [f.path, f.bytes])), [`${GATHER}/huge.out`]: new Uint8Array(50_000_000) }, { level: 9 });
    const liar = withDeclaredSize(zip, `${GATHER}/huge.out`, 1000);
    const source = unzipPack('liar.zip', liar);
    expect(source.files).toEqual([]);
    expect(source.problems.map(formatProblem)).toEqual([
      `liar.zip: a file in this .zip unpacks to more than the zip says it holds (${GATHER}/huge.out): a zip bomb, or a damaged file; nothing was read.`,
    ]);
  });

  it('a path that escapes the pack: left out and named; the rest loads', () => {
    const zip = zipSync({
      ...Object.fromEntries(example.files.map((f) => [f.path, f.bytes])),
      '../evil.py': strToU8('print("outside")\n'),
      '/etc/passwd.md': strToU8('x'),
      [`${GATHER}/../../up.md`]: strToU8('x'),
    });
    const pack = loadPack(unzipPack('escape.zip', zip));
    expect(pack.problems.map(formatProblem)).toEqual([
      '../evil.py: this path leads outside the pack, so the file is left out (a pack holds only its own files).',
      '/etc/passwd.md: this path leads outside the pack, so the file is left out (a pack holds only its own files).',
      `${GATHER}/../../up.md: this path leads outside the pack, so the file is left out (a pack holds only its own files).`,
    ]);
    expect(lessonsOf(pack)).toEqual([GATHER, WAIT_FOR]);
    expect(normalizePackPath('a\\..\\..\\b')).toBeNull();
    expect(normalizePackPath('C:\\x')).toBeNull();
    expect(normalizePackPath('./01-a//lesson.md')).toBe('01-a/lesson.md');
  });

  it('a link in a folder that leads outside it is never followed', async () => {
    const dir = copyOfExample();
    const secret = mkdtempSync(join(tmpdir(), 'loop-lab-secret-'));
    writeFileSync(join(secret, 'main.py'), 'print("secret")\n');
    symlinkSync(secret, join(dir, '03-outside'));
    symlinkSync(join(secret, 'main.py'), join(dir, GATHER, 'other.py'));
    const source = await readPackFolder(dir);
    expect(source.problems.map(formatProblem)).toEqual([
      `${GATHER}/other.py: this is a link to somewhere else on the disk; a pack holds only its own files, so it is left out.`,
      '03-outside: this is a link to somewhere else on the disk; a pack holds only its own files, so it is left out.',
    ]);
    expect(source.files.some((f) => new TextDecoder().decode(f.bytes).includes('secret'))).toBe(false);
    expect(lessonsOf(loadPack(source))).toEqual([GATHER, WAIT_FOR]);
  });

  it('a pack over the size caps the README states', async () => {
    // Too many files: refused whole, nothing read.
    const crowd: Record<string, Uint8Array> = {};
    for (let i = 0; i <= PACK_LIMITS.maxFiles; i++) crowd[`01-a/f${i}.out`] = strToU8('x');
    expect(unzipPack('crowd.zip', zipSync(crowd)).problems.map(formatProblem)).toEqual([
      `crowd.zip: the pack holds ${PACK_LIMITS.maxFiles + 1} files, more than the ${PACK_LIMITS.maxFiles} a pack may hold; nothing was read.`,
    ]);
    // A .zip file over its own size.
    expect(unzipPack('fat.zip', new Uint8Array(PACK_LIMITS.maxZipBytes + 1)).problems.map(formatProblem)).toEqual([
      'fat.zip: the .zip is 8 MB, more than the 8 MB a pack may be; nothing was read.',
    ]);
    // A folder with one file too large: that file is left out, unread; the lessons load.
    const dir = copyOfExample();
    writeFileSync(join(dir, GATHER, 'big.out'), new Uint8Array(PACK_LIMITS.maxFileBytes + 1));
    const source = await readPackFolder(dir);
    expect(source.problems.map(formatProblem)).toEqual([`${GATHER}/big.out: the file is 2 MB, more than the 2 MB a file of a pack may have, so it is left out.`]);
    expect(lessonsOf(loadPack(source))).toEqual([GATHER, WAIT_FOR]);
  });

  it('a .zip that is not a zip', () => {
    expect(loadPack(unzipPack('notes.zip', strToU8('just some text'))).problems.map(formatProblem)).toEqual([
      'notes.zip: this is not a .zip file that can be read (it may be damaged, or another kind of archive); nothing was read.',
      'notes.zip: the pack has no lesson folders: folders named like "01-first-steps", each with a lesson.md and a program (see lessons/README.md).',
    ]);
  });
});

describe('checkLesson', () => {
  it('says what every stop lands on and what every question’s answer is, from one run of each program', async () => {
    const lesson = loadPack(example).catalog.lessons[0]!;
    const trace = await runtime.run({ source: lesson.programs[0]!.source, filename: 'main.py', options: { wallSeconds: 40 } });
    const result = checkLesson(lesson, new Map([['main.py', trace]]));
    expect(printedText(trace)).toBe(lesson.programs[0]!.expectedOutput);
    expect(result.stops.map((s) => [s.moment, s.answer])).toEqual([
      ['the first time main waits for something other than a timer', "fetch('pear', 0.3) (Task-2)"],
      ["the first time fetch('fig', 0.1) sleeps", '0.1'],
      ["the first time fetch('fig', 0.1) finishes", 'Second: results come in the order the coroutines were passed to gather'],
      ['the first time something prints "[\'PEAR\'"', null],
    ]);
    const printStop = result.stops[3]!;
    const event = trace.events[printStop.step!]!;
    expect(event.kind === 'output' && event.text.startsWith("['PEAR'")).toBe(true);
  });
});

/** A copy of the example pack in a fresh temporary folder. */
function copyOfExample(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loop-lab-pack-'));
  for (const file of example.files) {
    const path = join(dir, file.path);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, file.bytes);
  }
  return dir;
}

/** The zip with one entry's uncompressed size in the central directory changed (as a zip bomb lies). */
function withDeclaredSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const copy = zip.slice();
  const view = new DataView(copy.buffer);
  let found = false;
  for (let i = 0; i + 46 < copy.length; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const length = view.getUint16(i + 28, true);
    if (new TextDecoder().decode(copy.subarray(i + 46, i + 46 + length)) === name) {
      view.setUint32(i + 24, size, true);
      found = true;
    }
  }
  if (!found) throw new Error(`no entry ${name}`);
  return copy;
}
