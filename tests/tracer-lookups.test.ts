/**
 * How the tracer asks its two questions of every task switch (src/runtime/python/_looplab):
 * "is this the learner's code?" and "what does this task wait on?". Each was measured on the
 * tracing overhead's program (bench/programs/cpu_heavy.py) and made cheaper; these tests hold
 * what each now answers.
 */
import { join } from 'node:path';
import { loadPyodide, type PyodideAPI } from 'pyodide';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine, type LoadPyodide } from '../src/runtime/engine';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import type { Trace, TraceEvent } from '../src/shared/trace';
import { ROOT, startRuntime, streamText } from './corpus/harness';

let runtime: RuntimeSupervisor;

beforeAll(async () => {
  runtime = startRuntime();
  await runtime.ready();
});

afterAll(() => runtime?.dispose());

const run = (source: string): Promise<Trace> => runtime.run({ source, filename: 'main.py', options: { wallSeconds: 40 } });

type Suspend = Extract<TraceEvent, { kind: 'suspend' }>;
const suspends = (trace: Trace): Suspend[] => trace.events.filter((e): e is Suspend => e.kind === 'suspend');
const taskNamed = (trace: Trace, name: string): number => {
  const task = trace.tasks.find((t) => t.name === name);
  if (task === undefined) throw new Error(`no task named ${name}`);
  return task.id;
};

describe("the learner's code is the code compiled from their source, by identity", () => {
  // A copy of `worker` compiled by the program itself under another file name: every field
  // CPython compares is the same (name, first line, bytecode, constants, names, line table),
  // so the copy's code object is equal to the learner's (python3 3.11: `copy == original` is
  // True) and hashes alike. Looked up by equality, a task in the copy was taken for one in the
  // learner's file: its suspend named line 3 and showed the copy's frame as theirs.
  const program = [
    'import asyncio',
    'async def worker():',
    '    await asyncio.sleep(0.5)',
    'COPY = "import asyncio\\nasync def worker():\\n    await asyncio.sleep(0.5)\\n"',
    'async def main():',
    '    ns = {}',
    '    exec(compile(COPY, "copy.py", "exec"), ns)',
    '    print(ns["worker"].__code__ == worker.__code__, ns["worker"].__code__ is worker.__code__)',
    '    own = asyncio.create_task(worker(), name="own")',
    '    copy = asyncio.create_task(ns["worker"](), name="copy")',
    '    await asyncio.gather(own, copy)',
    'asyncio.run(main())',
    '',
  ].join('\n');

  it('a task in a copy the program compiled itself waits at no line of the learner’s, and shows no frame of theirs', async () => {
    const trace = await run(program);
    expect(streamText(trace, 'stdout')).toBe('True False\n'); // the copy is equal, not the same
    const own = suspends(trace).filter((s) => s.task === taskNamed(trace, 'own'));
    const copy = suspends(trace).filter((s) => s.task === taskNamed(trace, 'copy'));
    expect(own.map((s) => s.line)).toEqual([3]);
    expect(own[0]!.frames?.map((f) => [f.name, f.user])).toEqual([['worker', true], ['sleep', false]]);
    expect(copy.map((s) => s.line)).toEqual([null]);
    expect((copy[0]!.frames ?? []).filter((f) => f.user)).toEqual([]);
  });
});

describe('what a task waits on is read with no import in the run', () => {
  // runner.run drops every module a run imported when it ends (its _baseline_modules), so a
  // module of the tracer's imported in a run was imported afresh in every one: netwait.py, on
  // each run's first wait on a future (~2 ms of cpu_heavy.py's ~65 traced). What the module
  // answers is unchanged: a gather, then a read from the virtual network, in one run and the next.
  const program = [
    'import asyncio',
    'async def serve(reader, writer):',
    '    writer.write(await reader.readline())',
    '    await writer.drain()',
    '    writer.close()',
    'async def main():',
    '    server = await asyncio.start_server(serve, "127.0.0.1", 8888)',
    '    reader, writer = await asyncio.open_connection("127.0.0.1", 8888)',
    '    writer.write(b"hi\\n")',
    '    print(await reader.readline())',
    '    writer.close()',
    '    server.close()',
    'async def quick():',
    '    await asyncio.sleep(0)',
    'async def both():',
    '    await asyncio.gather(quick(), main())',
    'asyncio.run(both())',
    '',
  ].join('\n');

  it('no run imports a module of the tracer’s (each is imported with it, once)', async () => {
    const engine = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL: join(ROOT, 'out/pyodide/python_stdlib.zip') });
    // The engine's interpreter, reached past its privacy to look at what each run imported.
    const pyodide = (engine as unknown as { pyodide: PyodideAPI }).pyodide;
    pyodide.runPython(`
import _looplab.runner as _runner
_imported_in_runs = []
_restore = _runner._restore_process_state
def _noting(saved):
    import sys
    _imported_in_runs.append(sorted(n for n in set(sys.modules) - _runner._baseline_modules if n.startswith("_looplab")))
    return _restore(saved)
_runner._restore_process_state = _noting
`);
    for (let i = 0; i < 2; i++) engine.run(program, 'main.py', { wallSeconds: 40 }, () => {});
    expect(pyodide.runPython('import json\njson.dumps(_imported_in_runs)')).toBe('[[], []]');
  });

  it('keeps nothing of a run once the next has ended: its streams and recorder are let go', async () => {
    // excepthook.end() once kept every entry it took out of sys's dict, sys.stdout among them,
    // and through it the run's recorder: an engine that ran the tutorial's programs and the
    // 200-client server traced cpu_heavy.py 40% slower (the bench's tracing overhead read 9.1×
    // where a fresh engine's read 6.0×). What it keeps now is what it takes out.
    const engine = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL: join(ROOT, 'out/pyodide/python_stdlib.zip') });
    // The engine's interpreter, reached past its privacy to count what the runs left alive.
    const pyodide = (engine as unknown as { pyodide: PyodideAPI }).pyodide;
    const alive = (): number[] => JSON.parse(String(pyodide.runPython(`
import gc, json
gc.collect()
_kinds = [type(o).__name__ for o in gc.get_objects()]
json.dumps([_kinds.count("TextIOWrapper"), _kinds.count("_Stream"), len(_kinds)])
`))) as number[];
    engine.run(program, 'main.py', { wallSeconds: 40 }, () => {});
    const afterOne = alive();
    for (let i = 0; i < 5; i++) engine.run(program, 'main.py', { wallSeconds: 40 }, () => {});
    const afterSix = alive();
    expect(afterSix.slice(0, 2)).toEqual(afterOne.slice(0, 2));
    // Objects of every kind: a few dozen may differ (caches the runs fill), not a run's worth each.
    expect(afterSix[2]! - afterOne[2]!).toBeLessThan(100);
  });

  it('names a gather and a network read, run after run', async () => {
    for (let i = 0; i < 2; i++) {
      const trace = await run(program);
      expect(streamText(trace, 'stdout')).toBe("b'hi\\n'\n");
      const waits = suspends(trace).map((s) => s.wait);
      expect(waits).toContainEqual(expect.objectContaining({ kind: 'gather' }));
      expect(waits).toContainEqual(expect.objectContaining({ kind: 'net', op: 'read', call: 'reader.readline' }));
    }
  });
});

