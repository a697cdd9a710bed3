/**
 * What a program registers with `atexit` is called at its end, as python3 calls it: after its
 * main module ended and an uncaught exception's traceback is printed, last registered first,
 * before the exit's first collection (`Py_FinalizeEx`, Python/pylifecycle.c), an error in one
 * reported as "Exception ignored in atexit callback …" and the rest still called; and, being
 * the program's code, under its step budget.
 *
 * Every expected text here was printed by CPython 3.13.0 (`python3.13 main.py`, this machine's
 * pyenv), never by Loop Lab; object addresses differ from run to run, and are compared as
 * `0x…`. Where CPython 3.11.7 prints otherwise, the comment says so.
 */
import { describe, expect, it } from 'vitest';
import type { Trace } from '../src/shared/trace';
import { programRunner, streamText } from './corpus/harness';

const runLines = programRunner();
const run = (lines: string[], maxSteps?: number): Promise<Trace> => runLines(lines, maxSteps === undefined ? {} : { maxSteps });

const addressless = (text: string): string => text.replace(/ at 0x[0-9a-f]+/g, ' at 0x…');

describe('atexit functions', () => {
  it('are called at the end, last first, after asyncio.run and before the exit’s first collection', async () => {
    const trace = await run([
      'import asyncio, atexit, gc',
      '',
      'def bye(name):',
      '    print("bye", name)',
      '',
      'atexit.register(bye, "first")',
      'atexit.register(bye, "second")',
      '',
      'def boom():',
      '    raise ValueError("in atexit")',
      'atexit.register(boom)',
      '',
      'def cb(phase, info):',
      '    if phase == "stop": print("gc cb", info["collected"])',
      '',
      'async def main():',
      '    atexit.register(bye, "from a task")',
      '    await asyncio.sleep(0.1)',
      '    print("main done")',
      '',
      'asyncio.run(main())',
      'gc.callbacks.append(cb)',
      'print("end")',
    ]);
    // python3.13 and 3.11 (3.11 words the header "Exception ignored in atexit callback: <function …>").
    expect(streamText(trace, 'stdout')).toBe('main done\nend\nbye from a task\nbye second\nbye first\ngc cb 0\n');
    expect(addressless(streamText(trace, 'stderr'))).toBe(
      'Exception ignored in atexit callback <function boom at 0x…>:\n' +
        'Traceback (most recent call last):\n' +
        '  File "main.py", line 10, in boom\n' +
        '    raise ValueError("in atexit")\n' +
        'ValueError: in atexit\n',
    );
    expect([trace.end.status, trace.end.exitCode]).toEqual(['ok', 0]);
  });

  it('are called after an uncaught exception’s traceback, which stays the run’s end; one that exits is reported', async () => {
    const trace = await run([
      'import atexit, sys',
      'def a(): print("a runs")',
      'def b(): sys.exit(5)',
      'def c(): print("c", file=sys.stderr)',
      'atexit.register(a); atexit.register(b); atexit.register(c)',
      'atexit.register(print, "printed", "by", "print", sep="-")',
      'def reg():',
      '    print("reg runs"); atexit.register(lambda: print("late"))',
      'atexit.register(reg)',
      'print("main")',
      'raise RuntimeError("oops")',
    ]);
    // python3.13: the function registered while they are called ("late") is not called.
    expect(streamText(trace, 'stdout')).toBe('main\nreg runs\nprinted-by-print\na runs\n');
    expect(addressless(streamText(trace, 'stderr'))).toBe(
      'Traceback (most recent call last):\n' +
        '  File "main.py", line 11, in <module>\n' +
        '    raise RuntimeError("oops")\n' +
        'RuntimeError: oops\n' +
        'c\n' +
        'Exception ignored in atexit callback <function b at 0x…>:\n' +
        'Traceback (most recent call last):\n' +
        '  File "main.py", line 3, in b\n' +
        '    def b(): sys.exit(5)\n' +
        'SystemExit: 5\n',
    );
    expect(trace.events.at(-1)).toMatchObject({ kind: 'exception', type: 'RuntimeError' });
    expect(trace.end.exitCode).toBe(1);
  });

  it('leave the exit status of sys.exit as it was', async () => {
    const trace = await run(['import atexit, sys', 'atexit.register(print, "bye")', 'sys.exit(3)']);
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['bye\n', 3]); // python3.13
  });

  it('logging is shut down last, as python3’s import of asyncio registered it first: a MemoryHandler hands on its records', async () => {
    const trace = await run([
      'import asyncio, atexit, logging, logging.handlers, sys',
      'target = logging.StreamHandler(sys.stdout)',
      'mem = logging.handlers.MemoryHandler(100, flushLevel=logging.ERROR, target=target)',
      'log = logging.getLogger("app")',
      'log.addHandler(mem)',
      'log.setLevel(logging.INFO)',
      'log.info("buffered until exit")',
      'atexit.register(print, "program\'s atexit")',
      'print("main done")',
    ]);
    expect(streamText(trace, 'stdout')).toBe("main done\nprogram's atexit\nbuffered until exit\n"); // python3.13
  });

  it('run under the step budget: one that never returns ends there, and those after it are not called', async () => {
    const trace = await run(
      [
        'import atexit',
        'def spin():',
        '    n = 0',
        '    while True:',
        '        n += 1',
        'def after(): print("after spin")',
        'atexit.register(after)',
        'atexit.register(spin)',
        'print("main done")',
      ],
      20_000,
    );
    // python3.13 prints "main done" and never ends.
    expect(streamText(trace, 'stdout')).toBe('main done\n');
    const last = trace.events.at(-1);
    expect(last).toMatchObject({ kind: 'limit', reason: 'steps' });
    expect(last?.kind === 'limit' && last.message).toMatch(/20,000 lines, its step budget.*at line 5/);
  });

  it('code an atexit function compiles itself counts toward the budget too', async () => {
    const trace = await run(['import atexit', 'atexit.register(exec, "while True: pass")', 'print("main done")'], 20_000);
    expect(streamText(trace, 'stdout')).toBe('main done\n'); // python3.13: then never ends
    expect(trace.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'steps' });
  });

  it('see the uncaught exception in sys.last_exc and its kin, as python3 keeps it once its traceback is printed', async () => {
    const trace = await run([
      'import atexit, sys',
      'def show():',
      '    print("last:", repr(getattr(sys, "last_value", None)), repr(getattr(sys, "last_exc", None)), getattr(sys, "last_type", None))',
      '    tb = getattr(sys, "last_traceback", None)',
      '    print("tb line", tb and tb.tb_lineno)',
      'atexit.register(show)',
      'raise ValueError("boom")',
    ]);
    // python3.13; before (a reviewer's): 'last: None None None' and 'tb line None'.
    expect(streamText(trace, 'stdout')).toBe("last: ValueError('boom') ValueError('boom') <class 'ValueError'>\ntb line 7\n");
  });

  it('what the program printed is kept even if an atexit function breaks the interpreter', async () => {
    // atexit._run_exitfuncs registered with itself recurses in C until WebAssembly's stack runs
    // out (python3.13 prints 'end' and exits 0): the run is 'crashed', but 'end' is kept, where
    // before nothing printed was (a reviewer's).
    const trace = await run(['import atexit', 'atexit.register(atexit._run_exitfuncs)', 'print("end")']);
    expect(streamText(trace, 'stdout')).toBe('end\n');
  });
});
