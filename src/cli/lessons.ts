/**
 * `loop-lab lessons check PACK` and `loop-lab lessons record PACK`: a teacher's lesson pack
 * (a folder, or a .zip for check) checked and recorded from the command line with the app's
 * own loader, checks and runtime, so that a repository of lessons can check them in CI.
 *
 * check: a line per lesson (ok or FAIL), then every problem the app would report, one per line
 * as `PATH:LINE: message` (the form editors and CI annotate), then a summary, all on stdout;
 * exit 1 when there is any problem, 0 when none.
 * record: runs every program of every lesson folder and writes its output to NAME.out beside
 * it (a recording that differs only in what compare-output normalizes is left as it is).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { printedText, runAndCheckLesson } from '../lessons/check';
import { compareOutput } from '../lessons/compare-output';
import { loadPack } from '../lessons/pack';
import { decodeUtf8 } from '../lessons/pack-files';
import { readPackFolder } from '../lessons/pack-folder';
import { unzipPack } from '../lessons/pack-zip';
import type { RuntimeSupervisor } from '../runtime/supervisor';
import { endedBy, limitSentence } from '../trace/limit-words';
import type { LessonProblem, PackSource } from '../shared/lesson';
import { plainText } from './plain-text';

export interface LessonsCommandIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** A started runtime, made only when a program is to run. */
  runtime: () => RuntimeSupervisor;
  /** Real time each run may take, in seconds. */
  wallSeconds: number;
}

async function readPack(path: string): Promise<PackSource> {
  if (/\.zip$/i.test(path)) {
    const bytes = await readFile(path);
    return unzipPack(path.split(/[\\/]/).pop() ?? path, new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length));
  }
  return readPackFolder(path);
}

/** `PATH:LINE: message`, the path as the teacher gave the pack's folder. */
function formatForCli(packPath: string, problem: LessonProblem, packName: string): string {
  const path = problem.file === packName ? packPath : join(packPath, problem.file);
  return plainText(`${path}${problem.line === null ? '' : `:${problem.line}`}: ${problem.message}`);
}

export async function checkCommand(packPath: string, io: LessonsCommandIo): Promise<number> {
  const source = await readPack(packPath);
  const pack = loadPack(source);
  const problems: LessonProblem[] = [...pack.problems];
  const lessons = pack.catalog.lessons;
  let stops = 0;
  let questions = 0;
  /** One line per lesson folder, in folder order: ok, or FAIL and why. */
  const lines: [string, string][] = [];
  if (lessons.length > 0) {
    const runtime = io.runtime();
    for (const lesson of lessons) {
      const check = await runAndCheckLesson(lesson, (program) =>
        runtime.run({ source: program.source, filename: program.file, options: { wallSeconds: io.wallSeconds } }),
      );
      problems.push(...check.problems);
      stops += check.stops.length;
      questions += check.stops.filter((s) => s.stop.checkpoint !== null).length;
      const mark = check.problems.length === 0 ? 'ok  ' : 'FAIL';
      lines.push([lesson.folder, plainText(`${mark}  ${lesson.folder}  ${lesson.title} (${plural(check.programs.length, 'program')}, ${plural(check.stops.length, 'stop')})`)]);
    }
  }
  for (const broken of pack.catalog.broken) {
    const folder = broken.problems[0]?.file.split('/')[0] ?? broken.slug;
    lines.push([folder, plainText(`FAIL  ${folder}  cannot be loaded`)]);
  }
  lines.sort((a, b) => a[0].localeCompare(b[0]));
  for (const [, line] of lines) io.out(`${line}\n`);
  problems.sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0));
  for (const problem of problems) io.out(`${formatForCli(packPath, problem, source.name)}\n`);
  const count = lessons.length + pack.catalog.broken.length;
  io.out(
    `${plainText(pack.title)}: ${plural(count, 'lesson')}, ${plural(stops, 'stop')}, ${plural(questions, 'question')}; ` +
      `${problems.length === 0 ? 'no problems' : plural(problems.length, 'problem')}.\n`,
  );
  return problems.length === 0 ? 0 : 1;
}

export async function recordCommand(packPath: string, io: LessonsCommandIo): Promise<number> {
  if (/\.zip$/i.test(packPath)) {
    io.err('loop-lab: record writes .out files next to the programs: give it the pack\'s folder, not a .zip.\n');
    return 64;
  }
  const source = await readPackFolder(packPath);
  const problems: LessonProblem[] = [...source.problems];
  const programs = source.files.filter((f) => /^\d+-[^/]+\/[^/]+\.py$/.test(f.path)).sort((a, b) => a.path.localeCompare(b.path));
  let written = 0;
  if (programs.length > 0) {
    const runtime = io.runtime();
    for (const file of programs) {
      const decoded = decodeUtf8(file.bytes);
      if (!decoded.ok) {
        problems.push({ file: file.path, line: decoded.line, message: 'the file is not UTF-8 text; save it as UTF-8 and record again.' });
        continue;
      }
      const name = file.path.split('/').pop()!;
      const trace = await runtime.run({ source: decoded.text, filename: name, options: { wallSeconds: io.wallSeconds } });
      const ended = endedBy(trace);
      if (ended !== null) {
        // In the app's words: the limit's own message may name tasks the program chose.
        const why = limitSentence(trace, ended);
        problems.push({ file: file.path, line: null, message: `not recorded: the program did not run to its end. ${why}` });
        continue;
      }
      const output = printedText(trace);
      const outPath = join(packPath, file.path.replace(/\.py$/, '.out'));
      const before = await readFile(outPath, 'utf8').catch(() => null);
      const shown = relative(process.cwd(), outPath) || outPath;
      if (before !== null && compareOutput(output, before, name).same) {
        io.out(`same     ${plainText(shown)}\n`);
        continue;
      }
      await writeFile(outPath, output);
      written++;
      io.out(`written  ${plainText(shown)}\n`);
    }
  }
  for (const problem of problems) io.err(`${formatForCli(packPath, problem, source.name)}\n`);
  io.out(`${plural(programs.length, 'program')}, ${written} recorded.\n`);
  return problems.length === 0 ? 0 : 1;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
