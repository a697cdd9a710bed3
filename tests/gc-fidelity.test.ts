/**
 * The cyclic garbage collector as a program sees it: what `gc.collect()` counts, what
 * `gc.DEBUG_SAVEALL` hands it in `gc.garbage`, and what its `gc.callbacks` see, as the program
 * begins, after `asyncio.run` and as it exits. Loop Lab's tracer shares the program's
 * interpreter, so each of these once showed the tracer's own objects or order.
 *
 * Every expected text here was printed by CPython 3.13.0 (`python3.13 main.py`, this machine's
 * pyenv), never by Loop Lab; where CPython 3.11.7 prints otherwise, the comment says so.
 */
import { describe, expect, it } from 'vitest';
import type { Trace } from '../src/shared/trace';
import { programRunner, streamText } from './corpus/harness';

const run = programRunner();

describe('the cyclic garbage collector', () => {
  it('counts only the program’s own garbage, from its first collection on', async () => {
    const trace = await run([
      'import gc',
      '',
      '',
      'class Node:',
      '    pass',
      '',
      '',
      'a, b = Node(), Node()',
      'a.other, b.other = b, a',
      'del a, b',
      'print("two objects:", gc.collect())',
      '',
      'x, y, z = [], [], []',
      'x.append(y); y.append(z); z.append(x)',
      'del x, y, z',
      'print("three lists:", gc.collect())',
      '',
      '',
      'class Holder:',
      '    def __init__(self):',
      '        self.me = self',
      '        self.__dict__["spare"] = {"back": self}',
      '',
      '',
      'Holder()',
      'print("instance and dicts:", gc.collect())',
      '',
      'items = [1, 2]',
      'items.append(items)',
      'del items',
      'print("a list of itself:", gc.collect())',
      'print("nothing left:", gc.collect())',
    ]);
    // python3.13. (3.11 counts 3 for the Holder: its instance's __dict__ is a dict of its own
    // there; 3.13's and 3.14's live in the instance until asked for.)
    expect(streamText(trace, 'stdout')).toBe(
      'two objects: 2\nthree lists: 3\ninstance and dicts: 2\na list of itself: 1\nnothing left: 0\n',
    );
    expect(streamText(trace, 'stderr')).toBe('');
  });

  it('finds nothing of Loop Lab’s when the program begins, even with DEBUG_SAVEALL', async () => {
    const trace = await run([
      'import gc',
      'gc.set_debug(gc.DEBUG_SAVEALL)',
      'print(gc.collect(), gc.garbage)',
    ]);
    expect(streamText(trace, 'stdout')).toBe('0 []\n'); // python3.13 (and 3.11)
  });

  it('finds no event loop left in a cycle after asyncio.run, nor after a loop dropped unclosed', async () => {
    const trace = await run([
      'import asyncio',
      'import gc',
      '',
      '',
      'async def main():',
      '    await asyncio.sleep(0.1)',
      '    print("slept")',
      '',
      '',
      'asyncio.run(main())',
      'print("after asyncio.run:", gc.collect())',
      '',
      'gc.set_debug(gc.DEBUG_SAVEALL)',
      'asyncio.run(main())',
      'loop = asyncio.new_event_loop()',
      'loop.run_until_complete(main())',
      'del loop  # dropped without close(), as a careless program does',
      'print("after two more loops:", gc.collect())',
      'print("garbage kept:", sorted({type(o).__name__ for o in gc.garbage}))',
      'gc.set_debug(0)',
    ]);
    // python3.13 (and 3.11).
    expect(streamText(trace, 'stdout')).toBe(
      'slept\nafter asyncio.run: 0\nslept\nslept\nafter two more loops: 0\ngarbage kept: []\n',
    );
    expect(streamText(trace, 'stderr')).toBe('');
  });

  it('runs the collection python3 makes as it exits with the program’s globals and callbacks still there', async () => {
    const trace = await run([
      'import gc',
      '',
      'collections_seen = 0',
      'freed = []',
      '',
      '',
      'def count(phase, info):',
      '    global collections_seen',
      '    if phase == "stop":',
      '        collections_seen += 1',
      '        freed.append(info["collected"])',
      '        print(f"callback: {phase}, {len(freed)} so far")',
      '',
      '',
      'gc.callbacks.append(count)',
      '',
      '',
      'class Resource:',
      '    def __init__(self, name):',
      '        self.name = name',
      '        self.me = self',
      '',
      '    def __del__(self):',
      '        print(f"{self.name} released, {collections_seen} collections seen")',
      '',
      '',
      'Resource("first")',
      'gc.collect()',
      'Resource("second")  # left for the collection python3 makes as it exits',
      'print("end of the program")',
    ]);
    // python3.13 (and 3.11): Py_FinalizeEx (Python/pylifecycle.c) collects once with the
    // callbacks, before any module is torn down; its later collections call none.
    expect(streamText(trace, 'stdout')).toBe(
      'first released, 0 collections seen\ncallback: stop, 1 so far\nend of the program\n' +
        'second released, 1 collections seen\ncallback: stop, 2 so far\n',
    );
    expect(streamText(trace, 'stderr')).toBe('');
  });

  it('lets a __del__ run at exit read the module’s globals, as python3’s does', async () => {
    const trace = await run([
      'NAME = "the cache"',
      '',
      '',
      'class Entry:',
      '    def __init__(self, key, cyclic):',
      '        self.key = key',
      '        if cyclic:',
      '            self.me = self',
      '',
      '    def __del__(self):',
      '        print(f"{self.key} dropped from {NAME}")',
      '',
      '',
      'plain = Entry("plain", False)',
      'cyclic = Entry("cyclic", True)',
      'garbage = Entry("garbage", True)',
      'del garbage',
      'print("end")',
    ]);
    // python3.13 (and 3.11).
    expect(streamText(trace, 'stdout')).toBe(
      'end\ngarbage dropped from the cache\nplain dropped from the cache\ncyclic dropped from the cache\n',
    );
    expect(streamText(trace, 'stderr')).toBe('');
  });

  it('calls no gc callback a __del__ adds at exit (python3 calls none after its first exit collection)', async () => {
    // A reviewer's: Loop Lab's next collection called it, and one that never returned held the run 8 s.
    const trace = await run([
      'import gc',
      'def late(phase, info):',
      '    while True:',
      '        pass',
      'class A:',
      '    def __del__(self):',
      '        gc.callbacks.append(late)',
      'a = A()',
      'print("main done")',
    ]);
    // python3.13 and 3.11: "main done", exit 0 at once.
    expect([streamText(trace, 'stdout'), streamText(trace, 'stderr'), trace.end.exitCode, trace.end.status]).toEqual(['main done\n', '', 0, 'ok']);
  });

  it('calls no gc callback a __del__ puts first in the list at exit, nor one it keeps under another name, nor a C one', async () => {
    // A reviewer's: the guard first in gc's list took out only what came after it, so one
    // inserted at index 0 was called, and one that never returned held the run 8 s.
    const trace = await run([
      'import gc, sys',
      'cbs = gc.callbacks',
      'def late(phase, info):',
      '    while True:',
      '        pass',
      'class Late:',
      '    def __call__(self, phase, info):',
      '        while True:',
      '            pass',
      'class A:',
      '    def __del__(self):',
      '        gc.callbacks.insert(0, late)',
      '        cbs.insert(0, Late())',
      '        cbs.insert(0, print)',
      '        cbs.insert(0, late.__get__(1))',
      '        sys.unraisablehook = lambda u: print("hook", u)',
      '        print("A gone", len(cbs))',
      'a = A()',
      'print("main done")',
    ]);
    // python3.13 and 3.11: these two lines, exit 0 at once.
    expect([streamText(trace, 'stdout'), streamText(trace, 'stderr'), trace.end.exitCode, trace.end.status]).toEqual(['main done\nA gone 4\n', '', 0, 'ok']);
    expect(trace.end.wallMs).toBeLessThan(4000);
  });

  it('shows a __del__ run at exit the program’s globals as python3 does, with no key of Loop Lab’s among them', async () => {
    // A reviewer's: the teardown kept a key "\\x00looplab teardown" in the module's dict.
    const trace = await run([
      'class A:',
      '    def __init__(self): self.me = self',
      '    def __del__(self):',
      '        print(sorted(k for k in globals() if not k.startswith("__") or k == "__name__"))',
      '        print([k for k in globals() if k.startswith("\\x00") or "looplab" in k])',
      'a = A()',
      'class B:',
      '    def __del__(self):',
      '        print("B sees", [k for k in globals() if "looplab" in k], X)',
      'b = B()',
      'X = "x"',
      'import sys',
      'keep = sys.modules[__name__]',
      'print("end")',
    ]);
    // python3.13 and 3.11.
    expect(streamText(trace, 'stdout')).toBe("end\n['A', 'B', 'X', '__name__', 'a', 'b', 'keep', 'sys']\n[]\nB sees [] x\n");
    expect(streamText(trace, 'stderr')).toBe('');
  });

  it('a selector called by the program itself, its loop let go, waits out its timeout on the virtual clock', async () => {
    const trace = await run([
      'import asyncio, gc, time',
      'loop = asyncio.new_event_loop()',
      'sel = loop._selector',
      'del loop',
      'gc.collect()',
      't = time.monotonic()',
      'print(sel.select(1), round(time.monotonic() - t, 3))',
    ]);
    // python3.13: "[] 1.001", after a real second; on the virtual clock it is exactly 1.0.
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['[] 1.0\n', 0]);
  });

  it('calls no gc callback of the program’s after exit’s first collection even through a generator it resumes', async () => {
    const trace = await run([
      'import gc, functools, sys',
      'ns = {}',
      'exec("""',
      'def gen():',
      '    x = yield',
      '    while True:',
      '        print("resumed in gc", x)',
      '        x = yield',
      '""", ns)',
      'g = ns["gen"](); next(g)',
      'class X:',
      '    __lt__ = g.send',
      'sys.late = functools.partial(max, X())',
      'del g, ns',
      'class A:',
      '    def __del__(self):',
      '        gc.callbacks.insert(0, sys.late)',
      '        print("A gone")',
      'a = A()',
      'a.self = a',
      'print("main done")',
    ]);
    // python3.13: the callback a __del__ inserts during the exit's collection is never called.
    // Before (a reviewer's): max() compared with X.__lt__ = g.send, and the resumed generator
    // (PY_RESUME, not PY_START) printed 'resumed in gc stop' and the info dict.
    expect(streamText(trace, 'stdout')).toBe('main done\nA gone\n');
    expect(trace.end.exitCode).toBe(0);
  });

  it('runs no __del__ a C callback sets off after exit’s first collection, whatever the arguments it takes', async () => {
    const trace = await run([
      'import gc',
      'class Late:',
      '    def __del__(self): print("Late.__del__ ran in gc stop")',
      'class A:',
      '    def __del__(self):',
      '        gc.callbacks.append({"stop": Late()}.pop)',
      '        print("A gone")',
      'a = A(); a.self = a',
      'print("main done")',
    ]);
    // python3.13: 'main done / A gone', exit 0. Before (a reviewer's, on f532db2): a frame gc
    // started was refused only if it took two arguments or more, and Late's __del__ printed.
    expect(streamText(trace, 'stdout')).toBe('main done\nA gone\n');
  });
});
