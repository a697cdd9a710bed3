/**
 * Records the expected output of every corpus program (tests/corpus/NN-name.py) from REAL
 * CPython — never from Loop Lab's runtime — into tests/corpus/NN-name.expected.json:
 *
 *   { "stdout": "...", "stderrLastLine": "...", "exitCode": 0 }
 *
 * Usage:
 *   npx tsx scripts/record-corpus.ts                 record with `python3` (CPython 3.11 here)
 *   npx tsx scripts/record-corpus.ts 07 12           only programs whose name starts so
 *   npx tsx scripts/record-corpus.ts network/        only the network programs (tests/corpus/network)
 *   npx tsx scripts/record-corpus.ts --python PATH   record with another interpreter
 *   npx tsx scripts/record-corpus.ts --check PATH    write nothing: run each program with PATH
 *                                                    and report where it differs from the
 *                                                    recorded file (a version-neutrality check,
 *                                                    e.g. with a CPython 3.12 or 3.13)
 *
 * The oracle is `python3` (CPython 3.11 here), except for a program whose source has the line
 * `# Oracle: plain Pyodide` (behaviour new in CPython 3.12+: eager tasks, 3.14's tracebacks …):
 * that one is recorded with plain Pyodide, CPython 3.14 untraced on asyncio's own loop
 * (scripts/plain-pyodide.ts), and `--python`/`--check` leave it alone. A program with the line
 * `# Compare: all of stderr` has all of its stderr recorded too (its tracebacks and the source
 * lines they show), not only the last line.
 *
 * Each program runs with its own directory as the working directory and its bare file name
 * as argv[0], as the corpus test passes that same name to Loop Lab, so that any file name
 * Python prints (warnings, tracebacks) is the same on both sides.
 *
 * The network programs (tests/corpus/network) serve and connect on 127.0.0.1, each on a port of
 * its own (89NN), with real sockets.
 *
 * Real CPython sleeps in real time, and the programs print elapsed times rounded to 0.1 s: on
 * a busy machine a run can be late enough to round the other way. So each program is run
 * three times and recorded only when all three agree; otherwise the script says so, writes
 * nothing for it, and exits 1 (run it again when the machine is quieter).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type Expected, lastNonEmptyLine, PROGRAM_FILE } from '../tests/corpus/expected';

const SCRIPTS_DIR = dirname(fileURLToPath(import.meta.url));
const CORPUS_DIR = join(SCRIPTS_DIR, '..', 'tests', 'corpus');
/** The corpus's folders: the programs of each, NN-name.py, are named relative to CORPUS_DIR. */
const FOLDERS = ['', 'network'];
/** The header line that makes plain Pyodide a program's oracle. */
const PYODIDE_ORACLE = /^# Oracle: plain Pyodide\b/m;
/** How to run plain Pyodide on a file: `tsx scripts/plain-pyodide.ts FILE`. */
const PLAIN_PYODIDE = [process.execPath, '--import', 'tsx', join(SCRIPTS_DIR, 'plain-pyodide.ts')];

/** The header line that records all of stderr, not only its last line (see tests/corpus/expected.ts). */
const COMPARE_ALL_STDERR = /^# Compare: all of stderr\b/m;

function usesPyodide(path: string): boolean {
  return PYODIDE_ORACLE.test(readFileSync(join(CORPUS_DIR, path), 'utf8'));
}

