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

// Steps 3 and 4 as regular expressions, as compare-output.ts had them until they were written by
// hand (their backtracking was quadratic in a run without spaces). The hand-written passes must
// find exactly what these find; they are run here on short texts only.
const REFERENCE_STDLIB = /(?:[A-Za-z]:)?(?:[\\/][^\s'"\\/]+)*[\\/]python3(?:\.?\d+)?(?:\.zip)?[\\/]/g;
function referencePaths(text: string, program: string): string {
  const base = program.split(/[\\/]/).pop() ?? program;
  const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const programPath = new RegExp(`(?<![\\w.-])(?:[A-Za-z]:)?(?:[^\\s'"<>:]*[\\\\/])?${escaped}(?![\\w.-])`, 'g');
  return text.replace(REFERENCE_STDLIB, '<stdlib>/').replace(programPath, '<program>');
}

describe('normalizeOutput: install paths and the program path, at their edges', () => {
  const cases: [string, string][] = [
    // Windows drives, either separator; what follows the folder keeps its own separators.
    ['C:\\tools\\python311\\asyncio\\runners.py', '<stdlib>/asyncio\\runners.py'],
    ['C:/Python/python3.14/asyncio/runners.py', '<stdlib>/asyncio/runners.py'],
    ['C:\\Users\\ann\\lessons\\main.py:7: RuntimeWarning', '<program>:7: RuntimeWarning'],
    ['C:main.py', '<program>'],
    ['file:///home/ann/main.py', 'file:<program>'],
    // Paths inside quotes; a quote, a space or an empty name (`//`) ends the folders before.
    ['  File "/home/ann/main.py", line 3', '  File "<program>", line 3'],
    ["from '/usr/lib/python3.11/asyncio/__init__.py'", "from '<stdlib>/asyncio/__init__.py'"],
    ['"/a/b\'/python3.11/x"', '"/a/b\'<stdlib>/x"'],
    ['/a b/python3.11/x', '/a b<stdlib>/x'],
    ['/a//python3/x', '/a/<stdlib>/x'],
    ['"/a b/main.py"', '"/a <program>"'],
    // Which folders are the standard library's.
    ['/lib/python3.14/asyncio', '<stdlib>/asyncio'],
    ['/lib/python314.zip/asyncio', '<stdlib>/asyncio'],
    ['/lib/python3.14.zip/asyncio', '<stdlib>/asyncio'],
    ['/lib/python3/asyncio', '<stdlib>/asyncio'],
    ['/lib/python3./asyncio', '/lib/python3./asyncio'],
    ['/lib/python3x/asyncio', '/lib/python3x/asyncio'],
    ['/lib/python2.7/asyncio', '/lib/python2.7/asyncio'],
    ['/lib/python3.14', '/lib/python3.14'],
    ['/a/python3.11/b/python3.12/x', '<stdlib>/x'],
    // The program's name inside a longer one is another file's.
    ['xmain.py main.pyx main.py.bak -main.py my_main.py main.py-2', 'xmain.py main.pyx main.py.bak -main.py my_main.py main.py-2'],
    ['(main.py) <main.py> +main.py', '(<program>) <<program>> +<program>'],
    ['/a/main.py/main.py', '<program>'],
    // At the text's start and end.
    ['main.py', '<program>'],
    ['/home/ann/main.py', '<program>'],
    ['/lib/python3/', '<stdlib>/'],
    ['x/lib/python3/', 'x<stdlib>/'],
  ];
  for (const [text, wanted] of cases) {
    it(JSON.stringify(text), () => {
      expect(normalizeOutput(text, 'main.py')).toBe(wanted);
      expect(referencePaths(text, 'main.py')).toBe(wanted);
    });
  }

  it('finds what the regular expressions found, on generated texts', () => {
    const pieces = ['/', '\\', '/', '//', 'C:', 'c', ':', 'python3', 'python3.11', 'python314', 'python314.zip', 'python3.', '.zip', '.', '1',
      'x', 'lib', ' ', '\u00a0', '\u2028', "'", '"', '<', '>', '-', '_', 'main.py', 'main', '.py', '+', 'a b.py', '\n'];
    const programs = ['main.py', '/work/lessons/01-x/main.py', 'C:x.py', 'a b.py', 'c', '.py', 'python3'];
    let seed = 20261206;
    const random = (below: number): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return Math.floor((seed / 2147483648) * below);
    };
    for (let k = 0; k < 20_000; k++) {
      let text = '';
      for (let j = 1 + random(20); j > 0; j--) text += pieces[random(pieces.length)];
      const program = programs[random(programs.length)]!;
      expect(normalizeOutput(text, program), JSON.stringify([text, program])).toBe(referencePaths(text, program));
    }
  }, 60_000);

  it('takes as spaces what \\s takes, every UTF-16 unit', () => {
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      if (ch === '\n' || ch === '\r') continue; // lines; tested above
      const text = `/a${ch}b/python3/x ${ch}/c${ch}/main.py`;
      const got = normalizeOutput(text, 'main.py');
      if (got !== referencePaths(text, 'main.py')) expect(got, `U+${c.toString(16)}`).toBe(referencePaths(text, 'main.py'));
    }
  }, 60_000);

  it('normalizes texts of 2,000,000 characters that the regular expressions took minutes over', () => {
    // Each was quadratic with the regular expressions: ~1 s at 40,000 characters, 16 s at 160,000.
    const plus = '+'.repeat(2_000_000 - 8);
    expect(normalizeOutput(`${plus}/main.py`, 'main.py')).toBe('<program>');
    expect(normalizeOutput(`${plus} python3 main.py`, 'main.py')).toBe(`${plus} python3 <program>`);
    const slashA = '/a'.repeat(1_000_000);
    expect(normalizeOutput(`${slashA}/python3.14/x`, 'main.py')).toBe('<stdlib>/x');
    expect(normalizeOutput(`${slashA}/python3 main.pyc`, 'main.py')).toBe(`${slashA}/python3 main.pyc`);
    expect(normalizeOutput('/python3'.repeat(250_000), 'main.py')).toBe('<stdlib>/python3');
    expect(normalizeOutput(' main.py'.repeat(250_000), 'main.py')).toBe(' <program>'.repeat(250_000));
    expect(normalizeOutput('/main.pyc'.repeat(222_222), 'main.py')).toBe('/main.pyc'.repeat(222_222));
    expect(normalizeOutput('C:/main.py '.repeat(181_818), 'main.py')).toBe('<program> '.repeat(181_818));
  }, 120_000); // a guard against a hang on a shared machine, not a measure
});
