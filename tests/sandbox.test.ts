/**
 * The Python side of the sandbox (issue 9), run through the same supervisor the app uses, in a
 * Node worker thread (not itself a sandbox: this checks what Python can reach, which is the
 * same wherever the interpreter runs; e2e/isolation.spec.ts runs every attack in the browser).
 * Each attack program prints "blocked: …" per failed attempt and "ESCAPED: …" per success.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import type { Trace } from '../src/shared/trace';
import { ROOT, startRuntime, streamText } from './corpus/harness';

const attack = (name: string): string => readFileSync(join(ROOT, 'tests', 'attacks', name), 'utf8');
let runtime: RuntimeSupervisor;

beforeAll(async () => {
  runtime = startRuntime({ stallMs: 60_000 });
  await runtime.ready();
});
afterAll(() => runtime?.dispose());

function run(source: string, maxSteps = 5_000_000): Promise<Trace> {
  return runtime.run({ source, filename: 'attack.py', options: { maxSteps, wallSeconds: 120 } });
}

function limitMessage(trace: Trace): string {
  const last = trace.events.at(-1);
  return last?.kind === 'limit' ? last.message : '';
}

function expectAllBlocked(trace: Trace, atLeast: number): void {
  const out = streamText(trace, 'stdout');
  expect(out.split('\n').filter((l) => l.startsWith('ESCAPED')), out).toEqual([]);
  expect(out.split('\n').filter((l) => l.startsWith('blocked:')).length, out).toBeGreaterThanOrEqual(atLeast);
}

describe('no JavaScript is reachable from Python', () => {
  it('no JsProxy at all anywhere a program can look (modules, builtins, frames, gc, Pyodide internals)', async () => {
    const trace = await run(attack('19-walk-for-js-handles.py'));
    expectAllBlocked(trace, 1);
    expect(streamText(trace, 'stdout')).toMatch(/looked at \d{5,} objects/);
  });

  it('none in an interpreter restored from the snapshot either: it drops the handles recorded when the snapshot was made, without looking again', async () => {
    await run('pass\n'); // by now a snapshot is kept
    const restoredRuntime = startRuntime({ stallMs: 60_000 });
    try {
      expect((await restoredRuntime.ready()).restored).toBe(true);
      const trace = await restoredRuntime.run({ source: attack('19-walk-for-js-handles.py'), filename: 'attack.py', options: { maxSteps: 5_000_000, wallSeconds: 120 } });
      expectAllBlocked(trace, 1);
      expect(streamText(trace, 'stdout')).toMatch(/looked at \d{5,} objects/);
    } finally {
      restoredRuntime.dispose();
    }
  });

  it('no maker held by an object instead of a name: signatures, type converters, the JsFinder (attack 36)', async () => {
    expectAllBlocked(await run(attack('36-makers-held-by-objects.py')), 6);
  });

  it('no converter only Pyodide\'s C holds: the objects of its start stay frozen, out of gc\'s lists (attack 37)', async () => {
    expectAllBlocked(await run(attack('37-converter-error-marker.py')), 3);
  });

  it('no use-after-free through a Pyodide type: JsFuncSignature can be neither made nor initialised again, cold or restored (attack 42)', async () => {
    expectAllBlocked(await run(attack('42-signature-use-after-free.py')), 8);
    const restoredRuntime = startRuntime({ stallMs: 60_000 });
    try {
      expect((await restoredRuntime.ready()).restored).toBe(true);
      const trace = await restoredRuntime.run({ source: attack('42-signature-use-after-free.py'), filename: 'attack.py', options: { maxSteps: 5_000_000, wallSeconds: 120 } });
      expectAllBlocked(trace, 8);
    } finally {
      restoredRuntime.dispose();
    }
  });

  it('no code object made by hand: code.replace, CodeType, copy.replace, marshal, a .pyc it wrote; the compiler, imports and types.coroutine still work (attack 39)', async () => {
    const trace = await run(attack('39-hand-made-bytecode.py'));
    expectAllBlocked(trace, 7);
    expect(streamText(trace, 'stdout')).toMatch(/the compiler, an import from source and types\.coroutine all work\n$/);
    expect(trace.end.status).toBe('ok');
  });

  it('the hook that refuses them stays out of reach: not from its frame, its code, its locals or gc (attack 40)', async () => {
    const trace = await run(attack('40-switch-off-the-code-guard.py'));
    expectAllBlocked(trace, 6);
    expect(streamText(trace, 'stdout')).toMatch(/blocked: code\.replace is still refused\n$/);
  });

  it('not even a harmless-looking one: the import hook keeps no `js` entry to climb from to Array and Function', async () => {
    expectAllBlocked(await run(attack('28-js-module-table.py')), 5);
  });

  it('no maker of JavaScript objects under another name, in a closed module, or in a copy of a namespace', async () => {
    expectAllBlocked(await run(attack('29-makers-under-other-names.py')), 6);
  });

  it('no Python runs once the run is over: a promise\'s `then` left for JavaScript to call back never runs', async () => {
    // The attack's then() writes this file if it ever runs (Function makes code in Node).
    const marker = '/tmp/looplab-attack-31-escaped';
    rmSync(marker, { force: true });
    const trace = await run(attack('31-thenable-after-run.py'));
    expect(streamText(trace, 'stdout')).toMatch(/^(armed|blocked): /);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(existsSync(marker)).toBe(false);
  });

  it('nor when the program breaks the end of its own run (the tracer\'s monitoring tool freed)', async () => {
    const marker = '/tmp/looplab-attack-32-escaped';
    rmSync(marker, { force: true });
    const trace = await run(attack('32-break-the-end-of-the-run.py'));
    expect(streamText(trace, 'stdout')).toMatch(/^(armed|blocked): /);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(existsSync(marker)).toBe(false);
  });

  it('scheduleCallback, to_js, create_proxy, run_js, pyodide_js: gone, however they are asked for', async () => {
    expectAllBlocked(await run(attack('18-schedule-callback.py')), 6);
  });

  it('ctypes stays closed however it is imported, and no compiled extension can be loaded', async () => {
    expectAllBlocked(await run(attack('26-ctypes-every-way.py')), 4);
  });

  it('CPython\'s test helpers (a number turned into an object: raw memory) are closed however they are imported', async () => {
    expectAllBlocked(await run(attack('30-test-helper-modules.py')), 5);
  });
});

describe('limits without loopholes', () => {
  it('code a program compiles and execs itself counts toward the step budget', async () => {
    const trace = await run(attack('25-exec-budget.py'), 20_000);
    const last = trace.events.at(-1);
    expect(last).toMatchObject({ kind: 'limit', reason: 'steps' });
    expect(last?.kind === 'limit' && last.message).toMatch(/lines of code it compiled and ran itself/);
    expect(streamText(trace, 'stdout')).toBe('before\n');
  });

  // The budget trusts the code that was there before the program (by identity), not a file
  // name the program can choose: each of these ran past it, unseen, until the wall clock.
  it.each([
    ['55-budget-under-a-library-name.py', 'compiled under a standard-library file name'],
    ['56-budget-module-in-site-packages.py', 'a module it wrote into site-packages and imported'],
    ['57-budget-module-in-the-tracers-folder.py', "a module it wrote into the tracer's folder and imported"],
    // The budget of code a program compiles itself is held by numbers its hook took before the
    // program ran: the recorder's own can be reached (sys.stdout._rec) and were changed, and
    // the run went on to the host's real-time allowance.
    ['59-budget-through-the-recorder.py', 'after it raised the recorder’s budget, time limit and batch'],
    // sys.monitoring.get_tool.__self__ was the real sys.monitoring: set_events(3, 0) switched
    // the counting off, and the run went on to the host's 8 s limit.
    ['60-budget-through-monitorings-self.py', 'after it looked for the real sys.monitoring behind the program’s'],
    // sys.monitoring's guard refused only an exact int: I(3), class I(int), reached Loop Lab's
    // tool, and exec'd code ran 30,000,000 lines past the budget (a reviewer's).
    ['62-budget-through-an-int-subclass.py', 'after it named Loop Lab’s tools by an int subclass'],
    // The guard handed on, to be read again, a tool id whose __index__ raised TypeError: once
    // it said 3, set_events switched the counting off (5,000,000 lines past the budget); the
    // same hole in os.kill's guard ended the interpreter (a reviewer's).
    ['63-budget-through-a-changing-index.py', 'after an __index__ that raised, then named Loop Lab’s tools'],
  ])('%s: code %s counts toward the step budget', async (file) => {
    const trace = await run(attack(file), 20_000);
    const last = trace.events.at(-1);
    expect(last).toMatchObject({ kind: 'limit', reason: 'steps' });
    expect(last?.kind === 'limit' && last.message).toMatch(/lines of code it compiled and ran itself/);
    const out = streamText(trace, 'stdout');
    expect(out).toMatch(/(^|\n)before\n$/);
    expect(out).not.toMatch(/ESCAPED/);
  });

  // CPython calls a trace or profile function, and an audit hook, with tracing off: no
  // sys.monitoring event fires there, and a hook's loop of 30,000,000 lines ran uncounted to its
  // end, status 0 (a reviewer's). Loop Lab calls them through sys.call_tracing (hooks.py).
  it.each([
    ['64-budget-in-a-trace-function.py', 'a trace function (sys.settrace)'],
    ['65-budget-in-a-local-trace-function.py', 'the local trace function a trace function returns'],
    ['66-budget-in-a-profile-function.py', 'a profile function (sys.setprofile)'],
    ['67-budget-in-an-audit-hook.py', 'an audit hook (sys.addaudithook)'],
    ['71-budget-in-what-an-audit-hook-returns.py', 'the __del__ of what an audit hook returns'],
    ['72-budget-in-an-object-the-wrapper-drops.py', 'the __del__ of an object left in a hook wrapper’s state'],
  ])('%s: the lines of %s count toward the step budget', async (file) => {
    const trace = await run(attack(file), 20_000);
    const last = trace.events.at(-1);
    expect(last).toMatchObject({ kind: 'limit', reason: 'steps' });
    expect(last?.kind === 'limit' && last.message).toMatch(/The program ran 20,000 lines/);
    expect(streamText(trace, 'stdout')).toBe('before\n');
  });

  // The wrappers CPython calls with tracing off keep their state in lists the program can reach
  // (import _looplab.hooks): an object of the program's put there was asked for its truth or its
  // sum, uncounted (a reviewer's __bool__ ran 100,000,000 lines at a 1,000-step budget).
  it.each([
    ['69-code-in-the-audit-wrapper-state.py', 'the audit-hook wrapper'],
    ['70-code-in-the-trace-wrapper-state.py', 'the trace-function wrapper'],
  ])('%s: %s never asks an object of the program’s anything', async (file) => {
    const trace = await run(attack(file), 5_000);
    expectAllBlocked(trace, 1);
    expect(streamText(trace, 'stdout')).toMatch(/\nend\n$/);
    expect(trace.end.status).toBe('ok');
  });

  it("an audit hook of the program's is handed none of Loop Lab's frames, and is not called after the run (attack 68)", async () => {
    const trace = await run(attack('68-audit-hook-sees-the-tracer.py'));
    expectAllBlocked(trace, 2);
    expect(streamText(trace, 'stdout')).toMatch(/\nend\n$/);
    // Before: the hook added last raised at Loop Lab's last collection, and the run crashed.
    expect(trace.end.exitCode).toBe(0);
  });

  it("the program's code is never taken for the tracer's: the trust checks' keys cannot be rebound, nor their defaults or code changed (attack 61)", async () => {
    expectAllBlocked(await run(attack('61-trusted-names-rebound.py')), 5);
  });

  it("code compiled under the tracer's file name is shown in tracebacks and to the program's trace function", async () => {
    expectAllBlocked(await run(attack('58-frames-under-the-tracers-name.py')), 2);
  });

  it('non-finite numbers neither crash the worker nor reach the host', async () => {
    const trace = await run(attack('21-non-finite-numbers.py'));
    expectAllBlocked(trace, 3);
    expect(streamText(trace, 'stdout')).toMatch(/nan timer ran/);
    const timers = trace.events.filter((e) => e.kind === 'timer');
    expect(timers.some((t) => t.kind === 'timer' && t.when === null)).toBe(true); // NaN travels as "never"
  });

  it('one enormous print is cut at the output limit before it is kept', async () => {
    const trace = await runtime.run({ source: attack('24-huge-print.py'), filename: 'attack.py', options: { maxOutputChars: 1_000_000 } });
    expect(trace.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'output' });
    expect(streamText(trace, 'stdout').length).toBe(1_000_000);
  });

  it('files count toward the memory cap: the program gets "No space left on device"', async () => {
    const trace = await run(attack('23-fill-file-system.py'));
    const out = streamText(trace, 'stdout');
    expect(out).toMatch(/blocked: fill \/tmp: OSError/);
    expect(out).not.toMatch(/ESCAPED/);
  });

  it('a file grown ahead of its writes keeps exactly what was written, and no room it has not filled counts against other files or Python', async () => {
    // growFile moves a file into a buffer that grows in place: the bytes must survive every way
    // a file is written (bytes >= 0x80 from the interpreter's memory, seeks past the end,
    // overwrites, append). A first version doubled files instead, and the room a file had not
    // filled was refused to others: bytearray(120 MB) beside a 129 MB file (a reviewer), and a
    // second file's writes at 97 MB beside a 140 MB one (an attacker).
    const program = [
      'import os',
      'expected = bytearray()',
      'def put(f, at, data):',
      '    f.seek(at)',
      '    f.write(data)',
      '    end = at + len(data)',
      '    if end > len(expected):',
      '        expected.extend(bytes(end - len(expected)))',
      '    expected[at:end] = data',
      'with open("/tmp/grown.bin", "w+b") as f:',
      '    for i in range(300):',
      '        put(f, len(expected), bytes((i * 7 + j) % 256 for j in range(4093)))',
      '    put(f, len(expected) + 5000, b"\\xff\\x80 after a gap")',
      '    put(f, 3, b"overwritten")',
      'with open("/tmp/grown.bin", "ab") as f:',
      '    f.write(b"appended")',
      '    expected.extend(b"appended")',
      'with open("/tmp/grown.bin", "rb") as f:',
      '    print("same bytes:", f.read() == bytes(expected), len(expected))',
      'with open("/tmp/big.bin", "wb") as f:',
      '    block = b"y" * (64 * 1024)',
      '    for _ in range(129 * 16):',
      '        f.write(block)',
      'with open("/tmp/other.bin", "wb") as f:',
      '    for _ in range(100):',
      '        f.write(b"z" * (1024 * 1024))',
      'print("another file:", os.path.getsize("/tmp/other.bin") // (1024 * 1024), "MB")',
      'os.remove("/tmp/other.bin")',
      'room = bytearray(120 * 1024 * 1024)',
      'print("room for Python:", len(room) // (1024 * 1024), "MB; the file:", os.path.getsize("/tmp/big.bin") // (1024 * 1024), "MB")',
      '',
    ].join('\n');
    const trace = await run(program);
    expect(streamText(trace, 'stdout')).toBe('same bytes: True 1232922\nanother file: 100 MB\nroom for Python: 120 MB; the file: 129 MB\n');
    expect(trace.events.at(-1)?.kind).not.toBe('limit');
  });

  it('a file written a block at a time reaches the cap as the program\'s own OSError, soon: not a memory limit, not a stall', async () => {
    // Emscripten grows a file by 1.125× and copies it each time: 8 MB blocks ran 9.3 s and were
    // stopped as stuck, and 64 KB blocks ended at the memory limit, the room a file was grown
    // by pushing the count past the cap before any write was refused (file-caps.ts, growFile).
    for (const kb of [64, 8 * 1024]) {
      const program = [
        `block = b"x" * (${kb} * 1024)`,
        'written = 0',
        'try:',
        '    with open("/tmp/big.bin", "wb") as f:',
        '        while True:',
        '            f.write(block)',
        '            written += len(block)',
        'except OSError as error:',
        '    print(error, written > 300 * 1024 * 1024)',
        '',
      ].join('\n');
      const trace = await run(program);
      expect(streamText(trace, 'stdout'), `${kb} KB blocks`).toBe('[Errno 51] No space left on device True\n');
      expect(trace.events.at(-1)?.kind, `${kb} KB blocks`).not.toBe('limit');
    }
  });
});

describe('frames a program writes to the trace device itself (it shares the interpreter with the tracer)', () => {
  const forge = (frames: string): string =>
    [
      'import json, os',
      'fd = os.open("/dev/looplab-trace", os.O_WRONLY)',
      'def frame(events, declared=None):',
      '    body = json.dumps(events).encode()',
      '    size = len(body) if declared is None else declared',
      '    os.write(fd, size.to_bytes(4, "little") + (0).to_bytes(4, "little") + body)',
      'print("before")',
      frames,
      'print("after")',
      '',
    ].join('\n');
  const damaged = (trace: Trace): void => {
    expect(trace.events.at(-1), JSON.stringify(trace.events.at(-1))).toMatchObject({ kind: 'limit', reason: 'damaged' });
    expect(streamText(trace, 'stdout')).not.toMatch(/after/);
  };

  it('a limit in words of its own never reaches the banner', async () => {
    const trace = await run(forge('frame([["limit", "crashed", "Loop Lab needs an update: open https://evil.example and sign in."]])'));
    damaged(trace);
    expect(JSON.stringify(trace.events)).not.toMatch(/evil\.example/);
  });

  it('output past the cap, however it is sent, ends the run as damaged (the page never holds it)', async () => {
    const trace = await run(forge('frame([["out", "stdout", "A" * 3_500_000]])'));
    damaged(trace);
    expect(streamText(trace, 'stdout').length).toBeLessThan(100);
  });

  it('a frame header promising more than the tracer ever writes is refused at once, not waited for', async () => {
    const trace = await run(forge('os.write(fd, (0x7fffffff).to_bytes(4, "little") + (0).to_bytes(4, "little"))'));
    damaged(trace);
  });

  it('a flood of line numbers that no marker places is refused once it passes the step budget (attack 33)', async () => {
    // 32 million of them: before, the host kept and re-copied them all, and took the run as normal.
    const trace = await run(attack('33-flood-of-unplaced-lines.py'), 1_000_000);
    expect(trace.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'damaged' });
    expect(limitMessage(trace)).toMatch(/more line numbers than the run’s step budget/);
    expect(streamText(trace, 'stdout')).not.toMatch(/ESCAPED/);
  });

  it('what the program’s objects print as they are dropped at its end is cut at a small allowance, not at no limit at all', async () => {
    // Its own output near the cap, then a __del__ that prints 1.5 million characters more.
    const source = [
      'class Loud:',
      '    def __del__(self):',
      '        for _ in range(150):',
      '            print("y" * 9999)',
      'keep = Loud()',
      'print(("x" * 9999 + "\\n") * 199, end="")',
      'print("main done")',
    ].join('\n');
    const trace = await run(source);
    expect(trace.end.status).toBe('ok');
    const out = streamText(trace, 'stdout');
    expect(out.length).toBe(199 * 10_000 + 'main done\n'.length + 10_000);
    expect(out.slice(-10_010)).toBe(`main done\n${'y'.repeat(9999)}\n`);
  });

  it('no chunk makes the host place more than MESSAGE_LINES steps in one task: frames of its own, or the recorder filled by hand (attack 43)', async () => {
    // Before, the frames' million lines were made into events in one task of the host's
    // (170–300 ms), and the recorder's were taken as a normal run.
    const program = attack('43-million-lines-in-one-chunk.py');
    for (const [source, refusal] of [
      [program, /a chunk places more line steps than the tracer ever sends at once/],
      [program.replace('"--recorder" in sys.argv', 'True'), /a chunk carries more line numbers than the tracer ever sends at once/],
    ] as const) {
      const trace = await run(source);
      expect(trace.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'damaged' });
      expect(limitMessage(trace)).toMatch(refusal);
      expect(streamText(trace, 'stdout')).toBe('before\n');
      // Never the forged million: at most as many steps as the program ran lines itself (~205:
      // its loop writes 99 frames, two lines a turn). The tracer's own markers place that many,
      // with whatever line numbers are waiting, the forged ones among them: how many of those
      // markers come before the forged one depends on when the tracer flushes (0–192 seen here).
      expect(trace.events.filter((e) => e.kind === 'line').length).toBeLessThanOrEqual(210);
    }
  });

  it('no chunk makes the host check more than MESSAGE_EVENTS events in one task: a frame of its own, or the recorder filled by hand (attack 44)', async () => {
    // Before, 99,000 one-character outputs weighed under the chunk cap and were checked in one
    // task of the host's (0.3–0.7 s), and taken as the program's output.
    const program = attack('44-many-light-events-in-one-chunk.py');
    for (const source of [program, program.replace('"--recorder" in sys.argv', 'True')]) {
      const trace = await run(source);
      expect(trace.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'damaged' });
      expect(limitMessage(trace)).toMatch(/a chunk carries more events than the tracer ever sends at once/);
      expect(streamText(trace, 'stdout')).toBe('before\n');
    }
  });

  it('a limit the trace never reached is refused: a run of a few lines set the tracer’s `stopped` by hand (attack 45)', async () => {
    // Before, it ended as a runaway loop stopped at its step budget ("It may never end").
    const program = attack('45-forged-limit-never-reached.py');
    for (const [source, reason] of [[program, 'steps'], [program.replace('"--events" in sys.argv', 'True'), 'events']] as const) {
      const trace = await run(source);
      expect(trace.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'damaged' });
      expect(limitMessage(trace)).toMatch(new RegExp(`a ${reason} limit with words the tracer never writes`));
      expect(streamText(trace, 'stdout')).toBe('before\n');
    }
  });

  it('a limit in the tracer’s exact words is held to the host’s own measure: time, memory, deadlock, compiled lines, output (attack 46)', async () => {
    // Before, each ended the run as the limit it named: "ran for 10 seconds" a moment in, a
    // deadlock with no loop running, 2.9 million characters with no limit at all.
    const program = attack('46-forged-limits-in-the-tracers-words.py');
    const refusals = {
      '--time': /a time limit with words the tracer never writes/,
      '--memory': /a memory limit the interpreter never reached/,
      '--deadlock': /a deadlock while the loop had something to run/,
      '--compiled': /a steps limit with words the tracer never writes/,
      '--output': /more output than the run may print/,
    };
    for (const [flag, refusal] of Object.entries(refusals)) {
      const trace = await run(program.replace(`"${flag}" in sys.argv`, 'True'));
      expect(trace.events.at(-1), flag).toMatchObject({ kind: 'limit', reason: 'damaged' });
      expect(limitMessage(trace), flag).toMatch(refusal);
      expect(streamText(trace, 'stdout').startsWith('before\n'), flag).toBe(true);
      expect(streamText(trace, 'stdout'), flag).not.toMatch(/ESCAPED/);
    }
  });

  it('memory the file system holds outside the counted files is bounded: deleted open files, long names and link targets, a pipe nobody reads (attack 48)', async () => {
    // Before, they held 2.5 GB, 1.2 GB and 1 GB while the memory cap read under 40 MB, a file
    // written in one go was never counted, and deleting the standard library's zip raised the cap.
    const trace = await run(attack('48-memory-outside-the-counted-files.py'));
    const out = streamText(trace, 'stdout');
    expectAllBlocked(trace, 6);
    expect(out).toMatch(/blocked: deleted but open: OSError: \[Errno 51\] No space left on device/);
    expect(out).toMatch(/blocked: a deleted file open counts until its last close \(6\d MB, then 0\)/);
    expect(out).toMatch(/blocked: long link targets: OSError: \[Errno 37\] Filename too long/);
    expect(out).toMatch(/blocked: full pipe: BlockingIOError/);
  });

  it('what Emscripten’s JavaScript keeps is bounded or counted: host names, pipes and sockets made and closed; standard input is at its end (attack 49)', async () => {
    // Before, 40 names of 160 MB ended the whole host process, 3.8 million sockets grew the
    // worker by 3 GB while the cap counted 30 MB, and reading /dev/stdin crashed the run.
    const trace = await run(attack('49-javascript-kept-by-emscripten.py'));
    expectAllBlocked(trace, 5);
    expect(trace.events.at(-1)?.kind).not.toBe('limit');
  });

  it('directory listings a program keeps open are counted, through duplicated descriptors too, and given back when closed or rewound (attack 51)', async () => {
    // Before, 1,000 listings of a 20,000-name folder held 378 MB the cap never counted, and
    // 4,000 ended the worker ("JS heap out of memory"); a browser's worker has no such limit.
    // A second attacker's: listings kept uncounted in duplicated descriptors (2,800 held, 0 MB
    // counted, the worker ended), and rewound listings never given back (refused after 725).
    const trace = await run(attack('51-directory-listings.py'));
    expectAllBlocked(trace, 4);
    expect(streamText(trace, 'stdout')).toMatch(/blocked: listing \d+ refused at the cap \(3\d\d MB counted\): \[Errno 51\] No space left on device/);
  });

  it('no real time through the C profiler: cProfile times by the virtual clock, and the bare C type cannot be made (attack 52)', async () => {
    // Before, a program profiling itself printed real milliseconds (its trace differed run to
    // run), and _lsprof.Profiler found through object.__subclasses__() made a microsecond
    // stopwatch (a second attacker's finding).
    const trace = await run(attack('52-real-clock-through-the-profiler.py'));
    expectAllBlocked(trace, 2);
  });

  it('no forged wait: a rebound math or operator, a float whose comparisons lie, a call named with a million characters (attack 53)', async () => {
    // Before, a program that rebound math.ceil handed poll() a float subclass whose comparisons
    // all said yes, and the run ended as damaged (a block of inf s); a selector class named with
    // a million characters made every block event a megabyte (a fourth attacker's findings).
    const trace = await run(attack('53-forged-waits.py'));
    expectAllBlocked(trace, 8);
    expect(trace.end.status).toBe('ok');
    const calls = trace.events.flatMap((e) => (e.kind === 'block' && e.call !== undefined ? [e.call] : []));
    expect(calls.length).toBeGreaterThan(300);
    expect(Math.max(...calls.map((call) => call.length))).toBe(200); // cut by the tracer, with its mark
    expect(calls.at(-1)!.endsWith('…')).toBe(true);
  });

  it('fcntl and ioctl write into no memory, and the tracer’s channel cannot be taken by a file of the program’s (attack 54)', async () => {
    // A fifth attacker's: fcntl(fd, F_GETLK, n) wrote at address n, and led to a JavaScript
    // Function from the CLI; os.dup2 over the tracer's descriptor sent its chunks to the
    // program's file, and only a forged one reached the host. An object of the program's with
    // an __index__ passed the check as no int, and C read it as an address (a reviewer's).
    const trace = await run(attack('54-fcntl-writes-anywhere.py'));
    expectAllBlocked(trace, 8);
    expect(streamText(trace, 'stdout')).toContain("flags: True\na duplicate: True\nafter the swap: the tracer's chunks still reach the host\n");
    expect(trace.end.status).toBe('ok');
  });

  it('cProfile counts calls as python3’s does: the program’s functions, their callers, and its own disable()', async () => {
    // What CPython 3.13.0 prints for this program (pyenv's python3.13 here), line for line.
    const source = [
      'import asyncio, cProfile, pstats',
      '',
      'def fib(n):',
      '    return n if n < 2 else fib(n - 1) + fib(n - 2)',
      '',
      'async def worker(n):',
      '    await asyncio.sleep(0.5)',
      '    return fib(n)',
      '',
      'async def main():',
      '    return await asyncio.gather(worker(10), worker(12))',
      '',
      'with cProfile.Profile() as profiler:',
      '    results = asyncio.run(main())',
      'print(results)',
      'for (file, line, name), (cc, nc, tt, ct, callers) in sorted(pstats.Stats(profiler).stats.items(), key=lambda item: item[0][2]):',
      '    if file == __file__ or name == "<method \'disable\' of \'_lsprof.Profiler\' objects>":',
      '        print(name, line, cc, nc, sorted(f[2] for f in callers))',
      '',
    ].join('\n');
    const trace = await run(source);
    expect(streamText(trace, 'stderr')).toBe('');
    expect(streamText(trace, 'stdout')).toBe(
      [
        '[55, 144]',
        "<method 'disable' of '_lsprof.Profiler' objects> 0 1 1 ['__exit__']",
        "fib 3 2 642 ['fib', 'worker']",
        'main 10 2 2 ["<method \'run\' of \'_contextvars.Context\' objects>"]',
        'worker 6 4 4 ["<method \'run\' of \'_contextvars.Context\' objects>"]',
        '',
      ].join('\n'),
    );
  });

  it('a pipe closed unread gives its bytes back (PIPEFS frees them with its last end): 10,000 closed with 40 KB unread, as python3 allows', async () => {
    // Before, counted for good as if kept, the 7,397th was refused for want of memory.
    const source = [
      'import os',
      'for n in range(10_000):',
      '    r, w = os.pipe()',
      '    os.write(w, b"x" * 40_000)',
      '    os.close(w)',
      '    os.close(r)',
      'print("closed unread:", n + 1)',
      '',
    ].join('\n');
    const trace = await run(source);
    expect(streamText(trace, 'stderr')).toBe('');
    expect(streamText(trace, 'stdout')).toBe('closed unread: 10000\n');
  });

  it('an empty pipe counts what it holds (its first buffer and two nodes, ~9 KB), not a full one: 8,000 made and closed, as python3 allows', async () => {
    // Before, each counted 66 KB (as if full, for good): the 5,400th pipe of a program that
    // closed every one was refused for want of memory the worker never used.
    const source = [
      'import os',
      'for n in range(8_000):',
      '    r, w = os.pipe()',
      '    os.close(r)',
      '    os.close(w)',
      'print("made and closed:", n + 1)',
      '',
    ].join('\n');
    const trace = await run(source);
    expect(streamText(trace, 'stderr')).toBe('');
    expect(streamText(trace, 'stdout')).toBe('made and closed: 8000\n');
  });

  it('no command runs on the host and no socket reaches its network, in a Node worker too: they answer as in a browser (attack 50)', async () => {
    // Before, from the command-line tool, os.system ran its command through a real shell, and a
    // program's own sockets connected to the host's network, served on it, and queued 64 MB
    // while connecting (browser-imports.ts, program-sockets.ts).
    const marker = '/tmp/looplab-attack-marker.txt';
    rmSync(marker, { force: true });
    const trace = await run(attack('50-the-hosts-shell-and-network.py'));
    const out = streamText(trace, 'stdout');
    expectAllBlocked(trace, 8);
    expect(existsSync(marker), 'the shell wrote a file on the host').toBe(false);
    expect(out).toContain('blocked: os.system writes a file on the host: OSError: os.system returned -1\n');
    expect(out).toContain('blocked: connect 127.0.0.1:22, blocking: OSError: [Errno 23] Host is unreachable\n');
    expect(out).toContain('blocked: 1 MB sends while connecting: OSError: [Errno 23] Host is unreachable\n');
    expect(out).toContain('blocked: listen on 127.0.0.1: OSError: [Errno 138] Not supported\n');
  });

  it('what a program learns of the machine is the browser’s, not the host’s: no script path, uid, umask, Node version, 1 ns clock or real time; /dev/random gives bytes', async () => {
    // Before, in a Node worker thread: sys.executable was the host's path to node-worker.js
    // (in the snapshot too), os.getuid() the host user's, the runtime "Node.js v20.20.2", the
    // monotonic clock's resolution 1 ns; /dev/random read b'' (its device number was the trace's);
    // clock_gettime (given any id, __index__ too), process_time, the times of files made before
    // the run and of pipes, threading's and logging's clocks read the host's real clocks.
    const trace = await run(readFileSync(join(ROOT, 'tests', 'fixtures', 'host-facts.py'), 'utf8'));
    expect(streamText(trace, 'stdout')).toBe(
      [
        'executable: /home/learner/this.program',
        "interpreter argv: ['./this.program']",
        'environ _: ./this.program LANG: C.UTF-8',
        'runtime: Loop Lab',
        'uid: 0 0',
        'umask: 0 0',
        "time zone: ('UTC', 'UTC') 22:13:20 UTC 2023-11-14T22:13:20+00:00",
        "C's local time: ('1970-01-01 00:00:00', '1970-01-01 00:00:00')",
        'clock resolution: 1.0000000000000002e-06 0.001',
        '/dev/random gives: 16 bytes',
        '/dev/urandom gives: 16 bytes',
        'os.system: -1',
        'clocks: 1700000002.5 2.5 0.0 0',
        'file times: 1700000000.0 1700000000.0 1700000000.0',
        "times of what was there before, from the clock's start: [0.0, 0.0, 0.0, 0.0] 0.0",
        'clocks kept under other names: 2.5 2500.0 2.5',
        '',
      ].join('\n'),
    );
  });

  it('output the tracer does not record is dropped as it comes: 128 MB to fd 1, then fd 2, with no newline; no /dev/tty (attack 47)', async () => {
    // Before, each byte waited in a JavaScript array for a newline: the run stalled for 8 s and
    // was stopped, and 112 MB ended the whole host process (V8's "invalid size error").
    const trace = await run(attack('47-output-with-no-newline.py'));
    expectAllBlocked(trace, 3);
    expect(streamText(trace, 'stdout')).toContain('the host is still here\n');
    expect(trace.events.at(-1)?.kind).not.toBe('limit');
  });

  it('a run’s real time is never more than the host saw pass: a program that set the tracer’s clock to 10^12 s', async () => {
    const source = [
      'import sys',
      'frame = sys._getframe()',
      'rec = None',
      'while frame is not None and rec is None:',
      '    rec = frame.f_locals.get("rec")',
      '    frame = frame.f_back',
      'sys.modules["_looplab.runner"]._real_perf_counter = lambda: 1e12',
      'print("finished in a moment")',
      '',
    ].join('\n');
    const started = performance.now();
    const trace = await run(source);
    expect(streamText(trace, 'stdout')).toBe('finished in a moment\n');
    expect(trace.end.wallMs).toBeLessThanOrEqual(performance.now() - started);
  });

  it('a frame of a million tiny values is weighed, not parsed: the run ends as a trace grown too long, its steps kept (attack 38)', async () => {
    const trace = await run(attack('38-heavy-trace-frames.py'));
    expect(trace.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'events' });
    expect(streamText(trace, 'stdout')).toBe('before\n');
  });

  it('a run summary of the program’s own (a replaced _finish) is refused before anything is made of it (attack 41)', async () => {
    // It claimed 100 million line numbers, or listed 200,000: the worker built and posted them all.
    const program = attack('41-forged-run-summary.py');
    for (const source of [program, program.replace('forged = long_list if "--list" in sys.argv else claim', 'forged = long_list')]) {
      const trace = await run(source);
      // (Its print never reaches the host: the replaced _finish was to send it.)
      expect(trace.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'damaged' });
      // Refused by the worker as it read the summary, not by the host after it had all been made and sent.
      const last = trace.events.at(-1);
      expect(last?.kind === 'limit' && last.message).toMatch(/something other than the tracer wrote to its channel/);
      expect(trace.events.filter((e) => e.kind === 'line').length).toBeLessThan(50);
    }
  });

  it('a run summary that is no string (an object whose repr is JSON two million brackets deep) ends the run as damaged, and the next program runs (review 40)', async () => {
    // Handed over as a proxy: its length read undefined, its repr ran as JSON.parse asked for
    // text, and the post of what it parsed to could not be cloned, which skipped the wipe.
    const trace = await run(
      [
        'import _looplab.runner as runner',
        'class Summary:',
        '    def __repr__(self):',
        '        d = 1_000_000',
        '        return \'{"events":[],"lines":[],"status":\' + "[" * d + "]" * d + \',"limited":false,"clock":0,"wallMs":0}\'',
        'runner._finish = lambda rec, status, S=Summary: S()',
        'print("patched")',
        '',
      ].join('\n'),
    );
    expect(trace.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'damaged' });
    expect((await run('print("still fine")\n')).events.filter((e) => e.kind === 'output').map((e) => e.kind === 'output' && e.text)).toEqual(['still fine\n']);
  });

  it('frames written all at once reach the host as one message, not one each (300,000 empty frames in one write)', async () => {
    // One message per frame was 300,000 tasks for the host, past the most any run sends.
    const trace = await run(forge('os.write(fd, ((2).to_bytes(4, "little") + (0).to_bytes(4, "little") + b"[]") * 300_000)'));
    expect(trace.end.status).toBe('ok');
    expect(streamText(trace, 'stdout')).toBe('before\nafter\n');
  });

  it('a step on a line past the program’s last is refused (the board would point at a line that is not there)', async () => {
    // One line number, no marker: the tracer's next marker places it among its own.
    const forgeLine = (line: number): string => forge(`os.write(fd, (2).to_bytes(4, "little") + (4).to_bytes(4, "little") + b"[]" + (${line}).to_bytes(4, "little"))`);
    const trace = await run(forgeLine(99));
    damaged(trace);
    expect(limitMessage(trace)).toMatch(/a step is on a line past the program’s last/);
    // The same with a line the program has (the forge is 9 lines long: this is its 8th) is damaged otherwise.
    const inRange = await run(forgeLine(8));
    expect(inRange.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'damaged' });
    expect(limitMessage(inRange)).not.toMatch(/past the program’s last/);
  });

  it('events no real run writes, in the tracer’s own shapes, through the recorder or the channel, end the run as damaged (attack 73)', async () => {
    // Before, each was taken as a normal run: a pop of a task never queued, a task done twice,
    // a sleeping task given output (an eager step of a task already waiting), an exception's line past the program's last,
    // a sleeping task finished, a second task run while the first still runs (helper-144's).
    const program = attack('73-forged-trace-semantics.py');
    const refusals = {
      pop: /a task leaves a ready queue it is not in/,
      'done-twice': /a task finishes a second time/,
      'sleeper-prints': /a task that had already started starts its first step again/,
      line: /an event points at a line past the program’s last/,
      'sleeper-done': /a task finishes while it is not running/,
      vanish: /a step begins while another is still running/,
    };
    for (const channel of [false, true]) {
      for (const [mode, refusal] of Object.entries(refusals)) {
        const trace = await run(program.replace('MODE = "pop"', `MODE = "${mode}"`).replace('CHANNEL = False', `CHANNEL = ${channel ? 'True' : 'False'}`));
        expect(trace.events.at(-1), `${mode} ${channel}`).toMatchObject({ kind: 'limit', reason: 'damaged' });
        expect(limitMessage(trace), `${mode} ${channel}`).toMatch(refusal);
        expect(streamText(trace, 'stdout')).toBe('before\n');
      }
    }
  });

  it('nothing but output may follow the run’s last event', async () => {
    const trace = await run(forge('frame([["exc", "ValueError", "forged", None], ["clock", 5]])'));
    damaged(trace);
  });
});

describe('the end of the run is the host’s to check (the tracer shares the interpreter with the program)', () => {
  it('a summary the program wrote itself, that the events do not bear out, ends the run as damaged (attack 34)', async () => {
    const trace = await run(attack('34-forge-the-run-summary.py'));
    expect(trace.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'damaged' });
    expect(trace.end.status).toBe('limit');
    expect(trace.end.clock).not.toBe(3600);
  });

  it('a crash in words the program chose: the banner keeps to the app’s own (attack 35)', async () => {
    const trace = await run(attack('35-crash-banner-words.py'));
    expect(trace.events.at(-1)).toMatchObject({ kind: 'limit', reason: 'crashed' });
    expect(limitMessage(trace)).toBe('The Python interpreter broke while running the program. The steps recorded before that are kept.');
    expect(JSON.stringify(trace.events)).not.toMatch(/evil\.example/);
  });
});

describe('nothing is kept between runs', () => {
  it('patched builtins, asyncio and tracer, files and loops left behind: the next program sees none of them', async () => {
    const left = await run(attack('22-leave-things-behind.py'));
    expect(streamText(left, 'stdout')).toMatch(/HIJACKED left: leave a file/); // it did patch print, in its own run
    const probe = [
      'import asyncio, builtins, os',
      'async def main():',
      '    await asyncio.sleep(0.5)',
      '    print("print is", "builtin" if type(builtins.print).__name__ == "builtin_function_or_method" else "patched")',
      '    print("file", "left" if os.path.exists("/tmp/looplab-left-behind.txt") else "gone")',
      'asyncio.run(main())',
      '',
    ].join('\n');
    const after = await run(probe);
    expect(streamText(after, 'stdout')).toBe('print is builtin\nfile gone\n');
    expect(after.end.status).toBe('ok');
  });
});
