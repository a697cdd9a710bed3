/**
 * Programs that misbehave, one of each kind issue 5 names: the e2e suite runs each in the app
 * (e2e/robustness.spec.ts) and the UI bench measures the longest frame while each runs.
 */

export interface BadProgram {
  name: string;
  source: string;
  /** What the banner (or, for plain errors, the console) must say. */
  says: RegExp;
  /** The banner, for programs Loop Lab ends; the console, for programs Python ends. */
  where: 'banner' | 'console';
  /** Opened from a file (Open…), as a learner would bring a big program, instead of typed in. */
  open?: boolean;
}

export const BAD_PROGRAMS: readonly BadProgram[] = [
  { name: 'a CPU loop with no await', source: 'n = 0\nwhile True: pass\n', says: /Step budget reached/, where: 'banner' },
  {
    name: 'endless virtual time',
    source: 'import asyncio\nasync def main():\n    while True:\n        await asyncio.sleep(1)\nasyncio.run(main())\n',
    // Each turn of the loop is a handful of loop events: the cap on events comes first.
    says: /Trace too long/,
    where: 'banner',
  },
  { name: 'endless printing', source: 'i = 0\nwhile True:\n    print("spam", i)\n    i += 1\n', says: /Output limit reached/, where: 'banner' },
  {
    name: 'memory growing without bound',
    source: 'hoard = []\nwhile True:\n    hoard.append(" " * 10_000_000)\n',
    says: /MemoryError/,
    where: 'banner',
  },
  { name: 'deep recursion', source: 'def down(n):\n    return down(n + 1)\n\ndown(0)\n', says: /RecursionError/, where: 'banner' },
  {
    name: 'a task that never finishes',
    source: 'import asyncio\nasync def main():\n    await asyncio.Event().wait()\nasyncio.run(main())\n',
    says: /Deadlock/,
    where: 'banner',
  },
  {
    name: 'a long operation inside C code',
    source: 'import re\nprint("before")\nre.match(r"(a+)+$", "a" * 40 + "b")\n',
    says: /stuck inside one long operation/,
    where: 'banner',
  },
  {
    name: 'an exception in a done callback',
    source:
      'import asyncio\ndef cb(t):\n    raise ValueError("boom in callback")\nasync def main():\n    t = asyncio.create_task(asyncio.sleep(0.1))\n    t.add_done_callback(cb)\n    await t\n    await asyncio.sleep(0)\nasyncio.run(main())\n',
    says: /Exception in callback cb/,
    where: 'console',
  },
  {
    name: 'a task exception never retrieved',
    source:
      'import asyncio\nasync def boom():\n    raise ValueError("nobody looked")\nasync def main():\n    t = asyncio.create_task(boom())\n    await asyncio.sleep(0.1)\n    del t\nasyncio.run(main())\n',
    says: /Task exception was never retrieved/,
    where: 'console',
  },
  {
    name: 'an exception with a 40 MB message',
    source: 'raise ValueError("x" * 40_000_000)\n',
    // The trace keeps 2,000 characters of it (recorder.py MESSAGE_CHARS), the banner 300
    // (run-end.ts BANNER_MESSAGE_CHARS); the traceback has more.
    says: /ValueError: x{300}… at line 1\./,
    where: 'banner',
  },
  {
    name: 'a task failing with a 20 MB message',
    source:
      'import asyncio\nasync def fail():\n    raise ValueError("y" * 20_000_000)\nasync def main():\n    t = asyncio.create_task(fail())\n    try:\n        await t\n    except ValueError:\n        print("caught")\nasyncio.run(main())\n',
    says: /caught/,
    where: 'console',
  },
  { name: 'a syntax error', source: 'print("ok")\ndef broken(:\n    pass\n', says: /SyntaxError/, where: 'banner' },
  { name: 'an empty file', source: '', says: /^$/, where: 'console' },
  {
    name: 'a 1 MB source file',
    source: `${`# ${'x'.repeat(97)}\n`.repeat(10_500)}print("big file ran")\n`,
    says: /big file ran/,
    where: 'console',
    open: true,
  },
];