describe('the loop’s moments are recorded without running the program’s code', () => {
  // Expected output from python3 (3.11) for each program. Before, the tracer read these
  // attributes as a suspend was recorded, and the program's property ran there (an attacker's
  // findings): its exception ended the run, with the tracer's frames in the traceback.
  it('an awaitable of the program’s with properties named as a coroutine’s (cr_code, cr_frame, cr_await) is not asked for them', async () => {
    const trace = await run([
      'import asyncio',
      'class Waiter:',
      '    def __init__(self, fut):',
      '        self.fut = fut',
      '    @property',
      '    def cr_code(self):',
      '        raise RuntimeError("read by the tracer")',
      '    @property',
      '    def cr_frame(self):',
      '        print("cr_frame read")',
      '    @property',
      '    def cr_await(self):',
      '        print("cr_await read")',
      '    def __await__(self):',
      '        return self',
      '    def __next__(self):',
      '        if self.fut.done():',
      '            raise StopIteration(self.fut.result())',
      '        self.fut._asyncio_future_blocking = True',
      '        return self.fut',
      'async def main():',
      '    loop = asyncio.get_running_loop()',
      '    fut = loop.create_future()',
      '    loop.call_later(0.1, fut.set_result, "done")',
      '    print(await Waiter(fut))',
      '    print("end")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), streamText(trace, 'stderr'), trace.end.exitCode]).toEqual(['done\nend\n', '', 0]);
    // The wait is still recorded, at the learner's line.
    expect(suspends(trace).map((s) => s.line)).toContain(25);
  });

  it('code the program compiled as asyncio’s streams.py, with a _transport property, is not asked for its transport', async () => {
    const trace = await run([
      'import asyncio',
      "SRC = '''",
      'import asyncio',
      'class StreamReader:',
      '    @property',
      '    def _transport(self):',
      '        raise RuntimeError("read by the tracer")',
      '    async def readline(self):',
      '        loop = asyncio.get_running_loop()',
      '        fut = loop.create_future()',
      '        loop.call_later(0.1, fut.set_result, b"line")',
      '        return await fut',
      "'''",
      'ns = {}',
      'exec(compile(SRC, "/x/asyncio/streams.py", "exec"), ns)',
      'async def main():',
      '    print(await ns["StreamReader"]().readline())',
      '    print("end")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), streamText(trace, 'stderr'), trace.end.exitCode]).toEqual(["b'line'\nend\n", '', 0]);
  });

  it('a thread started from a copy of the learner’s function is named for what was called, Thread.start()', async () => {
    const trace = await run([
      'import threading',
      'ns = {}',
      'exec(compile("import threading\\ndef go():\\n    threading.Thread(target=print).start()\\n", "copy.py", "exec"), ns)',
      'try:',
      '    ns["go"]()',
      'except RuntimeError as e:',
      '    print(e)',
      '',
    ].join('\n'));
    expect(streamText(trace, 'stdout')).toMatch(/^Loop Lab runs Python in WebAssembly, which has no threads: Thread\.start\(\) cannot start one here/);
  });
});

describe('what the standard library wraps is still read through', () => {
  it('a task made from a @types.coroutine generator shows its arguments, its line and its frame (through types._GeneratorWrapper)', async () => {
    const trace = await run([
      'import asyncio, types',
      '@types.coroutine',
      'def ticker(n, label):',
      '    for i in range(n):',
      '        print(label, i)',
      '        yield from asyncio.sleep(0.1).__await__()',
      'async def main():',
      '    await asyncio.gather(asyncio.create_task(ticker(2, "a")), asyncio.ensure_future(ticker(2, "b")))',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect(streamText(trace, 'stdout')).toBe('a 0\nb 0\na 1\nb 1\n'); // python3 3.11
    expect(trace.tasks.map((t) => t.coro)).toEqual(expect.arrayContaining(["ticker(2, 'a')", "ticker(2, 'b')"]));
    const ticking = suspends(trace).filter((s) => s.task === taskNamed(trace, 'Task-2'));
    expect(ticking.map((s) => s.line)).toEqual([6, 6]);
    expect(ticking[0]!.frames?.map((f) => [f.name, f.line, f.user])).toEqual([['ticker', 6, true]]);
  });
});

describe('a callback that claims to be a functools.partial', () => {
  it('is named without looping for ever (its `func` was itself): the run ends as python3’s', async () => {
    const trace = await run([
      'import asyncio, functools',
      'class CB:',
      '    __class__ = property(lambda s: functools.partial)',
      '    func = property(lambda s: s)',
      '    def __call__(self): print("called")',
      'async def main():',
      '    asyncio.get_running_loop().call_soon(CB())',
      '    await asyncio.sleep(0)',
      '    print("end")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['called\nend\n', 0]); // python3 3.11
  });
});

describe('a property the program puts on the standard library’s own classes is not run by the tracer', () => {
  // Expected output from python3 (3.11). Reading through the exact type was not enough: the
  // property sat on asyncio's class itself, or on types._GeneratorWrapper (a second attacker's).
  it('asyncio.StreamReader._transport as a property that refuses the tracer', async () => {
    const trace = await run([
      'import asyncio, sys',
      'def get(self):',
      '    if "_looplab" in sys._getframe(1).f_code.co_filename: raise RuntimeError("read by the tracer")',
      '    return self.__dict__["_t"]',
      'asyncio.StreamReader._transport = property(get, lambda s, v: s.__dict__.__setitem__("_t", v))',
      'async def handle(r, w):',
      '    await asyncio.sleep(0.1); w.write(b"x\\n"); await w.drain(); w.close()',
      'async def main():',
      '    srv = await asyncio.start_server(handle, "127.0.0.1", 8888)',
      '    r, w = await asyncio.open_connection("127.0.0.1", 8888)',
      '    print(await r.readline()); w.close(); srv.close(); print("end")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), streamText(trace, 'stderr'), trace.end.exitCode]).toEqual(["b'x\\n'\nend\n", '', 0]);
  });

  it('types._GeneratorWrapper.__getattribute__ that refuses __dict__', async () => {
    const trace = await run([
      'import asyncio, types',
      'W = types._GeneratorWrapper',
      'def ga(self, name):',
      '    if name == "__dict__": raise RuntimeError("tracer")',
      '    return object.__getattribute__(self, name)',
      'W.__getattribute__ = ga',
      'def gen():',
      '    yield from asyncio.sleep(0.5).__await__()',
      '    print("gen done")',
      'async def main():',
      '    await asyncio.ensure_future(W(gen()))',
      '    print("end")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode, trace.end.status]).toEqual(['gen done\nend\n', 0, 'ok']);
  });
});

describe('a callback, a task and its coroutine of the program’s are read by their exact types (callables.py)', () => {
  // Expected output from python3 (3.11). Each ran the program's code in the loop's moments, or
  // wrote what it answered into the trace, which the host then refused as damaged.
  it('a callable object’s __getattr__ is not asked for __self__, __qualname__, __func__ or __code__', async () => {
    const trace = await run([
      'import asyncio',
      'looked = []',
      'class CB:',
      '    def __call__(self):',
      '        print("called")',
      '    def __getattr__(self, name):',
      '        looked.append(name)',
      '        raise AttributeError(name)',
      'async def main():',
      '    asyncio.get_running_loop().call_soon(CB())',
      '    await asyncio.sleep(0)',
      '    print("looked up:", looked)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['called\nlooked up: []\n', 0]);
  });

  it('an object of the program’s class with __call__, and a class of the program’s, called back are the program’s callbacks, at the line of what runs', async () => {
    const trace = await run([
      'import asyncio',
      'class Meta(type):',
      '    def __getattribute__(cls, name):',
      '        print("meta asked", name)',
      '        return super().__getattribute__(name)',
      'class Ticker(metaclass=Meta):',
      '    def __call__(self):',
      '        print("tick")',
      'class Announce:',
      '    def __init__(self):',
      '        print("made")',
      'async def main():',
      '    loop = asyncio.get_running_loop()',
      '    loop.call_soon(Ticker())',
      '    loop.call_later(0.1, Announce)',
      '    loop.call_soon(print, "builtin")',
      '    await asyncio.sleep(0.2)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['tick\nbuiltin\nmade\n', 0]); // python3 3.11
    const byLabel = Object.fromEntries(trace.callbacks.map((c) => [c.label, { user: c.user, line: c.line }]));
    expect(byLabel.Ticker).toEqual({ user: true, line: 7 });
    expect(byLabel.Announce).toEqual({ user: true, line: 10 });
    expect(byLabel.print).toEqual({ user: false, line: null });
  });

  // A reviewer's (helper-117): each ran the program's code in a loop's moment, where python3 runs none.
  it('a class dict key of a str subclass whose hash collides is never compared: the run ends as python3’s, not damaged', async () => {
    const trace = await run([
      'import asyncio',
      'class S(str):',
      '    def __hash__(self): return hash("__call__")',
      '    def __eq__(self, o):',
      '        if armed: raise ZeroDivisionError',
      '        return False',
      'armed = False',
      'class Base:',
      '    def __call__(self): print("called")',
      'Sub = type("Sub", (Base,), {S("zz"): 1})',
      'async def main():',
      '    global armed',
      '    armed = True; asyncio.get_running_loop().call_soon(Sub()); armed = False',
      '    await asyncio.sleep(0); print("after sleep")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode, trace.end.status]).toEqual(['called\nafter sleep\n', 0, 'ok']); // python3 3.11, 3.13
  });

  it('a metaclass’s __hash__ and __eq__ are not run to name its class’s object called back', async () => {
    const trace = await run([
      'import asyncio',
      'class Meta(type):',
      '    def __hash__(cls):',
      '        print("hash")',
      '        return 1',
      '    def __eq__(cls, other):',
      '        print("eq")',
      '        return cls is other',
      'class Tick(metaclass=Meta):',
      '    def __call__(self):',
      '        print("tick")',
      'async def main():',
      '    asyncio.get_running_loop().call_soon(Tick())',
      '    await asyncio.sleep(0)',
      '    print("done")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['tick\ndone\n', 0]); // python3 3.11, 3.13
  });

  it('code the program compiled under asyncio’s tasks.py is not read as asyncio’s: its arguments are not iterated', async () => {
    const trace = await run([
      'import asyncio',
      'ns = {}',
      'exec(compile("async def wait(fut, fs):\\n    await fut\\n", "/lib/python3.14/asyncio/tasks.py", "exec"), ns)',
      'class Evil:',
      '    def __iter__(self):',
      '        print("iterated")',
      '        raise ZeroDivisionError("evil")',
      'async def main():',
      '    fut = asyncio.get_running_loop().create_future()',
      '    t = asyncio.ensure_future(ns["wait"](fut, Evil()))',
      '    print("a")',
      '    await asyncio.sleep(0)',
      '    print("b")',
      '    fut.set_result(1)',
      '    await t',
      '    print("done")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode, trace.end.status]).toEqual(['a\nb\ndone\n', 0, 'ok']); // python3 3.11, 3.13
  });

  it('a callback whose __qualname__ is not text is named for its class, and the run ends as python3’s', async () => {
    const trace = await run([
      'import asyncio',
      'class CB:',
      '    def __call__(self):',
      '        print("called")',
      '    def __getattr__(self, name):',
      '        if name == "__qualname__":',
      '            return 5',
      '        raise AttributeError(name)',
      'async def main():',
      '    asyncio.get_running_loop().call_soon(CB())',
      '    await asyncio.sleep(0)',
      '    print("end")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode, trace.end.status]).toEqual(['called\nend\n', 0, 'ok']);
    expect(trace.callbacks.map((c) => c.label)).toContain('CB');
  });

  it('a builtin method bound to an object whose metaclass answers __qualname__ is named without asking it', async () => {
    const trace = await run([
      'import asyncio',
      'class Meta(type):',
      '    def __getattribute__(cls, name):',
      '        if name == "__qualname__":',
      '            print("meta asked")',
      '        return super().__getattribute__(name)',
      'class Box(metaclass=Meta):',
      '    pass',
      'async def main():',
      '    loop = asyncio.get_running_loop()',
      '    loop.call_soon(print, "printed")',
      '    loop.call_soon(Box().__sizeof__)',
      '    t = asyncio.create_task(asyncio.sleep(1))',
      '    loop.call_later(0.5, t.cancel)',
      '    await asyncio.sleep(0.6)',
      '    print("end")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['printed\nend\n', 0]);
    expect(trace.callbacks.map((c) => c.label)).toEqual(expect.arrayContaining(['print', 'Box.__sizeof__', 'Task.cancel']));
  });

  it('a task of a Task subclass whose get_name, get_coro and done are the program’s, and a Future subclass’s done and cancelled', async () => {
    const trace = await run([
      'import asyncio',
      'class Name:',
      '    def __str__(self):',
      '        print("str asked")',
      '        return "worker"',
      'class MyTask(asyncio.Task):',
      '    def get_name(self):',
      '        print("get_name asked")',
      '        return 7',
      '    def get_coro(self):',
      '        print("get_coro asked")',
      '        return super().get_coro()',
      '    def done(self):',
      '        print("done asked")',
      '        return super().done()',
      'class Fut(asyncio.Future):',
      '    def done(self):',
      '        print("future done asked")',
      '        return super().done()',
      '    def cancelled(self):',
      '        print("cancelled asked")',
      '        return super().cancelled()',
      'async def child(fut):',
      '    await asyncio.sleep(0.1)',
      '    fut.set_result(3)',
      '    return "child done"',
      'async def main():',
      '    loop = asyncio.get_running_loop()',
      '    loop.set_task_factory(lambda loop, coro, **kw: MyTask(coro, loop=loop, **kw))',
      '    fut = Fut()',
      '    task = asyncio.create_task(child(fut), name=Name())',
      '    print(await fut)',
      '    print(await task)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode, trace.end.status]).toEqual(['str asked\n3\nchild done\ndone asked\ndone asked\n', 0, 'ok']); // asyncio.run's own done()s
    expect(trace.tasks.map((t) => t.name)).toContain('worker');
  });
});

describe('a second attacker’s findings on callables.py, fixed by kind', () => {
  // Expected output from python3 (3.11 and 3.13 agree on each).
  it('names the program rebinds in asyncio’s modules and in types are the ones taken as the tracer loaded (asyncio.tasks._PyTask, asyncio.events.TimerHandle, types.CoroutineType)', async () => {
    const trace = await run([
      'import asyncio, asyncio.events, asyncio.tasks, types',
      'n = 0',
      'class M(type):',
      '    def __subclasscheck__(cls, sub):',
      '        global n',
      '        n += 1',
      '        return False',
      'class Fake(metaclass=M):',
      '    pass',
      'class Thing:',
      '    pass',
      'async def main():',
      '    x = Thing()',
      '    kept = asyncio.tasks._PyTask, asyncio.events.TimerHandle, types.CoroutineType',
      '    asyncio.tasks._PyTask = asyncio.events.TimerHandle = types.CoroutineType = Fake',
      '    asyncio.get_running_loop().call_soon(print, "cb")',
      '    await asyncio.sleep(0)',
      '    asyncio.tasks._PyTask, asyncio.events.TimerHandle, types.CoroutineType = kept',
      '    print("checks:", n)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['cb\nchecks: 0\n', 0]);
  });

  it('a Task subclass’s _fut_waiter and _result, and a Future subclass’s _exception, are read by asyncio’s own getters, past the program’s properties and __getattribute__', async () => {
    const trace = await run([
      'import asyncio',
      'class T(asyncio.Task):',
      '    @property',
      '    def _fut_waiter(self):',
      '        raise RuntimeError("mine")',
      '    @property',
      '    def _result(self):',
      '        raise RuntimeError("mine too")',
      'class F(asyncio.Future):',
      '    def __getattribute__(self, name):',
      '        if name in ("_exception", "_asyncio_future_blocking", "__class__"):',
      '            print("asked", name)',
      '        return super().__getattribute__(name)',
      'async def work(fut):',
      '    await asyncio.sleep(0.01)',
      '    fut.set_result(2)',
      '    return 5',
      'async def main():',
      '    loop = asyncio.get_running_loop()',
      '    loop.set_task_factory(lambda loop, coro, **kw: T(coro, loop=loop, **kw))',
      '    fut = F()',
      '    task = loop.create_task(work(fut))',
      '    print("waiting")',
      '    print(await fut, await task)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['waiting\nasked _asyncio_future_blocking\n2 5\n', 0]);
  });

  it('a __dict__ property on the class of a timeout timer’s object is not run', async () => {
    const trace = await run([
      'import asyncio, types',
      'class O:',
      '    @property',
      '    def __dict__(self):',
      '        print("O.__dict__ read")',
      '        return {}',
      'async def main():',
      '    loop = asyncio.get_running_loop()',
      '    h = loop.call_later(5, types.MethodType(asyncio.Timeout._on_timeout, O()))',
      '    h.cancel()',
      '    print("end")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['end\n', 0]);
  });

  it('local variables holding a class with a metaclass, its builtin method and a method of a callable object are described without asking them', async () => {
    const trace = await run([
      'import asyncio, types',
      'log = []',
      'class Meta(type):',
      '    def __getattribute__(cls, n):',
      '        log.append(n)',
      '        return type.__getattribute__(cls, n)',
      'class C(metaclass=Meta):',
      '    pass',
      'class Obj:',
      '    def __getattr__(self, n):',
      '        log.append(("obj", n))',
      '        raise AttributeError(n)',
      '    def __call__(self): pass',
      'async def main():',
      '    inst = C()',
      '    cls = C',
      '    bm = C.__subclasses__',
      '    m = types.MethodType(Obj(), 1)',
      '    log.clear()',
      '    await asyncio.sleep(0)',
      '    print(log)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['[]\n', 0]);
  });

  it('a task’s name given as a subclass of str is made text once, as python3 makes it', async () => {
    const trace = await run([
      'import asyncio',
      'class S(str):',
      '    def __str__(self):',
      '        print("S.__str__")',
      '        return self',
      'async def work():',
      '    return 1',
      'async def main():',
      '    await asyncio.create_task(work(), name=S("ada"))',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['S.__str__\n', 0]);
  });

  it('a class, a C method and a partial called back keep their names on the board (Ev, str.upper, print)', async () => {
    const trace = await run([
      'import asyncio, functools',
      'class Ev:',
      '    def __init__(self, x):',
      '        self.x = x',
      'async def main():',
      '    loop = asyncio.get_running_loop()',
      '    loop.call_soon(Ev, 1)',
      '    loop.call_soon(str.upper, "x")',
      '    loop.call_soon(functools.partial(print, "p"))',
      '    await asyncio.sleep(0)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect(streamText(trace, 'stdout')).toBe('p\n');
    expect(trace.callbacks.map((c) => c.label)).toEqual(expect.arrayContaining(['Ev', 'str.upper', 'print']));
  });
});

describe('a third attacker’s findings, fixed by kind', () => {
  // Expected output from python3 (3.11 and 3.13 agree on each).
  it('a Future described after the program rebinds types.MethodType (a crash: the description’s own error escaped into a callback)', async () => {
    const trace = await run([
      'import asyncio, types',
      'async def work():',
      '    return asyncio.get_running_loop().create_future()',
      'async def main():',
      '    t = asyncio.create_task(work())',
      '    real = types.MethodType',
      '    types.MethodType = asyncio.Future',
      '    r = await t',
      '    types.MethodType = real',
      '    print("got", type(r).__name__)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['got Future\n', 0]);
  });

  it('a pure-Python task of a subclass whose _name property raises is named from its own dict (the run ended with the property’s error)', async () => {
    const trace = await run([
      'import asyncio, asyncio.tasks',
      'class T(asyncio.tasks._PyTask):',
      '    @property',
      '    def _name(self):',
      '        raise RuntimeError("mine")',
      '    @_name.setter',
      '    def _name(self, v):',
      '        pass',
      'async def work():',
      '    return 5',
      'async def main():',
      '    loop = asyncio.get_running_loop()',
      '    loop.set_task_factory(lambda loop, coro, **kw: T(coro, loop=loop, **kw))',
      '    print(await loop.create_task(work()))',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['5\n', 0]);
  });

  it('classes named by a subclass of str are named as plain text: the subclass’s __format__ is not run', async () => {
    const trace = await run([
      'import asyncio',
      'class S(str):',
      '    def __format__(self, spec):',
      '        print("S.__format__")',
      '        return str.__format__(self, spec)',
      'class Boom(Exception):',
      '    pass',
      'Boom.__name__ = S("Boom")',
      'class Res:',
      '    pass',
      'Res.__name__ = S("Res")',
      'async def bad():',
      '    raise Boom("x")',
      'async def good():',
      '    return Res()',
      'async def main():',
      '    try:',
      '        await asyncio.create_task(bad())',
      '    except Exception:',
      '        print("caught")',
      '    await asyncio.create_task(good())',
      '    print("end")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['caught\nend\n', 0]);
  });

  it('weakref.ref rebound by the program is not the tracer’s (every function the tracer calls is taken as it loads)', async () => {
    const trace = await run([
      'import asyncio, weakref',
      'calls = []',
      'real = weakref.ref',
      'def spy(*a):',
      '    calls.append(type(a[0]).__name__)',
      '    return real(*a)',
      'async def work():',
      '    return 1',
      'async def main():',
      '    weakref.ref = spy',
      '    await asyncio.create_task(work())',
      '    weakref.ref = real',
      '    print("weakref.ref calls:", calls)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['weakref.ref calls: []\n', 0]);
  });

  it('a TaskGroup subclass’s _tasks property is read as often as python3 reads it', async () => {
    const trace = await run([
      'import asyncio',
      'n = 0',
      'class TG(asyncio.TaskGroup):',
      '    @property',
      '    def _tasks(self):',
      '        global n',
      '        n += 1',
      '        return self.__dict__["_tasks"]',
      '    @_tasks.setter',
      '    def _tasks(self, v):',
      '        self.__dict__["_tasks"] = v',
      'async def main():',
      '    async with TG() as tg:',
      '        tg.create_task(asyncio.sleep(0.01))',
      '    print("reads:", n)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['reads: 6\n', 0]);
  });

  it('a local variable holding a module is shown by the module’s name (its __dict__ is a member descriptor, not a getset)', async () => {
    const trace = await run(['import asyncio, math', 'async def main():', '    m = math', '    await asyncio.sleep(0.1)', '    print(m.pi > 3)', 'asyncio.run(main())', ''].join('\n'));
    expect(streamText(trace, 'stdout')).toBe('True\n'); // python3 3.11
    const shown = trace.events.flatMap((e) => ('frames' in e && e.frames ? e.frames : [])).map((f) => f.locals?.['m']).filter((text) => text !== undefined);
    expect(shown).toContain('module math');
  });
});

/**
 * A program whose task factory makes PT, the class its `head` lines define (after their
 * imports): `child` sleeps 0.1 s and returns 5, and `main` runs it as a task made by PT, then
 * runs `printed` (lines of main's, which may use `t`).
 */
function underTaskFactory(head: string[], printed: string[]): string {
  return [
    ...head,
    '',
    'async def child():',
    '    await asyncio.sleep(0.1)',
    '    return 5',
    '',
    'async def main():',
    '    loop = asyncio.get_running_loop()',
    '    loop.set_task_factory(lambda loop, coro, **kw: PT(coro, loop=loop, **kw))',
    '    t = asyncio.ensure_future(child())',
    ...printed,
    'asyncio.run(main())',
    '',
  ].join('\n');
}

describe('an object’s own attributes are read only through the storage CPython made for its class (identity.own_attribute)', () => {
  // A fourth reviewer's. Expected output from python3 (3.11 and 3.13 agree).
  it('another type’s getter put in a class body as __dict__ is not the instance’s dict: its error does not reach the program', async () => {
    const trace = await run(underTaskFactory([
      'import asyncio, io',
      'from asyncio import tasks',
      'class PT(tasks._PyTask, io.StringIO):',
      '    __dict__ = io.StringIO.__dict__[\'closed\']',
      '    def __init__(self, *a, **k):',
      '        tasks._PyTask.__init__(self, *a, **k)',
    ], ['    print(await t)', '    print("end")']));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['5\nend\n', 0]);
  });

  it('nor does the tracer run the program’s code through such a getter', async () => {
    const trace = await run(underTaskFactory([
      'import asyncio, io',
      'from asyncio import tasks',
      'seen = []',
      'class Buf(io.BytesIO):',
      '    @property',
      '    def name(self):',
      '        seen.append(1)',
      '        return {}',
      'class PT(tasks._PyTask, io.TextIOWrapper):',
      '    __dict__ = io.TextIOWrapper.__dict__[\'name\']',
      '    def __init__(self, *a, **k):',
      '        io.TextIOWrapper.__init__(self, Buf())',
      '        tasks._PyTask.__init__(self, *a, **k)',
    ], ['    print(await t, len(seen))']));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['5 0\n', 0]);
  });

  it('a pure-Python task that keeps _state in a slot is seen to finish', async () => {
    const trace = await run(underTaskFactory([
      'import asyncio',
      'from asyncio import tasks',
      'class PT(tasks._PyTask):',
      '    __slots__ = (\'_state\',)',
      '    def __init__(self, *a, **k):',
      '        self._state = \'PENDING\'',
      '        super().__init__(*a, **k)',
    ], ['    print(await t)', '    print("end")']));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['5\nend\n', 0]);
    const child = trace.tasks.find((task) => task.coro.startsWith('child'));
    expect(trace.events.some((e) => e.kind === 'done' && e.task === child?.id)).toBe(true);
  });
});

describe('asyncio’s Queue, Lock, Event, Semaphore, Condition and Barrier are read from their own dicts', () => {
  // Expected output from python3 (3.11 and 3.13 agree on each). The tracer read their fields by
  // attribute access at every moment that shows them (inside.py), and holders.py reached a
  // Lock's flag through lock.__dict__: a subclass's properties and __getattribute__ ran there.
  it('a subclass’s properties over their fields are read as often as python3 reads them, and the board still shows the objects', async () => {
    const trace = await run([
      'import asyncio',
      'reads = {}',
      'def field(key, name):',
      '    def get(self):',
      '        reads[name] = reads.get(name, 0) + 1',
      '        return self.__dict__[key]',
      '    def put(self, value):',
      '        self.__dict__[key] = value',
      '    return property(get, put)',
      'class Q(asyncio.Queue):',
      '    _queue = field("_queue", "queue")',
      '    _unfinished_tasks = field("_unfinished_tasks", "unfinished_tasks")',
      '    _maxsize = field("_maxsize", "maxsize")',
      'class L(asyncio.Lock):',
      '    _locked = field("_locked", "locked")',
      'class E(asyncio.Event):',
      '    _value = field("_value", "event_value")',
      'class S(asyncio.Semaphore):',
      '    _value = field("_value", "sem_value")',
      'class C(asyncio.Condition):',
      '    _lock = field("_lock", "cond_lock")',
      'class B(asyncio.Barrier):',
      '    _parties = field("_parties", "parties")',
      '    _count = field("_count", "count")',
      '    _state = field("_state", "state")',
      'async def worker(q, lock, ev, sem, cond, bar):',
      '    async with lock:',
      '        await q.put(1)',
      '        await asyncio.sleep(0.1)',
      '    async with sem:',
      '        ev.set()',
      '    async with cond:',
      '        cond.notify_all()',
      '    await bar.wait()',
      'async def main():',
      '    q, lock, ev, sem, cond, bar = Q(), L(), E(), S(), C(), B(2)',
      '    t = asyncio.create_task(worker(q, lock, ev, sem, cond, bar))',
      '    await asyncio.sleep(0)',
      '    async with lock:',
      '        print(await q.get())',
      '    await ev.wait()',
      '    await bar.wait()',
      '    await t',
      '    print(sorted(reads.items()))',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual([
      "1\n[('count', 8), ('event_value', 2), ('locked', 4), ('maxsize', 2), ('parties', 2), ('queue', 4), ('sem_value', 3), ('state', 8), ('unfinished_tasks', 1)]\n",
      0,
    ]);
    const states = trace.events.flatMap((e) => ('objects' in e && e.objects ? e.objects : []));
    expect(states).toContainEqual(expect.objectContaining({ type: 'Q', items: ['1'], size: 1, unfinished: 1 }));
    expect(states).toContainEqual(expect.objectContaining({ type: 'L', locked: true }));
    expect(states).toContainEqual(expect.objectContaining({ type: 'E', set: true }));
    expect(states).toContainEqual(expect.objectContaining({ type: 'B', parties: 2, count: 1, state: 'filling' }));
  });

  it('a Lock subclass’s __getattribute__ sees no lookup of __dict__, and a __dict__ property of its own is not run (python3: "got it True", "end False")', async () => {
    const looked = await run([
      'import asyncio',
      'looked = []',
      'class L(asyncio.Lock):',
      '    def __getattribute__(self, name):',
      '        if name in ("__dict__", "_locked"):',
      '            looked.append(name)',
      '        return super().__getattribute__(name)',
      'async def hold(lock):',
      '    async with lock:',
      '        await asyncio.sleep(0.1)',
      'async def main():',
      '    lock = L()',
      '    t = asyncio.create_task(hold(lock))',
      '    await asyncio.sleep(0)',
      '    async with lock:',
      '        print("got it")',
      '    await t',
      '    print(len(looked), sorted(set(looked)))',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(looked, 'stdout'), looked.end.exitCode]).toEqual(["got it\n4 ['_locked']\n", 0]);
    const refused = await run([
      'import asyncio',
      'class L(asyncio.Lock):',
      '    @property',
      '    def __dict__(self):',
      '        raise RuntimeError("read by the tracer")',
      'async def hold(lock):',
      '    async with lock:',
      '        await asyncio.sleep(0.1)',
      'async def main():',
      '    lock = L()',
      '    t = asyncio.create_task(hold(lock))',
      '    await asyncio.sleep(0)',
      '    async with lock:',
      '        print("got it", lock.locked())',
      '    await t',
      '    print("end", lock.locked())',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(refused, 'stdout'), streamText(refused, 'stderr'), refused.end.exitCode]).toEqual(['got it True\nend False\n', '', 0]);
  });
});

describe('a deadlock’s message is made without running the program’s code', () => {
  it('the stuck tasks are found without asking a Task subclass’s done() and get_loop() (asyncio.all_tasks asks both)', async () => {
    // python3 (3.11 and 3.13 alike) prints these two lines and then waits for ever.
    const trace = await run([
      'import asyncio',
      'class T(asyncio.Task):',
      '    def done(self):',
      '        print("done asked", flush=True)',
      '        return super().done()',
      '    def get_loop(self):',
      '        print("get_loop asked", flush=True)',
      '        return super().get_loop()',
      'async def stuck(ev):',
      '    await ev.wait()',
      'async def main():',
      '    loop = asyncio.get_running_loop()',
      '    loop.set_task_factory(lambda loop, coro, **kw: T(coro, loop=loop, **kw))',
      '    ev = asyncio.Event()',
      '    t = asyncio.create_task(stuck(ev))',
      '    await asyncio.sleep(0.1)',
      '    print("waiting", flush=True)',
      '    await t',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect(streamText(trace, 'stdout')).toBe('waiting\nget_loop asked\n');
    expect(trace.events.at(-1)).toMatchObject({
      kind: 'limit',
      reason: 'deadlock',
      message: expect.stringMatching(/: Task-1 waits on Task-2, line 18; Task-2 waits on Event\.wait\(\), line 10\. /),
    });
  });
});

describe('a Queue subclass that keeps its items in another builtin collection shows them', () => {
  it('a set-backed queue (the documented _init/_put/_get hooks) shows its items and size, as qsize() gives them', async () => {
    // python3 (3.11 and 3.13) prints "3".
    const trace = await run([
      'import asyncio',
      'class SetQueue(asyncio.Queue):',
      '    def _init(self, maxsize):',
      '        self._queue = set()',
      '    def _put(self, item):',
      '        self._queue.add(item)',
      '    def _get(self):',
      '        return self._queue.pop()',
      'async def main():',
      '    q = SetQueue()',
      '    for n in (3, 1, 2):',
      '        q.put_nowait(n)',
      '    await asyncio.sleep(0)',
      '    print(q.qsize())',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect(streamText(trace, 'stdout')).toBe('3\n');
    const states = trace.events.flatMap((e) => ('objects' in e && e.objects ? e.objects : []));
    expect(states).toContainEqual(expect.objectContaining({ type: 'SetQueue', size: 3, items: expect.arrayContaining(['1', '2', '3']) }));
  });
});

describe('a wait through asyncio’s own wrappers is named by what it waits on', () => {
  it('`async for` over as_completed waits on as_completed (3.14 awaits it through _AsCompletedIterator.__anext__), as a plain `for` does', async () => {
    // python3 (3.13) waits for ever on both: Loop Lab's deadlock message names the wait.
    for (const loop of ['async for t in asyncio.as_completed(ts):', 'for t in asyncio.as_completed(ts):']) {
      const trace = await run([
        'import asyncio',
        'async def waiter(ev):',
        '    await ev.wait()',
        'async def main():',
        '    ev = asyncio.Event()',
        '    ts = [asyncio.create_task(waiter(ev)) for _ in range(2)]',
        `    ${loop}`,
        '        print(await t)',
        'asyncio.run(main())',
        '',
      ].join('\n'));
      expect(trace.events.at(-1), loop).toMatchObject({
        kind: 'limit',
        reason: 'deadlock',
        message: expect.stringMatching(/: Task-1 waits on as_completed\(Task-2, Task-3\), line [78]; Task-2 waits on Event\.wait\(\), line 3; /),
      });
    }
  });
});

describe('an eager task’s start is decided as the C Task decides it, without asking the program’s objects again', () => {
  // Expected output from python3 3.13 (3.11 has no eager_start; a bare CPython 3.14 in Pyodide
  // prints the same). The C Task.__init__ asks whether the coroutine is one, whether the loop is
  // running, and what eager_start is worth; the tracer asked each again to know beforehand.
  it('a coroutine type’s metaclass __hash__ and a loop’s is_running are run as often as in python3, and both tasks are still shown starting at once', async () => {
    const trace = await run([
      'import asyncio, abc, collections.abc',
      'class M(abc.ABCMeta):',
      '    hashes = 0',
      '    def __hash__(cls):',
      '        M.hashes += 1',
      '        return type.__hash__(cls)',
      'class Co(collections.abc.Coroutine, metaclass=M):',
      '    def send(self, value):',
      '        raise StopIteration(5)',
      '    def throw(self, *exc):',
      '        raise exc[-1]',
      '    def close(self):',
      '        pass',
      '    def __await__(self):',
      '        return iter(())',
      'async def main():',
      '    loop = asyncio.get_running_loop()',
      '    cls = type(loop)',
      '    real = cls.is_running',
      '    asked = []',
      '    def is_running(self):',
      '        asked.append(1)',
      '        return real(self)',
      '    cls.is_running = is_running',
      '    M.hashes = 0',
      '    first = asyncio.Task(Co(), loop=loop, eager_start=True)',
      '    hashed = M.hashes',
      '    M.hashes = 0',
      '    second = asyncio.Task(Co(), loop=loop, eager_start=True)',
      '    cls.is_running = real',
      '    print(first.done(), first.result(), second.result())',
      '    print("hashes:", hashed, M.hashes, "is_running:", len(asked))',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(['True 5 5\nhashes: 6 1 is_running: 2\n', 0]);
    const started = trace.events.filter((e) => e.kind === 'eager_start').map((e) => e.task);
    expect(started).toEqual([taskNamed(trace, 'Task-2'), taskNamed(trace, 'Task-3')]);
    expect(trace.events.filter((e) => e.kind === 'done').map((e) => e.task)).toEqual(expect.arrayContaining(started));
    expect(trace.tasks.filter((t) => started.includes(t.id)).map((t) => t.coro)).toEqual(['Co()', 'Co()']);
  });

  it('a task given a loop object of the program’s is numbered without asking that object for anything (python3 asks it for get_debug and call_soon)', async () => {
    // python3 3.11 and 3.13 print this line (3.14's step then fails, that loop not being the running one).
    const trace = await run([
      'import asyncio',
      'looked = []',
      'class Proxy:',
      '    def __init__(self, loop):',
      '        self.loop = loop',
      '    def __getattr__(self, name):',
      '        looked.append(name)',
      '        return getattr(self.loop, name)',
      'async def work():',
      '    return 7',
      'async def main():',
      '    t = asyncio.Task(work(), loop=Proxy(asyncio.get_running_loop()))',
      '    await asyncio.sleep(0.1)',
      '    print(looked)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect(streamText(trace, 'stdout')).toBe("['get_debug', 'call_soon']\n");
  });

  it('eager_start is made true or false once (its __bool__ ran twice when false)', async () => {
    const trace = await run([
      'import asyncio',
      'asked = []',
      'class Flag:',
      '    def __bool__(self):',
      '        asked.append("bool")',
      '        return False',
      'async def work():',
      '    return 7',
      'async def main():',
      '    loop = asyncio.get_running_loop()',
      '    t = asyncio.Task(work(), loop=loop, eager_start=Flag())',
      '    print(t.done(), asked)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual(["False ['bool']\n", 0]);
  });
});

describe('asyncio.as_completed is 3.14’s own, with the tasks it makes numbered in a deterministic order', () => {
  // Expected output from python3 3.13 (a bare CPython 3.14 in Pyodide prints the same; 3.11's
  // as_completed is older: it accepted both, and its message differed).
  it('an awaitable is refused even when it is iterable, with 3.14’s message and its frames in asyncio/tasks.py', async () => {
    const refused = await run([
      'import asyncio',
      'class Both:',
      '    def __await__(self):',
      '        return iter(())',
      '    def __iter__(self):',
      '        return iter([])',
      'async def main():',
      '    for fs in (Both(), asyncio.sleep(0)):',
      '        try:',
      '            asyncio.as_completed(fs)',
      '            print("accepted", type(fs).__name__)',
      '        except TypeError as e:',
      '            print(e)',
      '        if asyncio.iscoroutine(fs):',
      '            fs.close()',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(refused, 'stdout'), refused.end.exitCode]).toEqual(['expects an iterable of awaitables, not Both\nexpects an iterable of awaitables, not coroutine\n', 0]);
    const unhashable = await run([
      'import asyncio',
      'async def main():',
      '    for f in asyncio.as_completed([asyncio.sleep(0.1, 1), [2]]):',
      '        print(await f)',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    const stderr = streamText(unhashable, 'stderr');
    expect(stderr).toMatch(/asyncio\/tasks\.py", line \d+, in as_completed\n {4}return _AsCompletedIterator\(fs, timeout\)\n/);
    expect(stderr).toMatch(/asyncio\/tasks\.py", line \d+, in __init__\n {4}todo = \{ensure_future\(aw, loop=loop\) for aw in set\(aws\)\}\n/);
    expect(stderr).toContain("TypeError: cannot use 'list' as a set element (unhashable type: 'list')\n"); // 3.14's words
  });

  it('an awaitable’s and the iterable’s __class__ are read as often as in 3.14, and no id() is called (its audit event)', async () => {
    const trace = await run([
      'import asyncio, sys',
      'ids = 0',
      'def hook(event, args):',
      '    global ids',
      '    if event == "builtins.id":',
      '        ids += 1',
      'sys.addaudithook(hook)',
      'looked = []',
      'class Aw:',
      '    @property',
      '    def __class__(self):',
      '        looked.append("Aw")',
      '        return Aw',
      '    def __await__(self):',
      '        return asyncio.sleep(0.05, "aw").__await__()',
      'class Jobs:',
      '    def __init__(self, *jobs):',
      '        self.jobs = jobs',
      '    @property',
      '    def __class__(self):',
      '        looked.append("Jobs")',
      '        return Jobs',
      '    def __iter__(self):',
      '        return iter(self.jobs)',
      'async def work(n):',
      '    await asyncio.sleep(n / 10)',
      '    return n',
      'async def main():',
      '    before = ids',
      '    it = asyncio.as_completed(Jobs(Aw(), work(2), work(1)))',
      '    made = ids - before',
      '    print(looked, made)',
      '    print([await f for f in it])',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    expect([streamText(trace, 'stdout'), trace.end.exitCode]).toEqual([
      "['Jobs', 'Jobs', 'Jobs', 'Aw', 'Aw', 'Aw', 'Aw', 'Aw', 'Aw'] 0\n['aw', 1, 2]\n",
      0,
    ]);
    // Made tasks in the order given: Task-2 for the awaitable, then work(2), work(1).
    expect(trace.tasks.filter((t) => t.name !== 'Task-1' && t.coro.startsWith('work')).map((t) => [t.name, t.coro])).toEqual([
      ['Task-3', 'work(2)'],
      ['Task-4', 'work(1)'],
    ]);
  });
});