/** Runs the corpus program at `path` (relative to CORPUS_DIR) in its own folder. */
function runPython(python: string | readonly string[], path: string): Expected {
  const [command, ...args] = typeof python === 'string' ? [python] : python;
  const dir = join(CORPUS_DIR, dirname(path));
  const file = path.slice(path.lastIndexOf('/') + 1);
  const result = spawnSync(command!, [...args, file], {
    cwd: dir,
    encoding: 'utf8',
    timeout: 180_000, // plain Pyodide takes seconds to start on a busy machine
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: process.env.HOME ?? '/tmp',
      PYTHONHASHSEED: '0',
      PYTHONIOENCODING: 'utf-8',
      PYTHONDONTWRITEBYTECODE: '1',
      LANG: 'C.UTF-8',
    },
  });
  const label = typeof python === 'string' ? python : 'plain Pyodide';
  if (result.error) throw new Error(`${label} ${file}: ${result.error.message}`);
  // Killed by a signal: the status a shell reports, 128 + its number. CPython ends on an
  // uncaught KeyboardInterrupt by killing itself with SIGINT: 130.
  const signal = result.signal === null ? undefined : constants.signals[result.signal];
  const exitCode = result.status ?? (signal === undefined ? null : 128 + signal);
  if (exitCode === null) throw new Error(`${label} ${file}: ended without a status (${result.signal})`);
  const expected: Expected = { stdout: result.stdout, stderrLastLine: lastNonEmptyLine(result.stderr), exitCode };
  if (COMPARE_ALL_STDERR.test(readFileSync(join(CORPUS_DIR, path), 'utf8'))) expected.stderr = result.stderr;
  return expected;
}

function describePython(python: string): string {
  const probe = spawnSync(
    python,
    ['-c', 'import sys; print(sys.implementation.name, sys.version.split()[0])'],
    { encoding: 'utf8' },
  );
  if (probe.status !== 0) throw new Error(`cannot run ${python}: ${probe.stderr || probe.error?.message}`);
  const text = probe.stdout.trim();
  if (!text.startsWith('cpython ')) throw new Error(`${python} is not CPython (${text})`);
  return text;
}

function main(): void {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { python: { type: 'string', default: 'python3' }, check: { type: 'string' } },
  });
  const python = values.check ?? values.python ?? 'python3';
  process.stdout.write(`${values.check ? 'checking against' : 'recording with'} ${python}: ${describePython(python)}\n`);
  const programs = FOLDERS.flatMap((folder) =>
    readdirSync(join(CORPUS_DIR, folder))
      .filter((name) => PROGRAM_FILE.test(name))
      .sort()
      .map((name) => (folder ? `${folder}/${name}` : name)),
  ).filter((path) => positionals.length === 0 || positionals.some((prefix) => path.startsWith(prefix)));
  let differences = 0;
  let unstable = 0;
  for (const file of programs) {
    const pyodide = usesPyodide(file);
    if (pyodide && values.check) {
      process.stdout.write(`SKIPPED ${file}: its oracle is plain Pyodide\n`);
      continue;
    }
    const oracle = pyodide ? PLAIN_PYODIDE : python;
    const runs = [runPython(oracle, file), runPython(oracle, file), runPython(oracle, file)];
    const actual = runs[0]!;
    if (runs.some((other) => JSON.stringify(other) !== JSON.stringify(actual))) {
      unstable++;
      process.stdout.write(`UNSTABLE ${file}: three runs disagree (a busy machine?), not used\n` +
        runs.map((r) => `  ${JSON.stringify(r)}\n`).join(''));
      continue;
    }
    const expectedPath = join(CORPUS_DIR, file.replace(/\.py$/, '.expected.json'));
    if (values.check) {
      const recorded = JSON.parse(readFileSync(expectedPath, 'utf8')) as Expected;
      const same =
        recorded.stdout === actual.stdout &&
        recorded.stderr === actual.stderr &&
        recorded.stderrLastLine === actual.stderrLastLine &&
        recorded.exitCode === actual.exitCode;
      if (!same) {
        differences++;
        process.stdout.write(`DIFFERS ${file}\n  recorded: ${JSON.stringify(recorded)}\n  ${python}: ${JSON.stringify(actual)}\n`);
      }
      continue;
    }
    writeFileSync(expectedPath, JSON.stringify(actual, null, 2) + '\n');
    process.stdout.write(`${file}${pyodide ? ' (plain Pyodide)' : ''}: exit ${actual.exitCode}, ${actual.stdout.split('\n').length - 1} lines` +
      `${actual.stderrLastLine ? `, stderr ends "${actual.stderrLastLine}"` : ''}\n`);
  }
  if (values.check) {
    process.stdout.write(`${programs.length - differences - unstable} of ${programs.length} programs agree\n`);
  }
  if (differences > 0 || unstable > 0) process.exitCode = 1;
}

main();
