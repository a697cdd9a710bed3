/**
 * Bad input, calmly taken (issues 5 and 12): each runaway or broken program ends with a
 * message that names the reason (and the line, for errors), keeps its trace up to that point,
 * and the next run works without restarting anything. Runs go through the same supervisor the
 * app uses, with the app's limits, here over a Node worker thread. Nothing here depends on how
 * fast the machine is: the limits are counted in lines, events and characters, and the host
 * stops a run for time only when it has made no progress at all.
 */
import { loadPyodide, type PyodideAPI } from 'pyodide';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type LoadPyodide } from '../src/runtime/engine';
import { createNodeRuntime, testSnapshotStore } from '../src/runtime/node-host';
import { WireDecoder } from '../src/runtime/wire';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import { decodeSource } from '../src/runtime/source';
import { DEFAULT_MAX_OUTPUT_CHARS, type RunOptions, type Trace, type TraceEvent } from '../src/shared/trace';
import { streamText } from './trace-text';
import { replay } from '../src/trace/board';

const WORKER = new URL('../out/node/node-worker.js', import.meta.url).pathname;

let runtime: RuntimeSupervisor;

beforeAll(async () => {
  runtime = createNodeRuntime({ workerPath: WORKER, snapshots: testSnapshotStore() });
  await runtime.ready();
});

afterAll(() => runtime.dispose());

async function timed(source: string, options: RunOptions = {}): Promise<{ trace: Trace }> {
  return { trace: await runtime.run({ source, filename: 'main.py', options }) };
}

const last = (trace: Trace): TraceEvent | undefined => trace.events[trace.events.length - 1];
const lineSteps = (trace: Trace): number => trace.events.filter((e) => e.kind === 'line').length;

/** After every bad program, a good one must run normally, in the same runtime. */
async function expectNextRunWorks(): Promise<void> {
  const { trace } = await timed('import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print("fine")\nasyncio.run(main())\n');
  expect(streamText(trace, 'stdout')).toBe('fine\n');
  expect(trace.end.status).toBe('ok');
}

describe('runaway programs end, say why, and keep their trace', () => {
  it('a CPU loop with no await (while True: pass)', async () => {
    const { trace } = await timed('n = 0\nwhile True: pass\n', { maxSteps: 10_000 });
    const end = last(trace);
    expect(end).toMatchObject({ kind: 'limit', reason: 'steps' });
    expect(end?.kind === 'limit' && end.message).toMatch(/10,000 lines/);
    expect(lineSteps(trace)).toBe(10_000);
    await expectNextRunWorks();
  });

  it('endless virtual time (while True: await asyncio.sleep(1))', async () => {
    const { trace } = await timed(
      'import asyncio\nasync def main():\n    while True:\n        await asyncio.sleep(1)\nasyncio.run(main())\n',
      { maxSteps: 10_000 },
    );
    // It makes progress all along, so only the step budget ends it, however slow the machine.
    const end = last(trace);
    expect(end).toMatchObject({ kind: 'limit', reason: 'steps' });
    const clocks = trace.events.filter((e) => e.kind === 'clock');
    expect(clocks.length).toBeGreaterThan(100); // the clock ticked on, second by second
    await expectNextRunWorks();
  });

  it('endless printing', async () => {
    const { trace } = await timed('i = 0\nwhile True:\n    print("spam " * 40, i)\n    i += 1\n');
    expect(last(trace)?.kind).toBe('limit');
    expect(streamText(trace, 'stdout').startsWith('spam spam')).toBe(true);
    expect(streamText(trace, 'stdout').split('\n').length).toBeGreaterThan(1000);
    await expectNextRunWorks();
  });

  it('printing past the output limit in a few lines', async () => {
    const { trace } = await timed('while True:\n    print("x" * 100_000)\n');
    expect(last(trace)).toMatchObject({ kind: 'limit', reason: 'output' });
    expect(streamText(trace, 'stdout').length).toBeGreaterThan(1_000_000);
    await expectNextRunWorks();
  });

  it('printing emoji up to the output cap, and past it: counted as Python counts them, one character each', async () => {
    // A character past U+FFFF is one in Python and two UTF-16 units in JavaScript. The host counted
    // units: 1.99 million emoji, which python3 prints and the tracer keeps under its 2,000,000
    // cap, were taken for more output than a run may print, and the run was refused as damaged.
    const line = `${'\u{1F600}'.repeat(1000)}\n`;
    const under = await timed('for i in range(1990):\n    print("\\U0001F600" * 1000)\n');
    expect(under.trace.end.status).toBe('ok');
    expect(streamText(under.trace, 'stdout')).toBe(line.repeat(1990)); // as python3 prints it: 1,991,990 characters
    // Past the cap: the output limit, with what fits of it kept, to the character.
    const past = await timed('while True:\n    print("\\U0001F600" * 1000)\n');
    expect(last(past.trace)).toMatchObject({ kind: 'limit', reason: 'output' });
    expect([...streamText(past.trace, 'stdout')].length).toBe(DEFAULT_MAX_OUTPUT_CHARS);
    await expectNextRunWorks();
  });

  it('memory growing without bound: a MemoryError at the line that asked', async () => {
    const { trace } = await timed('hoard = []\nwhile True:\n    hoard.append(" " * 10_000_000)\n');
    const error = trace.events.find((e) => e.kind === 'exception');
    // How it ended otherwise, said: once, under a load average of 16 on 2 cores, it did not end with the MemoryError.
    expect(error, `the run ended with ${JSON.stringify(last(trace))} after ${trace.end.wallMs.toFixed(0)} ms`).toMatchObject({ kind: 'exception', type: 'MemoryError', line: 3 });
    expect(streamText(trace, 'stderr')).toMatch(/MemoryError/);
    await expectNextRunWorks();
  });

  it('a program that breaks the compiler: its own error or limit, as python3 meets it, not Loop Lab’s failure', async () => {
    // A fifth attacker's: compiling happened before the tracer said the program began, so the
    // host took these for a damaged snapshot (dropped it, and compiled again in a cold
    // interpreter), and the run ended as "the Python interpreter broke". python3 3.11 prints
    // "MemoryError" for the first (its parser's stack); 3.12+ warn for each invalid escape.
    const { trace: deep } = await timed(`x = ${'-'.repeat(200_000)}1\n`);
    expect(last(deep)).toMatchObject({ kind: 'exception', type: 'MemoryError' });
    const { trace: warned } = await timed(`x = ${Array(700).fill('"\\d"').join(',')}\n`);
    expect(last(warned)).toMatchObject({ kind: 'limit', reason: 'output' });
    await expectNextRunWorks();
  });

  it('deep recursion: RecursionError with the line', async () => {
    const { trace } = await timed('def down(n):\n    return down(n + 1)\n\ndown(0)\n');
    expect(trace.events.find((e) => e.kind === 'exception')).toMatchObject({ type: 'RecursionError', line: 2 });
    expect(streamText(trace, 'stderr')).toMatch(/RecursionError: maximum recursion depth exceeded/);
    expect(trace.end.exitCode).toBe(1);
    await expectNextRunWorks();
  });

  it('printing at the recursion limit: the run is recorded whole, never refused as damaged', async () => {
    // python3 (3.11) prints "reached 985" … "reached 997", then "too deep 998" and "too deep 999",
    // exit 0. Loop Lab's print is a call of Python code (its sys.stdout), which needs a frame
    // python3's does not, so it may fail one level sooner; but the tracer's own work, done at
    // that depth, raised RecursionError half-way through recording a write, and the host
    // refused the run as damaged ("line … is missing from its chunk").
    const source = 'def dive(n, target):\n    if n == target:\n        print("reached", n)\n        return\n    dive(n + 1, target)\nfor t in range(985, 1000):\n    try:\n        dive(1, t)\n    except RecursionError:\n        print("too deep", t)\n';
    const { trace } = await timed(source);
    expect([trace.end.status, trace.end.exitCode]).toEqual(['ok', 0]);
    const stdout = streamText(trace, 'stdout');
    expect(stdout.startsWith('reached 985\nreached 986\n')).toBe(true);
    for (let t = 985; t < 1000; t++) expect(stdout).toMatch(new RegExp(`(reached|too deep) ${t}\n`));
    // A write at the program's exact limit: python3 (3.11) writes all four and keeps limit 100.
    // Loop Lab's write is a frame of Python code, one more than python3 has there, so the last
    // one may fail with RecursionError, before it writes anything; the limit stays the
    // program's. The tracer could not put the limit back there, and the refusal reached the
    // program ("cannot set the recursion limit to 100 …"), the limit left 100 higher (befce74).
    const exact = (await timed("import sys\nsys.setrecursionlimit(100)\ndef chain(k):\n    if k:\n        return chain(k - 1)\n    sys.stdout.write(\"<w>\\n\")\nfor k in range(93, 97):\n    try: chain(k)\n    except RecursionError as e:\n        print(k, e, sys.getrecursionlimit()); sys.setrecursionlimit(100)\nprint(\"limit\", sys.getrecursionlimit())\n")).trace;
    expect(streamText(exact, 'stdout')).toMatch(/^(<w>\n){3,4}(96 maximum recursion depth exceeded 100\n)?limit 100\n$/);
    // The recursion every class writes, printing as it goes: python3 (3.11) prints 0 … 996 and
    // ends with RecursionError, exit 1. A limit put back later (f984946) was taken for the
    // program's and raised again at every print: it printed 200,000 lines and crashed.
    const classic = (await timed('def f(n):\n    print(n)\n    f(n + 1)\nf(0)\n')).trace;
    const printed = streamText(classic, 'stdout').trim().split('\n').map(Number);
    expect([classic.end.status, classic.end.exitCode]).toEqual(['error', 1]);
    expect(printed.length).toBeGreaterThan(980);
    expect(printed.length).toBeLessThanOrEqual(997);
    expect(printed.every((n, i) => n === i)).toBe(true);
    expect(streamText(classic, 'stderr')).toMatch(/\nRecursionError: maximum recursion depth exceeded[^\n]*\n$/);
    // A limit the program sets in a __del__ the collector runs during the tracer's work stays
    // set: python3 ends "50 4321" (what the __del__ saw first differs: it ran inside that work).
    const collected = (await timed("import gc, sys\nseen = []\nclass D:\n    def __init__(self): self.me = self\n    def __del__(self):\n        seen.append(sys.getrecursionlimit()); sys.setrecursionlimit(4321)\ngc.disable(); [D() for _ in range(50)]; gc.set_threshold(1); gc.enable()\nprint(\"hello\"); gc.disable()\nprint(sorted(set(seen)), len(seen), sys.getrecursionlimit())\n")).trace;
    expect(streamText(collected, 'stdout')).toMatch(/^hello\n\[\d+, 4321\] 50 4321\n$/);
    await expectNextRunWorks();
  });

  it('a task that never finishes: the loop has nothing left to run', async () => {
    const { trace } = await timed(
      'import asyncio\nasync def main():\n    print("waiting")\n    await asyncio.Event().wait()\nasyncio.run(main())\n',
    );
    expect(last(trace)).toMatchObject({ kind: 'limit', reason: 'deadlock' });
    expect(streamText(trace, 'stdout')).toBe('waiting\n');
    const waiting = trace.events.find((e) => e.kind === 'suspend');
    expect(waiting).toMatchObject({ kind: 'suspend', line: 4, wait: { kind: 'sync', primitive: 'Event', method: 'wait' } });
    await expectNextRunWorks();
  });

  it('a long operation inside C code, where no line ever ends: stopped by the host', async () => {
    const { trace } = await timed('import re\nprint("before")\nre.match(r"(a+)+$", "a" * 40 + "b")\n');
    const end = last(trace);
    expect(end).toMatchObject({ kind: 'limit', reason: 'time' });
    expect(end?.kind === 'limit' && end.message).toMatch(/without a single step: it was stuck inside one long operation/);
    expect(streamText(trace, 'stdout')).toBe('before\n'); // streamed out before the worker was stopped
    await expectNextRunWorks();
  });

  it('a task that hangs in C as soon as it wakes is shown at that line and time, not at the last flush before', async () => {
    const source = [
      'import asyncio',
      '',
      'async def main():',
      '    print("counting")',
      '    await asyncio.sleep(1)',
      '    total = sum(range(10 ** 12))',
      '    print("never")',
      '',
      'asyncio.run(main())',
      '',
    ].join('\n');
    const { trace } = await timed(source);
    expect(last(trace)).toMatchObject({ kind: 'limit', reason: 'time' });
    // Its last steps: the clock moved to 1 s, Task-1 was taken from the ready queue and ran line 6.
    const steps = trace.events.slice(-4, -1);
    expect(steps.map((e) => e.kind)).toEqual(['callback_end', 'pop', 'line']);
    expect(steps[2]).toMatchObject({ kind: 'line', line: 6 });
    expect(trace.events.filter((e) => e.kind === 'clock').at(-1)).toMatchObject({ kind: 'clock', time: 1 });
    await expectNextRunWorks();
  });

  it('Stop ends a run in progress', async () => {
    await runtime.ready();
    const pending = runtime.run({ source: 'import re\nre.match(r"(a+)+$", "a" * 40 + "b")\n', filename: 'main.py' });
    await new Promise((resolve) => setTimeout(resolve, 200));
    runtime.stop();
    const trace = await pending;
    expect(last(trace)).toMatchObject({ kind: 'limit', reason: 'stopped' });
    await expectNextRunWorks();
  });
});

