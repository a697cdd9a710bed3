/** Comparing Loop Lab's output with CPython's recording (src/lessons/compare-output.ts). */
import { describe, expect, it } from 'vitest';
import { compareOutput, normalizeOutput } from '../src/lessons/compare-output';

// What `python3 main.py 2>&1` printed for the tutorial's asyncio.run-inside-a-coroutine example
// (CPython 3.11, run in the lesson folder), and what Loop Lab's CPython 3.14 printed for it.
const CPYTHON_311 = `Traceback (most recent call last):
  File "/work/main/lessons/06-run-inside-run/main.py", line 9, in <module>
    asyncio.run(coro)#runtime error
    ^^^^^^^^^^^^^^^^^
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/asyncio/runners.py", line 190, in run
    return runner.run(main)
           ^^^^^^^^^^^^^^^^
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/asyncio/runners.py", line 118, in run
    return self._loop.run_until_complete(task)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/asyncio/base_events.py", line 653, in run_until_complete
    return future.result()
           ^^^^^^^^^^^^^^^
  File "/work/main/lessons/06-run-inside-run/main.py", line 7, in main
    asyncio.run(greet('John'))
  File "/root/.pyenv/versions/3.11.7/lib/python3.11/asyncio/runners.py", line 186, in run
    raise RuntimeError(
RuntimeError: asyncio.run() cannot be called from a running event loop
sys:1: RuntimeWarning: coroutine 'greet' was never awaited
`;

const PYODIDE_314 = `Traceback (most recent call last):
  File "main.py", line 9, in <module>
    asyncio.run(coro)#runtime error
    ~~~~~~~~~~~^^^^^^
  File "/lib/python314.zip/asyncio/runners.py", line 204, in run
    return runner.run(main)
           ~~~~~~~~~~^^^^^^
  File "/lib/python314.zip/asyncio/runners.py", line 127, in run
    return self._loop.run_until_complete(task)
           ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~^^^^^^
  File "/lib/python314.zip/asyncio/base_events.py", line 719, in run_until_complete
    return future.result()
           ~~~~~~~~~~~~~^^
  File "main.py", line 7, in main
    asyncio.run(greet('John'))
    ~~~~~~~~~~~^^^^^^^^^^^^^^^
  File "/lib/python314.zip/asyncio/runners.py", line 200, in run
    raise RuntimeError(
        "asyncio.run() cannot be called from a running event loop")
RuntimeError: asyncio.run() cannot be called from a running event loop
sys:1: RuntimeWarning: coroutine 'greet' was never awaited
`;

describe('normalizeOutput', () => {
  it('hides object addresses', () => {
    expect(normalizeOutput('<coroutine object greet at 0x7f8842deb5e0>\n', 'main.py')).toBe('<coroutine object greet at 0x…>\n');
  });

  it('hides where the standard library is installed', () => {
    const a = "<module 'asyncio' from '/root/.pyenv/versions/3.11.7/lib/python3.11/asyncio/__init__.py'>";
    const b = "<module 'asyncio' from '/lib/python314.zip/asyncio/__init__.py'>";
    const c = "<module 'asyncio' from '/usr/lib/python3.12/asyncio/__init__.py'>";
    const wanted = "<module 'asyncio' from '<stdlib>/asyncio/__init__.py'>";
    for (const text of [a, b, c]) expect(normalizeOutput(text, 'main.py')).toBe(wanted);
  });

  it("hides the program's own folder, wherever it appears", () => {
    expect(normalizeOutput('/home/ann/lessons/x/main.py:7: RuntimeWarning: oops\n', 'main.py')).toBe('<program>:7: RuntimeWarning: oops\n');
    expect(normalizeOutput('main.py:7: RuntimeWarning: oops\n', 'main.py')).toBe('<program>:7: RuntimeWarning: oops\n');
    // Other names that merely contain it are left alone.
    expect(normalizeOutput('not_main.py and main.pyc\n', 'main.py')).toBe('not_main.py and main.pyc\n');
  });

  it("keeps only a traceback's header, the learner's frames and the exception", () => {
    expect(normalizeOutput(CPYTHON_311, 'main.py')).toBe(
      [
        'Traceback (most recent call last):',
        '  File "<program>", line 9, in <module>',
        '  File "<program>", line 7, in main',
        'RuntimeError: asyncio.run() cannot be called from a running event loop',
        "sys:1: RuntimeWarning: coroutine 'greet' was never awaited",
        '',
      ].join('\n'),
    );
  });

  it('keeps syntax error frames, which have no function name', () => {
    const text = '  File "/tmp/main.py", line 3\n    print(\n         ^\nSyntaxError: \'(\' was never closed\n';
    expect(normalizeOutput(`Traceback (most recent call last):\n${text}`, 'main.py')).toBe(
      'Traceback (most recent call last):\n  File "<program>", line 3\nSyntaxError: \'(\' was never closed\n',
    );
  });

  it('handles chained exceptions, one traceback after another', () => {
    const text = [
      'Traceback (most recent call last):',
      '  File "main.py", line 2, in <module>',
      '    1 / 0',
      'ZeroDivisionError: division by zero',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "main.py", line 4, in <module>',
      '    raise ValueError("no")',
      'ValueError: no',
      '',
    ].join('\n');
    expect(normalizeOutput(text, 'main.py').split('\n')).toEqual([
      'Traceback (most recent call last):',
      '  File "<program>", line 2, in <module>',
      'ZeroDivisionError: division by zero',
      '',
      'During handling of the above exception, another exception occurred:',
      '',
      'Traceback (most recent call last):',
      '  File "<program>", line 4, in <module>',
      'ValueError: no',
      '',
    ]);
  });
});

describe('compareOutput', () => {
  it('finds CPython 3.11 and Loop Lab (3.14) alike on the tutorial traceback', () => {
    const result = compareOutput(PYODIDE_314, CPYTHON_311, 'main.py');
    expect(result.difference).toBeNull();
    expect(result.same).toBe(true);
  });

  it('finds a different exception, a different line of the learner, or one more line of output', () => {
    const cases: [string, number][] = [
      [PYODIDE_314.replace('RuntimeError: asyncio.run() cannot', 'RuntimeError: asyncio.run() will not'), 4],
      [PYODIDE_314.replace('File "main.py", line 7, in main', 'File "main.py", line 8, in main'), 3],
      [PYODIDE_314 + 'extra\n', 6],
    ];
    for (const [actual, line] of cases) {
      const result = compareOutput(actual, CPYTHON_311, 'main.py');
      expect(result.same).toBe(false);
      expect(result.difference?.line).toBe(line);
    }
  });

  it('reports the first differing line', () => {
    expect(compareOutput('a\nb\nc\n', 'a\nB\nc\n', 'main.py').difference).toEqual({ line: 2, expected: 'B', actual: 'b' });
    expect(compareOutput('a\n', 'a\nb\n', 'main.py').difference).toEqual({ line: 2, expected: 'b', actual: '' });
  });

  it('ignores Windows line endings, and nothing else', () => {
    expect(compareOutput('a\r\nb\r\n', 'a\nb\n', 'main.py').same).toBe(true);
    expect(compareOutput('a \n', 'a\n', 'main.py').same).toBe(false);
    expect(compareOutput('a\n', 'a', 'main.py').same).toBe(false);
  });
});
