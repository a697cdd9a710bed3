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

const ADDRESS = /0x[0-9a-fA-F]+/g;
const FRAME = /^\s+File "([^"]*)", line (\d+)(?:, in (.*))?$/;
const TRACEBACK = 'Traceback (most recent call last):';

// Steps 3 and 4 are done by hand, each in one pass over the text, without regular expressions.
// They used to be
//   STDLIB      /(?:[A-Za-z]:)?(?:[\\/][^\s'"\\/]+)*[\\/]python3(?:\.?\d+)?(?:\.zip)?[\\/]/g
//   programPath /(?<![\w.-])(?:[A-Za-z]:)?(?:[^\s'"<>:]*[\\/])?BASE(?![\w.-])/g   (BASE: the file name, escaped)
// whose backtracking took time quadratic in the length of a run without spaces: 40,000 `+` took
// ~1.1 s, 160,000 took 16 s (`/a` 22 s), on the page's main thread, for any output a lesson pack's
// program prints or its `.out` file holds. The functions below find exactly what those found: the
// same leftmost match at each place, the same greedy choice within it (tests/lessons-compare-output
// compares them with those expressions on many generated texts).

const SLASH = 0x2f;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const DOT = 0x2e;

/** `\s` of a JavaScript regular expression (ECMA-262: WhiteSpace and LineTerminator), one UTF-16 unit. */
function isSpace(c: number): boolean {
  return (
    c === 0x20 || (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** `[\\/]`. */
function isSeparator(c: number): boolean {
  return c === SLASH || c === BACKSLASH;
}

/** `[A-Za-z]`: a Windows drive's letter. */
function isDriveLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

/** `\d` (ASCII digits only, as without the `u` flag). */
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** `[\w.-]`: a character that may continue a file name (the program's name must not touch one). */
function isNameChar(c: number): boolean {
  return isDriveLetter(c) || isDigit(c) || c === 0x5f || c === DOT || c === 0x2d;
}

/** `[^\s'"\\/]`: a character of one folder's name in a standard-library path. */
function isFolderNameChar(c: number): boolean {
  return !isSpace(c) && c !== 0x27 && c !== 0x22 && !isSeparator(c);
}

/** `[^\s'"<>:]`: a character of the folders before the program's name. */
function isProgramFolderChar(c: number): boolean {
  return !isSpace(c) && c !== 0x27 && c !== 0x22 && c !== 0x3c && c !== 0x3e && c !== COLON;
}

/** Is text[from, to) a standard-library folder's name, `python3(\.?\d+)?(\.zip)?` (python3, python3.11, python311, python314.zip)? */
function isStdlibFolder(text: string, from: number, to: number): boolean {
  if (to - from < 7 || !text.startsWith('python3', from)) return false;
  let i = from + 7;
  if (text.charCodeAt(i) === DOT && i + 1 < to && isDigit(text.charCodeAt(i + 1))) i++;
  while (i < to && isDigit(text.charCodeAt(i))) i++;
  return i === to || (to - i === 4 && text.startsWith('.zip', i));
}

/**
 * Step 3. A standard-library path is a separator, then folder names each followed by a separator
 * (`/root/.pyenv/versions/3.11.7/lib/`), the last of them a python3 folder (`python3.11/`), with a
 * drive (`C:`) before it or not. From its first separator the path takes in the last python3 folder
 * it can reach without meeting a space, a quote or an empty name (`//`): `/a/python3.11/b/python3.12/x`
 * becomes `<stdlib>/x`.
 */
function hideStdlibPaths(text: string): string {
  if (!text.includes('python3')) return text;
  const n = text.length;
  const parts: string[] = [];
  let copied = 0;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    let separator = -1;
    if (isSeparator(c)) separator = i;
    else if (isDriveLetter(c) && text.charCodeAt(i + 1) === COLON && isSeparator(text.charCodeAt(i + 2))) separator = i + 2;
    if (separator < 0) {
      i++;
      continue;
    }
    // Walk the folder names from this separator; `end` is just past the last python3 folder's separator.
    let end = -1;
    let at = separator;
    for (;;) {
      let next = at + 1;
      while (next < n && isFolderNameChar(text.charCodeAt(next))) next++;
      if (next === at + 1 || next >= n || !isSeparator(text.charCodeAt(next))) break;
      if (isStdlibFolder(text, at + 1, next)) end = next + 1;
      at = next;
    }
    if (end < 0) {
      // No separator up to `at` reaches a python3 folder either (each reaches a part of the same walk).
      i = at + 1;
      continue;
    }
    parts.push(text.slice(copied, i), '<stdlib>/');
    copied = i = end;
  }
  if (copied === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Where `word` starts in `text`, as flags indexed by position (Knuth–Morris–Pratt: linear in both lengths). */
function occurrences(text: string, word: string): Uint8Array {
  const at = new Uint8Array(text.length + 1);
  const m = word.length;
  if (m === 0) return at.fill(1);
  const border = new Int32Array(m);
  for (let i = 1, k = 0; i < m; i++) {
    while (k > 0 && word.charCodeAt(i) !== word.charCodeAt(k)) k = border[k - 1]!;
    if (word.charCodeAt(i) === word.charCodeAt(k)) k++;
    border[i] = k;
  }
  for (let i = 0, k = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    while (k > 0 && c !== word.charCodeAt(k)) k = border[k - 1]!;
    if (c === word.charCodeAt(k)) k++;
    if (k === m) {
      at[i - m + 1] = 1;
      k = border[m - 1]!;
    }
  }
  return at;
}

/**
 * Step 4. The program's path is its file name `base`, not touching a name character (`[\w.-]`)
 * on either side (`not_main.py`, `main.pyc` are other files), with before it, optionally, a drive
 * (`C:`) and folders: characters other than spaces, quotes, `<`, `>`, `:`, ending with a separator.
 * The folders reach as far as they can: to the last separator before an occurrence of `base` in
 * that stretch.
 */
function hideProgramPaths(text: string, base: string): string {
  if (!text.includes(base)) return text;
  const n = text.length;
  const m = base.length;
  const at = occurrences(text, base);
  /** `base` at `o`, with no name character after it. */
  const named = (o: number): boolean => at[o] === 1 && !isNameChar(text.charCodeAt(o + m));
  // The stretch of folder characters [from, to) last looked at, and its last separator before a `named`, or -1.
  let from = 0;
  let to = 0;
  let lastSeparator = -1;
  /** The last separator t in [p, end of p's stretch) with `named(t + 1)`, or -1. */
  const folderEnd = (p: number): number => {
    if (p < from || p >= to) {
      from = p;
      to = p;
      while (to < n && isProgramFolderChar(text.charCodeAt(to))) to++;
      lastSeparator = -1;
      for (let t = to - 1; t >= p; t--) {
        if (isSeparator(text.charCodeAt(t)) && named(t + 1)) {
          lastSeparator = t;
          break;
        }
      }
    }
    return lastSeparator >= p ? lastSeparator : -1;
  };
  const parts: string[] = [];
  let copied = 0;
  let p = 0;
  while (p <= n) {
    let end = -1;
    if (p === 0 || !isNameChar(text.charCodeAt(p - 1))) {
      if (isDriveLetter(text.charCodeAt(p)) && text.charCodeAt(p + 1) === COLON) {
        // `C:` then folders, `C:` then the name, or (the drive's letter and `:` being the name's start) the name.
        const t = folderEnd(p + 2);
        if (t >= 0) end = t + 1 + m;
        else if (named(p + 2)) end = p + 2 + m;
        else if (named(p)) end = p + m;
      } else {
        const t = folderEnd(p);
        if (t >= 0) end = t + 1 + m;
        else if (named(p)) end = p + m;
      }
    }
    if (end < 0) {
      p++;
      continue;
    }
    parts.push(text.slice(copied, p), '<program>');
    copied = end;
    // An empty match (only for an empty name) moves on by one character, as String.replace does.
    p = end > p ? end : p + 1;
  }
  if (parts.length === 0) return text;
  parts.push(text.slice(copied));
  return parts.join('');
}

/** Normalizes one program's output as described at the top of this file. */
export function normalizeOutput(text: string, program: string): string {
  const base = program.split(/[\\/]/).pop() ?? program;
  const lines = hideProgramPaths(hideStdlibPaths(text.replace(/\r\n/g, '\n').replace(ADDRESS, '0x…')), base).split('\n');
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
