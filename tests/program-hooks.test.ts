/**
 * The program's own hooks (sys.settrace, sys.setprofile, sys.addaudithook: _looplab/hooks.py)
 * see and do what python3's do, and run counted: CPython calls them with the thread's tracing
 * off, where no sys.monitoring event fires, so Loop Lab now calls them through sys.call_tracing
 * and their lines are the program's steps (a hook's loop of 30,000,000 lines ran uncounted, a
 * reviewer's: attacks 64 to 67). An audit hook is handed the program's events only, in its own
 * run (attack 68).
 *
 * Every expected output and status is CPython 3.13.0's (`python3.13 main.py; echo $?`, this
 * machine's pyenv), its tracebacks' file name written as Loop Lab gives it (`main.py`, not the
 * absolute path python3.13 prints).
 */
import { describe, expect, it } from 'vitest';
import type { Trace } from '../src/shared/trace';
import { programRunner, streamText } from './corpus/harness';

const run = programRunner();

function expectOutput(trace: Trace, stdout: string, stderr: string, exitCode: number): void {
  expect(streamText(trace, 'stdout')).toBe(stdout);
  expect(streamText(trace, 'stderr')).toBe(stderr);
  expect(trace.end.exitCode).toBe(exitCode);
}

function hasLine(trace: Trace, line: number): boolean {
  return trace.events.some((event) => event.kind === 'line' && event.line === line);
}

describe("the program's own hooks", () => {
  it('trace and profile functions see what python3’s see (not their own calls), and their lines are steps', async () => {
    const trace = await run([
      "import sys",
      "",
      "",
      "def double(x):",
      "    y = 2 * x",
      "    return y",
      "",
      "",
      "def helper():",
      "    return 1",
      "",
      "",
      "calls = []",
      "",
      "",
      "def tracer(frame, event, arg):",
      "    calls.append((event, frame.f_code.co_name, frame.f_lineno))",
      "    helper()",
      "    return tracer",
      "",
      "",
      "sys.settrace(tracer)",
      "double(3)",
      "sys.settrace(None)",
      "print(calls)",
      "print(sys.gettrace())",
      "",
      "profiled = []",
      "",
      "",
      "def profiler(frame, event, arg):",
      "    profiled.append((event, frame.f_code.co_name))",
      "    helper()",
      "",
      "",
      "sys.setprofile(profiler)",
      "double(1)",
      "sys.setprofile(None)",
      "print(profiled)",
      "",
      "",
      "def bad(frame, event, arg):",
      "    if event == \"line\":",
      "        raise ValueError(\"from the trace function\")",
      "    return bad",
      "",
      "",
      "sys.settrace(bad)",
      "try:",
      "    double(2)",
      "except ValueError as exc:",
      "    print(\"caught:\", exc, sys.gettrace())"
    ]);
    expectOutput(
      trace,
      "[('call', 'double', 4), ('line', 'double', 5), ('line', 'double', 6), ('return', 'double', 6)]\n" +
        'None\n' +
        "[('call', 'double'), ('return', 'double'), ('c_call', '<module>')]\n" +
        'caught: from the trace function None\n',
      '',
      0,
    );
    // The trace function's and the profile function's own lines: recorded now, as steps.
    expect(hasLine(trace, 17)).toBe(true);
    expect(hasLine(trace, 32)).toBe(true);
  });

  it('audit hooks see the program’s events, raise into it, and one that raises after the program has ended leaves its end alone', async () => {
    const trace = await run([
      "import sys",
      "",
      "seen = []",
      "",
      "",
      "def hook(event, args):",
      "    if event.startswith(\"lesson.\"):",
      "        seen.append((event, args))",
      "    elif event == \"exec\":",
      "        seen.append((event, type(args[0]).__name__))",
      "",
      "",
      "sys.addaudithook(hook)",
      "sys.audit(\"lesson.start\", 1, \"two\")",
      "exec(\"x = 1\")",
      "print(seen)",
      "",
      "",
      "def strict(event, args):",
      "    if event == \"lesson.refused\":",
      "        raise PermissionError(\"refused by the hook\")",
      "",
      "",
      "sys.addaudithook(strict)",
      "try:",
      "    sys.audit(\"lesson.refused\")",
      "except PermissionError as exc:",
      "    print(\"caught:\", exc)",
      "",
      "",
      "def too_late(event, args):",
      "    if event.startswith(\"cpython.\") or event.startswith(\"lesson.\"):",
      "        raise RuntimeError(f\"too late for {event}\")",
      "",
      "",
      "sys.addaudithook(too_late)",
      "print(\"end\")"
    ]);
    // Before: too_late was called at Loop Lab's own last collection, after the run, and its
    // RuntimeError ended the run as crashed; python3.13 exits 0.
    expectOutput(trace, "[('lesson.start', (1, 'two')), ('exec', 'code')]\ncaught: refused by the hook\nend\n", '', 0);
    expect(hasLine(trace, 8)).toBe(true); // the hook's own line, a step
  });

  it('an error an audit hook raises is the program’s, its traceback as python3’s (no frame of Loop Lab’s)', async () => {
    const trace = await run([
      "import sys",
      "",
      "",
      "def strict(event, args):",
      "    if event == \"lesson.refused\":",
      "        raise PermissionError(\"refused by the hook\")",
      "",
      "",
      "sys.addaudithook(strict)",
      "print(\"before\")",
      "sys.audit(\"lesson.refused\", 42)",
      "print(\"not reached\")"
    ]);
    expectOutput(
      trace,
      'before\n',
      'Traceback (most recent call last):\n' +
        '  File "main.py", line 11, in <module>\n' +
        '    sys.audit("lesson.refused", 42)\n' +
        '    ~~~~~~~~~^^^^^^^^^^^^^^^^^^^^^^\n' +
        '  File "main.py", line 6, in strict\n' +
        '    raise PermissionError("refused by the hook")\n' +
        'PermissionError: refused by the hook\n',
      1,
    );
  });
  it('a trace or profile function left on to the program’s end sees none of Loop Lab’s end of the run, as python3’s sees nothing after it (a reviewer’s: the run ended “damaged”)', async () => {
    // python3.13: "call square", "9", status 0, for each. Before, the function was handed the
    // standard library's frames Loop Lab's own code called (its streams' io, the summary's
    // json), and its lines, counted, were recorded in the middle of the tracer's work.
    for (const set of ['settrace', 'setprofile']) {
      const trace = await run([
        'import sys',
        'def logger(frame, event, arg):',
        '    if event == "call":',
        '        print("call", frame.f_code.co_name)',
        '    return logger',
        'def square(x):',
        '    return x * x',
        `sys.${set}(logger)`,
        'print(square(3))',
      ]);
      expect(streamText(trace, 'stdout'), set).toBe('call square\n9\n');
      expect([trace.end.status, trace.end.exitCode], set).toEqual(['ok', 0]);
    }
  });
});
