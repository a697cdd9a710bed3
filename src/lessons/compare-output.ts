/**
 * Compares what a program printed in Loop Lab (CPython 3.14 in Pyodide) with what real CPython
 * printed when the lesson was recorded (`python3 FILE 2>&1`, 3.11 on the recording machine).
 *
 * Both texts are normalized, then compared line for line. Normalizing does exactly this:
 *
 * 1. Line endings: `\r\n` becomes `\n`.
 * 2. Object addresses: every `0x` followed by hex digits becomes `0x…`
 *    (`<coroutine object greet at 0x7f8842deb5e0>` → `<coroutine object greet at 0x…>`).
 * 3. Install paths: a path up to and including a `python3.11/`, `python311/`, `python314.zip/`
 *    (or similar) folder becomes `<stdlib>/`
 *    (`/usr/lib/python3.11/asyncio/__init__.py` and `/lib/python314.zip/asyncio/__init__.py`
 *    both become `<stdlib>/asyncio/__init__.py`).
 * 4. The program's own path: the program's file name with any folders before it
 *    (`/home/ann/lessons/06-run-inside-run/main.py`, `main.py`) becomes `<program>`.
 * 5. Tracebacks: from a line `Traceback (most recent call last):` up to the exception line
 *    (the next line that is not indented), only these are kept:
 *    - the header line itself;
 *    - the learner's own frames, as `  File "<program>", line N, in NAME`;
 *    - the exception line (`RuntimeError: asyncio.run() cannot be …`), and what follows it.
 *    Dropped: frames in any other file (the standard library, `<frozen …>`), the source lines
 *    printed under frames, caret and tilde lines (`^^^^`, `~~~^^^`), `...<N lines>...` and
 *    "Previous line repeated" notes. CPython 3.11 and 3.14 print those differently.
 *
 * Everything else, including blank lines and trailing spaces, must match exactly.
 */

export interface OutputDifference {
  /** 1-based, in the normalized texts. */
  line: number;
  expected: string | null;
  actual: string | null;
}

export interface OutputComparison {
  same: boolean;
  /** The two texts after normalizing. */
  expected: string;
  actual: string;
  /** The first line that differs, when they differ. */
  difference: OutputDifference | null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const ADDRESS = /0x[0-9a-fA-F]+/g;
const STDLIB = /(?:[A-Za-z]:)?(?:[\\/][^\s'"\\/]+)*[\\/]python3(?:\.?\d+)?(?:\.zip)?[\\/]/g;
const FRAME = /^\s+File "([^"]*)", line (\d+)(?:, in (.*))?$/;
const TRACEBACK = 'Traceback (most recent call last):';

/** Normalizes one program's output as described at the top of this file. */
export function normalizeOutput(text: string, program: string): string {
  const base = program.split(/[\\/]/).pop() ?? program;
  const programPath = new RegExp(`(?<![\\w.-])(?:[A-Za-z]:)?(?:[^\\s'"<>:]*[\\\\/])?${escapeRegExp(base)}(?![\\w.-])`, 'g');
  const lines = text
    .replace(/\r\n/g, '\n')
    .replace(ADDRESS, '0x…')
    .replace(STDLIB, '<stdlib>/')
    .replace(programPath, '<program>')
    .split('\n');
  const out: string[] = [];
  let inTraceback = false;
  for (const line of lines) {
    if (!inTraceback) {
      out.push(line);
      if (line.trimEnd() === TRACEBACK) inTraceback = true;
      continue;
    }
    if (/^\s/.test(line) || line === '') {
      // Inside the traceback: keep only the learner's own frames.
      const frame = FRAME.exec(line);
      if (frame && frame[1] === '<program>') {
        out.push(`  File "<program>", line ${frame[2]}${frame[3] !== undefined ? `, in ${frame[3]}` : ''}`);
      }
      continue;
    }
    // The first line that is not indented is the exception: the traceback ends.
    inTraceback = false;
    out.push(line);
  }
  return out.join('\n');
}

/** Compares the runtime's output (`actual`) with the recorded one (`expected`). */
export function compareOutput(actual: string, expected: string, program: string): OutputComparison {
  const a = normalizeOutput(actual, program);
  const e = normalizeOutput(expected, program);
  if (a === e) return { same: true, expected: e, actual: a, difference: null };
  const al = a.split('\n');
  const el = e.split('\n');
  let i = 0;
  while (i < al.length && i < el.length && al[i] === el[i]) i++;
  return {
    same: false,
    expected: e,
    actual: a,
    difference: { line: i + 1, expected: el[i] ?? null, actual: al[i] ?? null },
  };
}