describe('broken programs say what is wrong, where', () => {
  it('an exception in a done callback is reported, and the program goes on', async () => {
    const { trace } = await timed(
      [
        'import asyncio',
        'def on_done(task):',
        '    raise ValueError("boom in callback")',
        'async def main():',
        '    t = asyncio.create_task(asyncio.sleep(0.1))',
        '    t.add_done_callback(on_done)',
        '    await t',
        '    await asyncio.sleep(0)',
        '    print("after")',
        'asyncio.run(main())',
        '',
      ].join('\n'),
    );
    expect(streamText(trace, 'stderr')).toMatch(/Exception in callback on_done/);
    expect(streamText(trace, 'stderr')).toMatch(/line 3, in on_done/);
    expect(streamText(trace, 'stdout')).toBe('after\n');
    expect(trace.end.status).toBe('ok');
  });

  it('"Task exception was never retrieved"', async () => {
    const { trace } = await timed(
      [
        'import asyncio',
        'async def boom():',
        '    raise ValueError("nobody looked")',
        'async def main():',
        '    t = asyncio.create_task(boom())',
        '    await asyncio.sleep(0.1)',
        '    del t',
        '    print("done")',
        'asyncio.run(main())',
        '',
      ].join('\n'),
    );
    const text = streamText(trace, 'stderr');
    expect(text).toMatch(/^Task exception was never retrieved/);
    expect(text).toMatch(/ValueError: nobody looked/);
    // CPython logs it when the task is freed, at `del t`: before "done" is printed.
    const order = trace.events.filter((e) => e.kind === 'output').map((e) => (e.kind === 'output' ? e.stream : ''));
    expect(order[0]).toBe('stderr');
    expect(streamText(trace, 'stdout')).toBe('done\n');
  });

  it('a 40 MB exception message: the trace keeps 2,000 characters and says how many more; the traceback has head and tail', async () => {
    const { trace } = await timed('raise ValueError("x" * 40_000_000)\n');
    const end = last(trace);
    expect(end?.kind).toBe('exception');
    if (end?.kind !== 'exception') return;
    expect(end.message).toBe(`${'x'.repeat(2000)}… (39,998,000 more characters)`);
    const stderr = streamText(trace, 'stderr');
    expect(stderr).toMatch(/characters of the traceback not shown/);
    expect(stderr.length).toBeLessThan(1_100_000);
    await expectNextRunWorks();
  });

  it('printing up to the output cap and then exiting with a message: the message is printed, as CPython does, and the run ends with status 1', async () => {
    // python3: stderr "bye\n", exit status 1. It crashed the worker when the message went past the cap.
    for (const printed of [1000, 998]) {
      const { trace } = await timed(`import sys\nsys.stdout.write("a" * ${printed})\nsys.exit("bye")\n`, { maxOutputChars: 1000 });
      // 'error', as for any exit status but 0 (not the end of a run that crashed or hit a limit).
      expect(trace.end.status).toBe('error');
      expect(trace.events.some((e) => e.kind === 'limit')).toBe(false);
      expect(trace.end.exitCode).toBe(1);
      expect(streamText(trace, 'stdout')).toBe('a'.repeat(printed));
      expect(streamText(trace, 'stderr')).toBe('bye\n');
    }
    // A message of megabytes is cut in the middle, as a traceback is.
    const { trace } = await timed('import sys\nsys.exit("z" * 5_000_000)\n');
    expect(trace.end.exitCode).toBe(1);
    const stderr = streamText(trace, 'stderr');
    expect(stderr).toMatch(/characters of the message not shown/);
    expect(stderr.length).toBeLessThan(1_100_000);
    await expectNextRunWorks();
  });

  it('sys.exit and uncaught exceptions end as python3 ends them, whatever the exit value or message does', async () => {
    // Each expected status and output is python3's (3.11), run on the same program.
    const ended = async (source: string, options: RunOptions = {}) => (await timed(source, options)).trace;
    // An object held by the exiting frame prints as it goes, after the exit message.
    const del = await ended('import sys\nclass A:\n    def __del__(self):\n        print("bye A")\ndef main():\n    a = A()\n    print("hello")\n    sys.exit("done")\nmain()\n');
    expect([del.end.exitCode, streamText(del, 'stdout'), streamText(del, 'stderr')]).toEqual([1, 'hello\nbye A\n', 'done\n']);
    // A message showing an object's address (swapped for a longer stand-in as it is written).
    const address = await ended('import sys\nsys.exit(object())\n');
    expect([address.end.exitCode, streamText(address, 'stderr')]).toEqual([1, expect.stringMatching(/^<object object at 0x[0-9a-f]+>\n$/)]);
    const raised = await ended('raise ValueError(object())\n');
    expect(raised.end.exitCode).toBe(1);
    expect(streamText(raised, 'stderr')).toMatch(/ValueError: <object object at 0x[0-9a-f]+>\n$/);
    // Exit values that are not plain small ints.
    for (const [value, status] of [['True', 1], ['False', 0], ['2**70', 255]] as const) {
      expect((await ended(`import sys\nsys.exit(${value})\n`)).end.exitCode).toBe(status);
    }
    // A __str__ that raises prints an empty line; one that runs past the step budget ends the run there.
    const failing = await ended('import sys\nclass C:\n    def __str__(self):\n        raise ValueError("no")\nsys.exit(C())\n');
    expect([failing.end.exitCode, streamText(failing, 'stderr')]).toEqual([1, '\n']);
    const endless = await ended('import sys\nclass C:\n    def __str__(self):\n        while True:\n            pass\nsys.exit(C())\n', { maxSteps: 3000 });
    expect(last(endless)).toMatchObject({ kind: 'limit', reason: 'steps' });
    // An int whose __int__ raises exits with its value, as CPython reads it (not its __int__).
    const intSubclass = await ended('import sys\nclass E(int):\n    def __int__(self):\n        raise ValueError("boom")\nsys.exit(E(3))\n');
    expect([intSubclass.end.status, intSubclass.end.exitCode]).toEqual(['error', 3]);
    // An exception whose __notes__ raises KeyboardInterrupt, or whose metaclass's __name__
    // raises SystemExit, is still reported as the uncaught exception it is (exit 1).
    const notes = await ended('class E(Exception):\n    @property\n    def __notes__(self):\n        raise KeyboardInterrupt\nraise E("x")\n');
    expect([notes.end.exitCode, last(notes)]).toEqual([1, expect.objectContaining({ kind: 'exception', type: 'E' })]);
    const named = await ended('class M(type):\n    @property\n    def __name__(cls):\n        raise SystemExit(5)\nclass E(Exception, metaclass=M):\n    pass\nraise E("x")\n');
    expect([named.end.exitCode, last(named)]).toEqual([1, expect.objectContaining({ kind: 'exception', type: 'E' })]);
    await expectNextRunWorks();
  });

  it('an exit value or an exception whose own methods misbehave ends the run as python3 ends it, with one last event', async () => {
    // Each expected status and output is python3's (3.11), run on the same program.
    const ended = async (source: string, options: RunOptions = {}) => (await timed(source, options)).trace;
    const outcome = (trace: Trace) => [trace.end.exitCode, streamText(trace, 'stdout'), streamText(trace, 'stderr')];
    // A SystemExit whose `code` property raises: CPython prints the exception itself.
    const codeProperty = await ended('class E(SystemExit):\n    @property\n    def code(self):\n        raise ValueError("no code")\nraise E(3)\n');
    expect(outcome(codeProperty)).toEqual([1, '', '3\n']);
    // An object that says its __class__ is int is not an int; its message is its __str__, not its __format__.
    const disguised = await ended('import sys\nclass C:\n    __class__ = int\n    def __str__(self):\n        return "C here"\n    def __format__(self, spec):\n        return "format"\nsys.exit(C())\n');
    expect(outcome(disguised)).toEqual([1, '', 'C here\n']);
    // What the process ends with is the status's low byte.
    for (const [value, status] of [['256', 0], ['-1', 255]] as const) {
      expect((await ended(`import sys\nsys.exit(${value})\n`)).end.exitCode).toBe(status);
    }
    // Only KeyboardInterrupt itself ends as 130.
    expect((await ended('class K(KeyboardInterrupt):\n    pass\nraise K("sub")\n')).end.exitCode).toBe(1);
    // A __str__ that runs code it compiled itself, or a __del__ that does at teardown: no limit
    // is looked at once the program's steps have ended.
    const loop = 'exec("n = 0\\nwhile n < 20000:\\n    n += 1\\n")';
    const strExec = await ended(`class E(Exception):\n    def __str__(self):\n        ${loop}\n        return "boom"\nraise E()\n`, { maxSteps: 5000 });
    expect([strExec.end.exitCode, last(strExec)?.kind]).toEqual([1, 'exception']);
    const delExec = await ended(`class A:\n    def __del__(self):\n        ${loop}\n        print("del done")\na = A()\nprint("main done")\n`, { maxSteps: 5000 });
    expect([delExec.end.status, streamText(delExec, 'stdout')]).toEqual(['ok', 'main done\ndel done\n']);
    // A __str__ that prints past the output cap: the output limit is the run's one last event.
    const strPrints = await ended('class E(Exception):\n    def __str__(self):\n        print("y" * 2_000)\n        return "boom"\nraise E()\n', { maxOutputChars: 1000 });
    expect(last(strPrints)).toMatchObject({ kind: 'limit', reason: 'output' });
    expect(strPrints.events.filter((e) => e.kind === 'exception' || e.kind === 'limit')).toHaveLength(1);
    await expectNextRunWorks();
  });

  it('an exception’s str() is called once, as python3 calls it: what it prints is printed once, and the message is the traceback’s last line', async () => {
    // Each expected output is python3's (3.11), run on the same program.
    const printing = (await timed('class E(Exception):\n    def __str__(self):\n        print("in str")\n        return "m"\nraise E\n')).trace;
    expect([printing.end.exitCode, streamText(printing, 'stdout')]).toEqual([1, 'in str\n']);
    expect(streamText(printing, 'stderr')).toMatch(/\nE: m\n$/);
    expect(last(printing)).toMatchObject({ kind: 'exception', type: 'E', message: 'm' });
    // The banner's message has python3's suggestion too.
    const typo = (await timed('pritn("hi")\n')).trace;
    expect(streamText(typo, 'stderr')).toMatch(/\nNameError: name 'pritn' is not defined. Did you mean: 'print'\?\n$/);
    expect(last(typo)).toMatchObject({ kind: 'exception', type: 'NameError', message: "name 'pritn' is not defined. Did you mean: 'print'?" });
    await expectNextRunWorks();
  });

  it('lone surrogates are printed as python3 prints them: refused on stdout, escaped on stderr, and counted as written', async () => {
    // python3 (3.11): stderr "\ud83d\ude00\ud83d\ude00" as twelve-character escapes, then the
    // UnicodeEncodeError of the print, nothing of which reached stdout; exit status 1.
    const source = 'import sys\nsys.stderr.write("\\ud83d\\ude00" * 2 + "\\n")\nprint("a\\ud800b")\n';
    const mixed = (await timed(source)).trace;
    expect([mixed.end.exitCode, streamText(mixed, 'stdout')]).toEqual([1, '']);
    const stderr = streamText(mixed, 'stderr');
    expect(stderr.startsWith('\\ud83d\\ude00\\ud83d\\ude00\n')).toBe(true);
    expect(stderr).toMatch(/\nUnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed\n$/);
    // In a message: as the traceback shows it (python3: "ValueError: \ud83d\ude00", escaped).
    const raised = (await timed('raise ValueError("\\ud83d\\ude00")\n')).trace;
    expect(streamText(raised, 'stderr')).toMatch(/\nValueError: \\ud83d\\ude00\n$/);
    expect(last(raised)).toMatchObject({ kind: 'exception', message: '\\ud83d\\ude00' });
    // Up to the cap: the tracer counted a high and a low surrogate as two characters, JSON joined
    // them into one on the host's side, and the output limit was refused as never reached (damaged).
    const capped = (await timed('import sys\nprint("x" * 998, end="")\nsys.stderr.write("\\ud83d\\ude00" * 2)\n', { maxOutputChars: 1000 })).trace;
    expect(last(capped)).toMatchObject({ kind: 'limit', reason: 'output' });
    expect([streamText(capped, 'stdout'), streamText(capped, 'stderr')]).toEqual(['x'.repeat(998), '\\u']);
    await expectNextRunWorks();
  });

  it('a traceback or exit message is cut as it is written: lone surrogates escaped and addresses swapped first, within what the host allows', async () => {
    // python3 (3.11) writes each whole and exits 1; Loop Lab cuts one of over 1,000,000
    // characters in the middle. Cut before escaping (six characters a surrogate), the text went
    // past the host's traceback allowance and the run was refused as damaged.
    for (const source of ['import sys\nsys.exit("\\udc80" * 600_000)\n', 'raise ValueError("\\ud800" * 999_000)\n']) {
      const { trace } = await timed(source);
      expect(trace.end.exitCode).toBe(1);
      const stderr = streamText(trace, 'stderr');
      expect(stderr).toMatch(/characters of the (message|traceback) not shown/);
      expect(stderr).toMatch(/\\ud[8c]\d\d\\ud[8c]\d\d\n$/);
    }
    const addresses = (await timed('print("x" * 1_999_999)\nraise ValueError([object() for _ in range(40_000)])\n')).trace;
    expect([addresses.end.exitCode, last(addresses)?.kind]).toEqual([1, 'exception']);
    await expectNextRunWorks();
  });

  it('an exception nobody can catch, raised inside Loop Lab’s own stream, shows only the program’s frames and lines', async () => {
    // The frame, source line and last line are python3's (3.11) for the same program; the
    // header is CPython 3.14's wording (Loop Lab's interpreter), not 3.11's "Exception ignored in:".
    const source = 'class B:\n    def __del__(self):\n        print("x\\ud800")\nb = B()\ndel b\nprint("end")\n';
    const { trace } = await timed(source);
    const stderr = streamText(trace, 'stderr').split('\n');
    expect(stderr[0]).toMatch(/^Exception ignored while calling deallocator <function B\.__del__ at 0x[0-9a-f]+>:$/);
    expect(stderr.slice(1)).toEqual([
      'Traceback (most recent call last):',
      '  File "main.py", line 3, in __del__',
      '    print("x\\ud800")',
      "UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800' in position 1: surrogates not allowed",
      '',
    ]);
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['end\n', 0]);
  });

  it('an exception nobody can catch is reported as python3 reports it, whatever the program does to the report', async () => {
    // Each expected stdout is python3's (3.11), and so is each stderr, read without what differs
    // between 3.11 and Loop Lab's 3.14 by version: the header line ("Exception ignored in:" in
    // 3.11) and 3.11's carets. The programs: a __str__ returning a str subclass whose __radd__
    // prints; sys.tracebacklimit past a C long, a bool, False, an int subclass, negative, a str;
    // a message stderr cannot encode (the source line's write fails too, and the report goes
    // on); a metaclass naming the module, and the hook called by hand.
    const withoutVersionWords = (text: string) =>
      text.split('\n').filter((line) => !line.startsWith('Exception ignored') && !/^\s*[\^~]+\s*$/.test(line)).join('\n');
    for (const [source, stdout, stderr] of [
      ["class S(str):\n    def __radd__(self,o): print(\"radd called!\"); return 42\nclass E(Exception):\n    def __str__(self): return S(\"sneaky\")\nclass A:\n    def __del__(self): raise E()\na=A(); del a\n", "", "Traceback (most recent call last):\n  File \"main.py\", line 6, in __del__\n    def __del__(self): raise E()\nE: sneaky\n"],
      ["import sys\ndef g(): raise ValueError(\"boom\")\nclass A:\n    def __del__(self): g()\nclass I(int): pass\nfor v in (2**40, True, False, I(1), -2**40, \"x\"):\n    sys.tracebacklimit = v\n    print(\"limit\", repr(v), flush=True)\n    a=A(); del a\n", "limit 1099511627776\nlimit True\nlimit False\nlimit 1\nlimit -1099511627776\nlimit 'x'\n", "Traceback (most recent call last):\n  File \"main.py\", line 4, in __del__\n    def __del__(self): g()\n  File \"main.py\", line 2, in g\n    def g(): raise ValueError(\"boom\")\nValueError: boom\nTraceback (most recent call last):\n  File \"main.py\", line 2, in g\n    def g(): raise ValueError(\"boom\")\nValueError: boom\nValueError: boom\nTraceback (most recent call last):\n  File \"main.py\", line 2, in g\n    def g(): raise ValueError(\"boom\")\nValueError: boom\nValueError: boom\nTraceback (most recent call last):\n  File \"main.py\", line 4, in __del__\n    def __del__(self): g()\n  File \"main.py\", line 2, in g\n    def g(): raise ValueError(\"boom\")\nValueError: boom\n"],
      ["import sys\nclass A:\n    def __del__(self): raise ValueError(\"caf\u00e9\")\nsys.stderr.reconfigure(encoding=\"ascii\")\na=A(); del a\nclass Err:\n    def write(self, s): sys.__stderr__.write(s) if False else None; return len(s)\n    def flush(self): raise OSError(\"flush failed\")\nprint(\"x\")\n", "x\n", "Traceback (most recent call last):\n  File \"main.py\", line 3, in __del__\n    ValueError: <exception str() failed>\n"],
      ["import sys\nclass Meta(type):\n    @property\n    def __module__(cls): return \"custom\"\nclass E(Exception, metaclass=Meta): pass\nclass A:\n    def __del__(self): raise E(\"x\")\na=A(); del a\ntry:\n    sys.unraisablehook(42)\nexcept TypeError as e: print(\"TypeError\", e)\nprint(sys.unraisablehook.__name__, sys.unraisablehook.__module__)\n", "TypeError sys.unraisablehook argument type must be UnraisableHookArgs\nunraisablehook sys\n", "Traceback (most recent call last):\n  File \"main.py\", line 7, in __del__\n    def __del__(self): raise E(\"x\")\ncustom.E: x\n"],
      // The program's str() runs under the program's own recursion limit, and what it sets stays set.
      ["import sys\nclass S(Exception):\n    def __str__(self):\n        print(\"limit inside\", sys.getrecursionlimit())\n        sys.setrecursionlimit(3000)\n        return \"s\"\nclass D:\n    def __del__(self): raise S()\nD()\nprint(\"limit after\", sys.getrecursionlimit())\n", "limit inside 1000\nlimit after 3000\n", "Traceback (most recent call last):\n  File \"main.py\", line 8, in __del__\n    def __del__(self): raise S()\nS: s\n"],
    ] as const) {
      const { trace } = await timed(source);
      expect([streamText(trace, 'stdout'), withoutVersionWords(streamText(trace, 'stderr'))]).toEqual([stdout, stderr]);
    }
    // A module's own __loader__ is never asked for its source (python3 reads files from disk
    // only), and the standard library's lines are shown as python3 shows them.
    const { trace } = await timed("class Loader:\n    def get_source(self,n): print(\"get_source called for\",n); return \"x\\n\"\ng={\"__name__\":\"fakemod\",\"__loader__\":Loader()}\nexec(compile(\"class A:\\n    def __del__(self):\\n        raise ValueError('x')\\n\",\"fakemod.py\",\"exec\"),g)\na=g[\"A\"](); del a\nimport json\nclass J:\n    def __del__(self): json.loads(\"{\")\nj = J(); del j\n");
    expect(streamText(trace, 'stdout')).toBe('');
    const stderr = withoutVersionWords(streamText(trace, 'stderr'));
    expect(stderr.startsWith('Traceback (most recent call last):\n  File "fakemod.py", line 3, in __del__\nValueError: x\n')).toBe(true);
    expect(stderr).toContain('\n    return _default_decoder.decode(s)\n');
    expect(stderr).toMatch(/\njson\.decoder\.JSONDecodeError: Expecting property name enclosed in double quotes: line 1 column 2 \(char 1\)\n$/);
    await expectNextRunWorks();
  });

  it('sys.stdout.reconfigure() and sys.stdout.buffer write what python3 writes, as a UTF-8 terminal shows it', async () => {
    // The expected text is python3's (3.11) stdout for the same program, its bytes read as
    // UTF-8 with U+FFFD for what is not (as a terminal shows them): a character cut between a
    // buffer write and a print, reconfigure()'s checks and what it changed before refusing,
    // a UTF-16 stream after a reconfigure (no BOM), an error handler's state across writes, a
    // memoryview that is not contiguous, and bytes left cut at the end.
    const { trace } = await timed("import sys\nsys.stdout.buffer.write(b\"cut \\xe2\\x82\"); print(\"|text\"); sys.stdout.buffer.write(b\"\\xac end\\n\")\nsys.stdout.flush()\ntry: sys.stdout.reconfigure(line_buffering=\"yes\")\nexcept TypeError as e: print(\"TypeError\", e)\nsys.stdout.reconfigure(encoding=\"locale\"); print(sys.stdout.encoding)\nsys.stdout.reconfigure(newline=\"\\n\\0\"); print(\"nl ok\")\ntry: sys.stdout.reconfigure(newline=\"\\ud800\")\nexcept UnicodeEncodeError as e: print(\"UnicodeEncodeError\")\nsys.stdout.reconfigure(errors=\"strict\\0\"); print(\"errors\", repr(sys.stdout.errors))\ntry: sys.stdout.reconfigure(newline=\"\\r\\n\", encoding=\"klingon\")\nexcept LookupError as e: print(\"LookupError\", e)\nprint(\"after\")\nsys.stdout.reconfigure(newline=\"\\n\", encoding=\"utf-8\")\nsys.stdout.reconfigure(encoding=\"utf-16\"); print(\"u16\"); sys.stdout.reconfigure(encoding=\"utf-8\")\nsys.stdout.reconfigure(errors=\"surrogateescape\"); sys.stdout.write(\"\\udcc3\"); sys.stdout.write(\"\\udca9\\n\")\ntry: sys.stdout.buffer.write(memoryview(b\"abcdef\")[::2])\nexcept BufferError as e: print(\"BufferError\", e)\nsys.stdout.buffer.write(b\"tail \\xe2\\x82\")\n");
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(["cut \ufffd|text\n\ufffd end\nTypeError 'str' object cannot be interpreted as an integer\nUTF-8\nnl ok\nUnicodeEncodeError\nerrors 'strict\\x00'\nLookupError unknown encoding: klingon\r\nafter\r\nu\u00001\u00006\u0000\n\u0000\u00e9\nBufferError memoryview: underlying buffer is not C-contiguous\ntail \ufffd", 0]);
    // An empty write ends no character (python3 writes no byte for it), and the streams name
    // themselves as python3's do; python3's own hook is the one sys.__unraisablehook__ holds.
    const more = (await timed("import sys\nsys.stdout.buffer.write(b\"\\xe2\\x82\")\nprint(end=\"\")\nsys.stdout.buffer.write(b\"\\xac\\n\")\nsys.stdout.buffer.write(b\"\\xe2\\x82\")\nsys.stdout.reconfigure(encoding=\"utf-8\")\nsys.stdout.buffer.write(b\"\\xac\\n\")\nprint(sys.unraisablehook is sys.__unraisablehook__, sys.stdout)\n")).trace;
    expect(streamText(more, 'stdout')).toBe("\u20ac\n\u20ac\nTrue <_io.TextIOWrapper name='<stdout>' mode='w' encoding='utf-8'>\n");
    // Bytes left cut on stderr come before the traceback Loop Lab writes, as a terminal shows them.
    const cut = (await timed('import sys\nsys.stderr.buffer.write(b"\\xe2\\x82")\n1/0\n')).trace;
    expect(streamText(cut, 'stderr')).toMatch(/^\ufffdTraceback \(most recent call last\):\n/);
    // Bytes past what the output cap can show end the run there, as text does.
    const past = (await timed('import sys\nsys.stdout.buffer.write(b"x" * 30_000_000)\nprint("not reached")\n')).trace;
    expect(last(past)).toMatchObject({ kind: 'limit', reason: 'output' });
    expect(streamText(past, 'stdout')).toBe('x'.repeat(DEFAULT_MAX_OUTPUT_CHARS));
    await expectNextRunWorks();
  });

  it('only an object’s address is given a stand-in, wherever it stands: the program’s own hex prints as written', async () => {
    // Every line but the addresses is python3's (3.11) output of the same program, byte for
    // byte; an address differs from run to run in python3 too, so only its shape is held, and
    // Loop Lab's stand-ins are the same on every run (shipped traces depend on it).
    const source = [
      'import textwrap',
      'pc = 255',
      'print(f"jump at 0x{pc:04x}")', // the program's own text: a leading zero
      'print(f"JUMP AT 0x{pc:04X} at 0xABC")', // upper case
      'print("<not closed at 0x12", "branch at 0x7fff -> next")', // fewer digits than any address has
      'print("at 0x7f6a57fa4950")', // a 64-bit address, copied from python3's output: more than any has
      'print("->", object())',
      'class A:\n    def f(self): pass',
      'print(A().f)',
      'print(lambda: 0)',
      'print([object(), object()])',
      'class Edge:\n    def __repr__(self):\n        return f"<Edge a->b at {hex(id(self))}>"', // a ">" before the address
      'print(Edge())',
      'print(textwrap.fill(repr(object()), width=16))', // a repr cut over lines
      '',
    ].join('\n');
    const { trace } = await timed(source);
    const lines = streamText(trace, 'stdout').split('\n');
    expect(lines.slice(0, 4)).toEqual(['jump at 0x00ff', 'JUMP AT 0x00FF at 0xABC', '<not closed at 0x12 branch at 0x7fff -> next', 'at 0x7f6a57fa4950']);
    expect(lines.slice(4, 11)).toEqual([
      '-> <object object at 0x7f4c00001000>',
      '<bound method A.f of <__main__.A object at 0x7f4c00001060>>',
      '<function <lambda> at 0x7f4c000010c0>',
      expect.stringMatching(/^\[<object object at 0x7f4c[0-9a-f]{8}>, <object object at 0x7f4c[0-9a-f]{8}>\]$/),
      expect.stringMatching(/^<Edge a->b at 0x7f4c[0-9a-f]{8}>$/),
      '<object object',
      expect.stringMatching(/^at 0x7f4c[0-9a-f]{8}>$/),
    ]);
    expect(trace.end.exitCode).toBe(0);
  });

  it('a str subclass of the program’s is written as the str it holds: its own methods are not asked', async () => {
    // python3 (3.11): the traceback ending "E: hi", exit 1 (it crashed the worker).
    const crashing = (await timed('class S(str):\n    def isascii(self):\n        raise RuntimeError("boom")\nclass E(Exception):\n    def __str__(self):\n        return S("hi")\nprint("before")\nraise E()\n')).trace;
    expect([crashing.end.exitCode, streamText(crashing, 'stdout')]).toEqual([1, 'before\n']);
    expect(streamText(crashing, 'stderr')).toMatch(/\nE: hi\n$/);
    // python3: UnicodeEncodeError, exit 1 (an isascii() that said True let the surrogates through,
    // and the output limit they reached was refused as damaged).
    const lying = (await timed('import sys\nclass S(str):\n    def isascii(self):\n        return True\nsys.stdout.write("x" * 998)\nsys.stdout.write(S("\\ud83d\\ude00\\ud83d\\ude00"))\n', { maxOutputChars: 1000 })).trace;
    expect([lying.end.exitCode, streamText(lying, 'stdout')]).toEqual([1, 'x'.repeat(998)]);
    expect(streamText(lying, 'stderr')).toMatch(/\nUnicodeEncodeError: 'utf-8' codec can't encode characters in position 0-3: surrogates not allowed\n$/);
    await expectNextRunWorks();
  });

  it('a task that fails is described without running the program’s code: python3 runs none of it to end a task', async () => {
    // python3 (3.11) prints "caught" alone, exit 0, for both. The tracer called the exception's
    // __str__ for the task's Done card: its print came out twice, and one that raised broke the
    // loop (the run ended as a deadlock).
    const task = (body: string) =>
      `import asyncio\nclass E(Exception):\n    def __str__(self):\n        ${body}\n        return "E!"\nasync def f():\n    raise E("why")\nasync def main():\n    t = asyncio.create_task(f())\n    try:\n        await t\n    except E:\n        print("caught")\nasyncio.run(main())\n`;
    for (const body of ['print("str called")', 'raise RuntimeError("nope")']) {
      const { trace } = await timed(task(body));
      expect([trace.end.status, streamText(trace, 'stdout')]).toEqual(['ok', 'caught\n']);
      expect(trace.events.find((e) => e.kind === 'done' && e.outcome === 'exception')).toMatchObject({ text: 'E' });
    }
    // An exception of CPython's own, with plain arguments, keeps its message; an exception group its count.
    // Nor what a C __str__ would reach of the program's: a field it set, an argument whose class's
    // metaclass compares, a __str__ set to None (python3's str() fails), a class dict's key of its own.
    const failing = (before: string, raised: string) =>
      `import asyncio\n${before}\nasync def f():\n    raise ${raised}\nasync def main():\n    r = await asyncio.gather(f(), return_exceptions=True)\n    print("done", type(r[0]).__name__)\nasyncio.run(main())\n`;
    const loud = 'class Loud:\n    def __repr__(self):\n        print("repr ran")\n        return "x"\n    def __str__(self):\n        print("str ran")\n        return "x"';
    for (const [before, raised, type] of [
      [`${loud}\ndef fnf():\n    e = FileNotFoundError(2, "No such file or directory", "data.txt")\n    e.filename = Loud()\n    return e`, 'fnf()', 'FileNotFoundError'],
      ['class Meta(type):\n    def __eq__(cls, other):\n        print("eq ran")\n        return NotImplemented\n    __hash__ = type.__hash__\nclass Code(metaclass=Meta):\n    pass', 'ValueError(Code())', 'ValueError'],
      ['class Quiet(Exception):\n    __str__ = None', 'Quiet("disk full")', 'Quiet'],
      ['class Key(str):\n    __hash__ = str.__hash__\n    def __eq__(self, other):\n        raise RuntimeError("compared")\nCustom = type("Custom", (Exception,), {Key("__str__"): lambda self: "custom"})', 'Custom("x")', 'Custom'],
    ] as const) {
      const { trace } = await timed(failing(before, raised));
      expect([trace.end.status, streamText(trace, 'stdout')]).toEqual(['ok', `done ${type}\n`]); // as python3 prints it
      expect(trace.events.find((e) => e.kind === 'done' && e.outcome === 'exception')).toMatchObject({ text: type });
    }
    for (const [raised, text] of [
      ['FileNotFoundError(2, "No such file or directory", "data.txt")', "FileNotFoundError: [Errno 2] No such file or directory: 'data.txt'"],
      ['ValueError("bad input")', 'ValueError: bad input'],
      ['ExceptionGroup("boom", [ValueError(1), KeyError(2)])', 'ExceptionGroup: boom (2 sub-exceptions)'],
    ]) {
      const plain = (await timed(`import asyncio\nasync def f():\n    raise ${raised}\nasync def main():\n    try:\n        await asyncio.create_task(f())\n    except Exception:\n        pass\nasyncio.run(main())\n`)).trace;
      expect(plain.events.find((e) => e.kind === 'done' && e.outcome === 'exception')).toMatchObject({ text });
    }
    await expectNextRunWorks();
  });

  it('a task’s result is shown without running the program’s code, and a huge one costs what its start does', async () => {
    // python3 (3.11) prints "got result" alone, exit 0, for each: it calls nothing of a task's
    // result to finish the task. The tracer called its __repr__ for the Done card, so a print
    // there came out where python3 is silent, and one that looped ran into the step budget.
    const returning = (value: string, before = '') =>
      `import asyncio\n${before}\nasync def work():\n    return ${value}\nasync def main():\n    t = asyncio.create_task(work())\n    await t\n    print("got result")\nasyncio.run(main())\n`;
    const resultText = (trace: Trace) => {
      const done = trace.events.find((e) => e.kind === 'done'); // work() ends first
      return done?.kind === 'done' ? done.text : undefined;
    };
    const loud = 'class Loud:\n    def __repr__(self):\n        print("repr ran")\n        while True:\n            pass';
    for (const [value, text] of [['Loud()', '<Loud object>'], ['[Loud(), {1: Loud()}]', '[<Loud object>, {1: <Loud object>}]']] as const) {
      const { trace } = await timed(returning(value, loud), { maxSteps: 5_000 });
      expect([trace.end.status, streamText(trace, 'stdout')]).toEqual(['ok', 'got result\n']);
      expect(resultText(trace)).toBe(text);
    }
    // CPython's own values keep CPython's repr: this text is python3's repr of the same list.
    const plain = "[1, 'Ada', b'\\x00b', 3.5, None, True, (1,), (), set(), frozenset({1}), {1: [2, (3,)]}, ValueError('bad'), KeyError(), range(0, 3), bytearray(b'z')]";
    expect(resultText((await timed(returning(plain))).trace)).toBe(plain);
    // The standard library's dates, times, Decimal and Fraction too (python3's repr of the same
    // list), and Ellipsis; a datetime whose tzinfo is the program's is named by its type, its
    // zone's __repr__ (which prints) not run.
    for (const stdlib of [
      "[datetime.datetime(2024, 1, 2, 3, 4, 5), datetime.date(2024, 1, 2), datetime.timedelta(seconds=90), Decimal('1.50'), Ellipsis]",
      '[datetime.datetime(2024, 1, 2, 0, 0, tzinfo=datetime.timezone.utc), Fraction(3, 4), datetime.time(1, 2)]',
    ]) {
      const value = stdlib.replace("Decimal('1.50')", "decimal.Decimal('1.50')").replace('Fraction(3, 4)', 'fractions.Fraction(3, 4)').replace('Ellipsis', '...');
      expect(resultText((await timed(returning(value, 'import datetime, decimal, fractions'))).trace)).toBe(stdlib);
    }
    const zone = 'import datetime\nclass Zone(datetime.tzinfo):\n    def __repr__(self):\n        print("Zone.__repr__ ran")\n        return "Zone()"';
    const zoned = (await timed(returning('datetime.datetime(2024, 1, 2, tzinfo=Zone())', zone))).trace;
    expect([resultText(zoned), streamText(zoned, 'stdout')]).toEqual(['<datetime object>', 'got result\n']);
    // A str that holds a repr shows the run's stand-in for its address, the same on every run.
    const held = resultText((await timed(returning('repr(A())', 'class A:\n    pass'))).trace);
    expect(held).toMatch(/^'<__main__\.A object at 0x7f4c[0-9a-f]{8}>'$/);
    // A result of a million items is cut at 200 characters, having read only its first ones.
    const huge = resultText((await timed(returning('list(range(1_000_000))'))).trace);
    expect([huge?.length, huge?.startsWith('[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, '), huge?.endsWith('…')]).toEqual([200, true, true]);
    await expectNextRunWorks();
  });

  it('130,000 objects each printing as they are dropped at the end: the first 10,000 characters are kept, and the run ends well', async () => {
    // python3 (3.11) prints "made" and "closed" 130,000 times, exit 0. Loop Lab keeps
    // TEARDOWN_CHARS of what is printed at the end; each print past it sent an empty chunk, and
    // the run passed the most messages the host takes (damaged).
    const { trace } = await timed('class Conn:\n    def __del__(self):\n        print("closed")\nconns = [Conn() for _ in range(130_000)]\nprint("made")\n');
    expect([trace.end.status, trace.end.exitCode]).toEqual(['ok', 0]);
    expect(streamText(trace, 'stdout')).toBe(`made\n${'closed\n'.repeat(130_000)}`.slice(0, 5 + 10_000));
    await expectNextRunWorks();
  });

  it('a __del__ that never returns, at the program’s end: what it printed before is kept, and the run ends for time', async () => {
    // python3 prints "done" and then hangs. The run's output and last event were held back until
    // teardown was over, which it never was: the host ended the run with nothing of it.
    const { trace } = await timed('class D:\n    def __del__(self):\n        print("del starts")\n        while True: pass\nd = D()\nprint("done")\n');
    expect(streamText(trace, 'stdout')).toBe('done\ndel starts\n'); // as python3 prints it before it hangs
    expect(last(trace)).toMatchObject({ kind: 'limit', reason: 'time' });
    await expectNextRunWorks();
  });

  it('a __del__ printing in an endless loop at the program’s end is ended, as one that prints nothing is, not kept to the whole allowance', async () => {
    // python3 hangs there. The teardown's heartbeat (recorder.py, TEARDOWN_HEARTBEAT_SECONDS) told
    // the host it was at work for as long as it printed: 123 s here before (a reviewer's).
    const { trace } = await timed('class A:\n    def __del__(self):\n        n = 0\n        while True:\n            n += 1; print("x", n)\na = A(); print("main done")\n');
    const limit = last(trace);
    expect(limit).toMatchObject({ kind: 'limit', reason: 'time' });
    // Ended by the host's silence, not its whole allowance: the teardown's heartbeat stops after
    // TEARDOWN_HEARTBEAT_SECONDS (15 s, recorder.py), then the host waits the silence it states
    // (8 s, scaled by the machine's speed: up to 64 s on a busy one). So the bound is the one the
    // message gives, plus 10 s for the start and the program's first prints, not a fixed figure.
    const message = limit?.kind === 'limit' ? limit.message : '';
    const silence = /after ([\d.]+) seconds without a single step/.exec(message);
    expect(silence, message).not.toBeNull();
    expect(trace.end.wallMs).toBeLessThan((15 + Number(silence?.[1]) + 10) * 1000);
    expect(streamText(trace, 'stdout').startsWith('main done\nx 1\nx 2\n')).toBe(true);
    await expectNextRunWorks();
  });

  it('a program that changes sys.monitoring.events changes its own copy: the run ends as python3’s', async () => {
    // python3.13: 'main done', exit 0. Before (a reviewer's): the runner read the real events
    // again after the program, registered a callback for event 0, and the run crashed.
    const { trace } = await timed('import sys\nsys.monitoring.events.LINE = 0\nprint("main done", sys.monitoring.events.LINE)\n');
    expect(streamText(trace, 'stdout')).toBe('main done 0\n');
    expect([trace.end.status, trace.end.exitCode]).toEqual(['ok', 0]);
  });

  it('a task failing with a 20 MB message: its Done card keeps 2,000 characters of it', async () => {
    const { trace } = await timed(
      'import asyncio\nasync def fail():\n    raise ValueError("y" * 20_000_000)\nasync def main():\n    t = asyncio.create_task(fail())\n    try:\n        await t\n    except ValueError:\n        print("caught")\nasyncio.run(main())\n',
    );
    const done = trace.events.find((e) => e.kind === 'done' && e.outcome === 'exception');
    expect(done?.kind === 'done' ? done.text : '').toBe(`ValueError: ${'y'.repeat(1988)}… (19,998,012 more characters)`);
    expect(streamText(trace, 'stdout')).toBe('caught\n');
  });

  it('a class or task named with 5,000 and 10,000 characters: the run is whole, the names cut to 4,096 with a mark', async () => {
    const named = await timed('E = type("E" * 5000, (Exception,), {})\nraise E("boom")\n');
    const end = last(named.trace);
    expect(named.trace.end.status).not.toBe('crashed');
    expect(end?.kind === 'exception' ? end.type : '').toBe(`${'E'.repeat(4095)}…`);
    const tasks = await timed(
      'import asyncio\nasync def w():\n    await asyncio.sleep(0)\nasync def main():\n    t = asyncio.create_task(w(), name="n" * 10000)\n    await t\n    t.set_name("m" * 10000)\n    print("ok")\nasyncio.run(main())\n',
    );
    expect(streamText(tasks.trace, 'stdout')).toBe('ok\n');
    expect(tasks.trace.tasks.map((t) => t.name)).toContain(`${'n'.repeat(4095)}…`);
    expect(tasks.trace.events.some((e) => e.kind === 'rename' && e.name === `${'m'.repeat(4095)}…`)).toBe(true);
  });

  it('a syntax error names its line', async () => {
    const { trace } = await timed('print("ok")\ndef broken(:\n    pass\n');
    expect(trace.events.find((e) => e.kind === 'exception')).toMatchObject({ type: 'SyntaxError', line: 2 });
    expect(streamText(trace, 'stderr')).toMatch(/File "main.py", line 2/);
    expect(trace.end.exitCode).toBe(1);
    await expectNextRunWorks();
  });

  it('a program’s own sys.monitoring tool cannot take Loop Lab’s tools (3 and 4): changing them is refused in words that say which it may use', async () => {
    // Before, a program could switch off the tracer's line events, or replace its callbacks.
    const { trace } = await timed(
      [
        'import sys',
        'mon = sys.monitoring',
        'print(mon.get_tool(3), mon.get_tool(4))',
        'for call in (lambda: mon.use_tool_id(4, "mine"), lambda: mon.register_callback(4, mon.events.LINE, print),',
        '             lambda: mon.set_events(3, 0), lambda: mon.set_local_events(4, (lambda: 0).__code__, 0),',
        '             lambda: mon.free_tool_id(4), lambda: mon.clear_tool_id(3)):',
        '    try:',
        '        call()',
        '    except ValueError as error:',
        '        print(error)',
        'print(mon.register_callback.__name__, mon.set_events.__module__)',
        'for i in range(3):',
        '    pass',
        '',
      ].join('\n'),
    );
    const refused = 'is in use by Loop Lab, which traces the program: a program may use tools 0, 1, 2 and 5';
    expect(streamText(trace, 'stdout')).toBe(
      ['looplab-foreign looplab', 'tool 4 is already in use', ...[4, 3, 4, 4, 3].map((tool) => `tool ${tool} ${refused}`), 'register_callback sys.monitoring', ''].join('\n'),
    );
    expect(trace.end.status).toBe('ok');
    // Its line events were never switched off: the loop's lines are steps, as many as in a
    // program that never touched sys.monitoring.
    const { trace: control } = await timed('for i in range(3):\n    pass\n');
    const steps = (t: Trace, line: number): number => t.events.filter((e) => e.kind === 'line' && e.line === line).length;
    expect([steps(trace, 12), steps(trace, 13)]).toEqual([steps(control, 1), steps(control, 2)]);
    expect(steps(control, 2)).toBe(3);
  });

  it('a deadlock right after a watchdog fired on a task already done is a deadlock, not a damaged trace', async () => {
    // A reviewer of 25d49b5: the watchdog's step (`t.cancel` on a finished task) has no end in
    // the trace, and the host took the deadlock after it for one with a step still running.
    const { trace } = await timed(
      [
        'import asyncio',
        'async def work():',
        '    await asyncio.sleep(1)',
        '    print("work done")',
        'async def main():',
        '    t = asyncio.create_task(work())',
        '    asyncio.get_running_loop().call_later(2, t.cancel)  # a watchdog',
        '    await t',
        '    await asyncio.Event().wait()',
        'asyncio.run(main())',
        '',
      ].join('\n'),
    );
    expect(streamText(trace, 'stdout')).toBe('work done\n');
    expect(last(trace)).toMatchObject({ kind: 'limit', reason: 'deadlock', message: expect.stringMatching(/Task-1 waits on Event\.wait\(\), line 9\./) });
    // The watchdog is a callback (Task.cancel), not the task it cancels: that task, done, is not
    // shown running at the end (it was, with no end, when any of a task's methods was its step).
    expect(trace.callbacks.map((c) => c.label)).toContain('Task.cancel');
    expect(replay(trace, () => undefined).running).toBeNull();
  });

  it('an uncaught exception, or sys.exit with a message, right at the most events a run keeps: its traceback shown, never a crash', async () => {
    // The recorder is read only to land on that boundary. Before, the traceback's own output
    // event passed the events limit inside the tracer's report, and the run ended as crashed.
    const landing = [
      'import sys',
      'rec = sys.stdout._rec',
      'while rec.event_count < rec.max_events:',
      '    print("a", file=sys.stderr if rec.event_count % 2 else sys.stdout)',
    ];
    const raised = (await timed([...landing, 'raise ValueError("at the event budget")', ''].join('\n'))).trace;
    expect(raised.end.status).toBe('error');
    expect(last(raised)).toMatchObject({ kind: 'exception', type: 'ValueError', message: 'at the event budget' });
    expect(streamText(raised, 'stderr')).toMatch(/ValueError: at the event budget\n$/);
    // What a __del__ prints as the program goes, past that most, is kept (a reviewer's: the run
    // was refused as damaged, its summary "limited" with no limit in its trace).
    const farewell = (await timed(['class Farewell:', '    def __del__(self):', '        print("bye from __del__")', 'keep = Farewell()', ...landing, ''].join('\n'))).trace;
    expect(farewell.end.status).toBe('ok');
    expect(streamText(farewell, 'stdout')).toMatch(/\nbye from __del__\n$/);
    const exited = (await timed([...landing, 'sys.exit("bye")', ''].join('\n'))).trace;
    expect(exited.end).toMatchObject({ status: 'error', exitCode: 1 });
    expect(streamText(exited, 'stderr')).toMatch(/\nbye\n$/);
  });

  it('an empty file runs and ends at once', async () => {
    const { trace } = await timed('');
    expect(trace.end.status).toBe('ok');
    expect(streamText(trace, 'stdout')).toBe('');
  });

  it('a 1 MB source file', async () => {
    const filler = '# ' + 'x'.repeat(97) + '\n';
    const source = filler.repeat(10_500) + 'import asyncio\nasync def main():\n    print("big file ran")\nasyncio.run(main())\n';
    expect(source.length).toBeGreaterThan(1_000_000);
    const { trace } = await timed(source);
    expect(streamText(trace, 'stdout')).toBe('big file ran\n');
  });

  it('a file that is not UTF-8 gets Python\'s message, with its line', () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('print("ok")\nprint("caf'), 0xe9, ...new TextEncoder().encode('")\n')]);
    const decoded = decodeSource(bytes, 'latin1.py');
    expect(decoded.ok).toBe(false);
    expect(!decoded.ok && decoded.message).toMatch(/Non-UTF-8 code starting with '\\xe9' in file latin1.py on line 2/);
    // A surrogate, overlong forms, a code point past U+10FFFF and a cut sequence are not UTF-8
    // either: each message names the byte and line python3 (3.11) names for the same file
    // (`x = 1\ns = '…'\n`), not a later byte that JavaScript's decoder also refuses.
    for (const sequence of [[0xed, 0xa0, 0x80], [0xe0, 0x80, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf0, 0x80, 0x80, 0x80], [0xe2, 0x82]]) {
      const file = new Uint8Array([...new TextEncoder().encode("x = 1\ns = '"), ...sequence, ...new TextEncoder().encode("'\nprint('\xff')\n"), 0xff]);
      const refused = decodeSource(file, 'u.py');
      const hex = sequence[0]!.toString(16);
      expect(!refused.ok && refused.message).toMatch(new RegExp(`^SyntaxError: Non-UTF-8 code starting with '\\\\x${hex}' in file u.py on line 2, but no encoding declared`));
    }
    // Lines ended by \r alone (old Mac files) and by \r\n count as python3 counts them: line 3 here.
    for (const ending of ['\r', '\r\n']) {
      const file = new Uint8Array([...new TextEncoder().encode(`x = 1${ending}y = 2${ending}# `), 0xe9, ...new TextEncoder().encode(ending)]);
      const refused = decodeSource(file, 'cr.py');
      expect(!refused.ok && refused.message).toMatch(/^SyntaxError: Non-UTF-8 code starting with '\\xe9' in file cr\.py on line 3,/);
    }
    const good = decodeSource(new TextEncoder().encode('\uFEFFprint(1)\n'), 'bom.py');
    expect(good).toEqual({ ok: true, text: 'print(1)\n' });
  });

  it('a coding declaration is honoured as python3 honours it (PEP 263), and refused in its words', () => {
    // Each file's bytes, and what python3 (3.11) printed running it, or its SyntaxError.
    const bytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
    const read = (text: string): string => {
      const decoded = decodeSource(bytes(text), 'c.py');
      return decoded.ok ? decoded.text : decoded.message;
    };
    expect(read('# -*- coding: latin-1 -*-\nprint("caf\xe9")\n')).toBe('# -*- coding: latin-1 -*-\nprint("café")\n');
    expect(read('#!/usr/bin/env python3\n# vim: set fileencoding=iso-8859-15 :\nprint("\xa4 euro")\n')).toMatch(/print\("€ euro"\)/);
    expect(read('# coding=cp1252\nprint("\x80 \x93q\x94")\n')).toMatch(/print\("€ “q”"\)/);
    // Declared Latin-1, written in UTF-8: python3 prints mojibake, as the file says.
    expect(read('# coding: latin-1\nprint("caf\xc3\xa9")\n')).toMatch(/print\("cafÃ©"\)/);
    // Only on line 1, or on line 2 after a comment or a blank line.
    expect(read('x = 1\n# coding: latin-1\nprint("caf\xe9")\n')).toMatch(/^SyntaxError: Non-UTF-8 code starting with '\\xe9' in file c\.py on line 3/);
    expect(read('# coding: ascii\nprint("caf\xe9")\n')).toBe("SyntaxError: 'ascii' codec can't decode byte 0xe9 in position 26: ordinal not in range(128)");
    expect(read('# coding: cp1252\nprint("\x81")\n')).toBe("SyntaxError: 'charmap' codec can't decode byte 0x81 in position 24: character maps to <undefined>");
    expect(read('\xef\xbb\xbf# coding: latin-1\nprint(1)\n')).toBe('SyntaxError: encoding problem: iso-8859-1 with BOM');
    expect(read('# coding: foo-bar\nprint(1)\n')).toMatch(/^SyntaxError: unknown encoding: foo-bar/);
    expect(read('\xef\xbb\xbf# coding: utf-8\nprint("\xc3\xa9")\n')).toBe('# coding: utf-8\nprint("é")\n');
  });
});

