/**
 * Every example program of the tutorial (../shared/seed/asyncio-tutorial.txt), copied verbatim
 * into tests/tutorial/NN-name.py, must print what the tutorial shows, written out line by line
 * in tests/tutorial/NN-name.expected.txt (stdout and stderr as they appear on the console).
 * The lessons teach the same programs from their own copies on purpose: a teacher may change a
 * lesson's program; these stay as the tutorial printed them (the tutorial is not in this repo).
 *
 * The programs run under the file name "<string>", as on the site the tutorial's outputs come
 * from, so its `File "<string>", line 9` frames are compared as they are. Only object
 * addresses and the install path of the standard library are normalised. The traceback
 * example is compared by shape: CPython 3.11's stdlib line numbers and caret lines are not
 * CPython 3.14's, but the frames, the learner's lines and the last lines are the same.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import type { Trace } from '../src/shared/trace';
import { baseName, normalize, startRuntime, streamText, tutorialPrograms } from './corpus/harness';

const programs = tutorialPrograms();
const TRACEBACK_EXAMPLE = '06-run-inside-running-loop.py';
let runtime: RuntimeSupervisor;
const traces = new Map<string, Promise<Trace>>();

beforeAll(async () => {
  runtime = startRuntime();
  await runtime.ready();
});

afterAll(() => runtime?.dispose());

function expectedOf(program: string): string {
  return readFileSync(program.replace(/\.py$/, '.expected.txt'), 'utf8');
}

/** Each program runs once per test file; the tests share its trace. */
function run(program: string): Promise<Trace> {
  let trace = traces.get(program);
  if (!trace) {
    const source = readFileSync(program, 'utf8');
    trace = runtime.run({ source, filename: '<string>', options: { wallSeconds: 40 } });
    traces.set(program, trace);
  }
  return trace;
}

/** The frames of a traceback: the learner's with file and line, the library's by file and function. */
function frames(traceback: string): string[] {
  const out: string[] = [];
  for (const line of traceback.split('\n')) {
    const m = /^ {2}File "([^"]+)", line (\d+), in (.+)$/.exec(line);
    if (!m) continue;
    const [, file, lineNo, func] = m as unknown as [string, string, string, string];
    out.push(file === '<string>' ? `<string>:${lineNo} in ${func}` : `${normalize(file)} in ${func}`);
  }
  return out;
}

function nonEmptyLines(text: string): string[] {
  return text.split('\n').filter((line) => line.trim() !== '');
}

describe('the tutorial examples', () => {
  it('are all here: twelve programs, each with its expected output', () => {
    expect(programs.map(baseName)).toHaveLength(12);
    for (const program of programs) expect(() => expectedOf(program)).not.toThrow();
  });

  const plain = programs.filter((p) => baseName(p) !== TRACEBACK_EXAMPLE);
  it.each(plain.map((p) => [baseName(p), p]))('%s prints what the tutorial shows', async (_name, program) => {
    const trace = await run(program);
    expect(normalize(streamText(trace, 'all'))).toBe(normalize(expectedOf(program)));
    expect(trace.end.status).toBe('ok');
    expect(trace.end.exitCode).toBe(0);
  });

  it('the coroutine repr carries an address, and the warning is CPython\'s "sys:1" one', async () => {
    const trace = await run(programs.find((p) => baseName(p) === '04-calling-a-coroutine.py')!);
    const lines = streamText(trace, 'all').split('\n');
    expect(lines[0]).toMatch(/^<coroutine object greet at 0x[0-9a-f]+>$/);
    expect(streamText(trace, 'stderr')).toBe("sys:1: RuntimeWarning: coroutine 'greet' was never awaited\n");
  });

  it('asyncio.run() inside a running loop: the traceback the tutorial shows, by shape', async () => {
    const program = programs.find((p) => baseName(p) === TRACEBACK_EXAMPLE)!;
    const expected = expectedOf(program);
    const trace = await run(program);
    const stderr = streamText(trace, 'stderr');
    expect(trace.end.exitCode).toBe(1);
    expect(trace.end.status).toBe('error');
    // Nothing on stdout; everything the tutorial shows is the traceback and the warning.
    expect(streamText(trace, 'all')).toBe(stderr);

    const lines = nonEmptyLines(stderr);
    expect(lines[0]).toBe('Traceback (most recent call last):');
    // The same frames in the same order: the learner's at the same lines, then the library's
    // by file and function (runners.py run, runners.py run, base_events.py run_until_complete …).
    expect(frames(stderr)).toEqual(frames(expected));
    expect(frames(stderr).filter((f) => f.startsWith('<string>'))).toEqual([
      '<string>:9 in <module>',
      '<string>:7 in main',
    ]);
    expect(lines.slice(-2)).toEqual(nonEmptyLines(expected).slice(-2));
    expect(lines.slice(-2)).toEqual([
      'RuntimeError: asyncio.run() cannot be called from a running event loop',
      "sys:1: RuntimeWarning: coroutine 'greet' was never awaited",
    ]);
    // No frame of Loop Lab's own machinery.
    expect(stderr).not.toMatch(/looplab|\/lib\/looplab/);
  });

  it('the loop repr is the one CPython prints on Linux', async () => {
    const trace = await run(programs.find((p) => baseName(p) === '10-create-a-loop.py')!);
    expect(streamText(trace, 'all').split('\n')[0]).toBe(
      '<_UnixSelectorEventLoop running=False closed=False debug=False>',
    );
  });
});