describe('a source too big for the interpreter', () => {
  it('breaks the run as the program’s, after the run said it began: never taken for a damaged snapshot', { timeout: 120_000 }, async () => {
    // 90 MB of source ran out of memory as the tracer split it into lines, before its first
    // chunk: the host took the failure for a snapshot that broke in Loop Lab's own start of the
    // run (supervisor.ts, run.chunks === 0), refused the shipped snapshot in the CLI's cache
    // folder and ran the program again, cold. Here the split's MemoryError is made to happen at
    // once, in an interpreter of this process reached past the engine's privacy: the tracer's
    // split is replaced by C functions that run out of memory as it would (the source repeated
    // 2**27 times), so that no frame but the tracer's own is under the error (the tracer's
    // trust in its code, by identity, can no longer be extended to code made later: attack 61).
    const engine = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL: new URL('../out/pyodide/python_stdlib.zip', import.meta.url).pathname });
    const pyodide = (engine as unknown as { pyodide: PyodideAPI }).pyodide;
    pyodide.runPython(`
import functools, operator
import _looplab.runner as _runner
_runner.source_lines = functools.partial(operator.mul, 2**27)
`);
    const decoder = new WireDecoder();
    const chunks: TraceEvent[][] = [];
    const summary = engine.run('print("never")\n', 'main.py', { wallSeconds: 40 }, (wire, lines) => {
      chunks.push(decoder.decode(wire, lines).events);
    });
    // The first chunk, empty, is what tells the host the program began; it came first.
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks[0]).toEqual([]);
    const events = [...chunks.flat(), ...decoder.decode(summary.wire, summary.lines).events];
    // As the compiler's MemoryError is shown: the program's error, exit 1, and none of its lines ran.
    expect(summary.status).toBe(1);
    expect(streamText({ events } as unknown as Trace, 'stderr')).toBe('MemoryError\n');
    expect(events.filter((e) => e.kind === 'line')).toEqual([]);
    expect(events.at(-1)).toMatchObject({ kind: 'exception', type: 'MemoryError' });
  });
});
