/**
 * The `loop-lab` command (bin/loop-lab.mjs → out/node/loop-lab.js): `run` behaves like
 * `python3 FILE.py`, `trace` prints one step per row with the fields it promises, and the
 * step budget ends a program that never would.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtWorker, ROOT } from './corpus/harness';

const BIN = join(ROOT, 'bin/loop-lab.mjs');
const TUTORIAL = join(ROOT, 'tests/tutorial');
const scratch = mkdtempSync(join(tmpdir(), 'loop-lab-cli-'));

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  builtWorker(); // the CLI runs the built runtime: refuse to test a stale one
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 90_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function program(name: string, source: string | Buffer): string {
  const path = join(scratch, name);
  writeFileSync(path, source);
  return path;
}

describe('loop-lab run', () => {
  it('a program that reached JavaScript through memory makes no code from strings, and runs no shell (attack 74, helper-146)', () => {
    const marker = join(scratch, 'attack-74-marker');
    const source = readFileSync(join(import.meta.dirname, 'attacks', '74-array-write-anywhere-to-a-shell.py'), 'utf8').replace('/tmp/looplab-attack-74-marker', marker);
    const result = cli('run', program('attack74.py', source));
    expect(existsSync(marker)).toBe(false);
    expect(result.stdout).not.toContain('ESCAPED');
    // It does reach a JavaScript function (the CLI is not a sandbox): V8 refuses to make code with it.
    expect(result.stdout).toContain('a JavaScript function: Function');
    expect(result.stdout).toMatch(/blocked: Function, JsException EvalError: Code generation from strings disallowed/);
  });


  it("a program that reached Pyodide's API object through a getter it planted on Object.prototype reaches no host file and runs no shell (attack 75, atk3)", () => {
    const dir = mkdtempSync(join(scratch, 'attack-75-'));
    const source = readFileSync(join(import.meta.dirname, 'attacks', '75-api-through-a-prototype-getter-to-nodefs.py'), 'utf8').replace('HOSTDIR = "/tmp"', `HOSTDIR = ${JSON.stringify(dir)}`);
    // --no-cache: the run that makes the kept snapshot is one the getter does not catch the API in.
    const result = cli('run', '--no-cache', program('attack75.py', source));
    // It has all of memory and a JavaScript object (the CLI is not a sandbox), but Object.prototype
    // is frozen: no getter can be planted to be handed Pyodide's API. What the API held that
    // reaches the host is given up too (closePyodideWaysOut: tests/node-worker-lockdown.test.ts).
    expect(result.stdout).toContain('memory: 0x7fff0000');
    expect(result.stdout).not.toContain('ESCAPED');
    expect(readdirSync(dir)).toEqual([]);
    expect(result.stdout).toMatch(/^blocked: a getter on Object\.prototype/m);
  });

  it("a program that reached JavaScript through memory sets no stack-trace hook nor Function.prototype.call, and is handed no WebAssembly instance (attack 76, helper-150)", () => {
    const source = readFileSync(join(import.meta.dirname, 'attacks', '76-stack-trace-hook-to-the-wasm-instance.py'), 'utf8');
    const result = cli('run', program('attack76.py', source));
    // It has all of memory and Error (the CLI is not a sandbox), but V8 formats every stack itself.
    expect(result.stdout).toContain('a JavaScript constructor: Error');
    expect(result.stdout).not.toContain('ESCAPED');
    expect(result.stdout).toMatch(/^blocked: Error\.prepareStackTrace/m);
    expect(result.stdout).toMatch(/^blocked: Function\.prototype\.call/m);
  });

  it("a program that reached JavaScript through memory cannot replace %TypedArray%.prototype.fill, and the end-of-run wipe does not call it anyway (attack 77, helper-151)", () => {
    const source = readFileSync(join(import.meta.dirname, 'attacks', '77-typed-array-fill-undoes-the-wipe.py'), 'utf8');
    const result = cli('run', program('attack77.py', source));
    // It has all of memory and a typed array (the CLI is not a sandbox). The realm lock froze
    // %TypedArray%.prototype (realm-lockdown.ts); and the wipe fills through what engine.ts kept
    // as it loaded (tests/worker-core-wipe.test.ts: memory zeroed with fill, length or buffer replaced).
    expect(result.stdout).toContain('memory: 0x7fff0000');
    expect(result.stdout).not.toContain('ESCAPED');
    expect(result.stdout).toMatch(/^blocked: %TypedArray%\.prototype\.fill, JsException TypeError/m);
    expect(result.status).toBe(0);
  });

  it("a program that reached JavaScript through memory sets no static of a builtin's constructor: no Int32Array.from run after the run, no ArrayBuffer.isView that hides its files (attack 78, helper-155)", () => {
    const source = readFileSync(join(import.meta.dirname, 'attacks', '78-builtin-statics-of-the-programs.py'), 'utf8');
    const result = cli('run', program('attack78.py', source));
    // It reaches both constructors from typed arrays of its own (the CLI is not a sandbox); the
    // realm lock froze them with their prototypes (realm-lockdown.ts).
    expect(result.stdout).toContain('reached: Int32Array');
    expect(result.stdout).toContain('reached: ArrayBuffer');
    expect(result.stdout).not.toContain('ESCAPED');
    expect(result.stdout).toMatch(/^blocked: Int32Array\.from, JsException TypeError/m);
    expect(result.stdout).toMatch(/^blocked: ArrayBuffer\.isView, JsException TypeError/m);
    expect(result.status).toBe(0);
  });

  it("a program that reached JavaScript through memory and threw an error of its own out of the tracer's run runs no Python once the run has returned: the worker asks nothing of what was thrown (attack 79, atk-review2)", () => {
    const source = readFileSync(join(import.meta.dirname, 'attacks', '79-error-message-read-after-the-run.py'), 'utf8');
    const result = cli('run', program('attack79.py', source));
    // Error.prototype is the program's to add to (the CLI is not a sandbox): Pyodide throws its
    // error on, out of the run, which ends as crashed, in the app's words.
    expect(result.stdout).toContain('armed: Error.prototype.pyodide_fatal_error is the program');
    expect(result.stdout + result.stderr).not.toContain('ESCAPED');
    expect(result.stderr).toMatch(/run ended early \(crashed\)/);
    expect(result.status).toBe(2);
  });

  it('prints what the program prints, exit status 0', () => {
    const result = cli('run', join(TUTORIAL, '08-gather-even-odd.py'));
    expect(result.stdout).toBe(['Started:', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'Finished!', ''].join('\n'));
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('exits 1 after an uncaught exception, with the traceback on stderr', () => {
    const path = program('raises.py', 'import asyncio\nasync def main():\n    raise ValueError("nope")\nasyncio.run(main())\n');
    const result = cli('run', path);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^Traceback \(most recent call last\):/);
    expect(result.stderr).toMatch(/line 3, in main\n/);
    expect(result.stderr.trimEnd().split('\n').at(-1)).toBe('ValueError: nope');
  });

  it('ends a program that never would at the step budget, and says so in one line', () => {
    const path = program('forever.py', 'print("start")\nwhile True:\n    pass\n');
    const result = cli('run', path, '--max-steps', '500');
    expect(result.stdout).toBe('start\n');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^loop-lab: run ended early \(steps\): The program ran 500 lines/);
    // run shows no steps: the app's "the steps so far are kept" points at trace instead.
    expect(result.stderr).toMatch(/ `loop-lab trace` shows the steps before it\.\n$/);
    expect(result.stderr).not.toMatch(/are kept/);
    expect(result.status).toBe(2);
  });

  it('says how a run ended in one line of its own words: control characters a program put in a task name are shown escaped', () => {
    // A real deadlock: its message names the stuck task, whose name the program chose.
    const source = [
      'import asyncio',
      'async def main():',
      '    asyncio.current_task().set_name("evil\\n\\x1b]0;pwned\\x07\\x1b[8mhidden")',
      '    await asyncio.Event().wait()',
      'asyncio.run(main())',
      '',
    ].join('\n');
    const result = cli('run', program('deadlock.py', source));
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^loop-lab: run ended early \(deadlock\): Every task is waiting/);
    expect(result.stderr).toContain('evil\\u{a}\\u{1b}]0;pwned\\u{7}\\u{1b}[8mhidden');
    expect(result.stderr).not.toMatch(/\u001b/);
  });

  it('nothing a program writes reaches the terminal except through its own stdout and stderr: not Emscripten’s log, not an abort’s report', () => {
    // Before, posix._emscripten_log wrote any text (terminal escapes too) to the host's stderr
    // through the worker's console, unrecorded and unbounded (a fresh attacker's finding).
    const logs = program('logs.py', 'import posix\nprint("before")\nposix._emscripten_log("\\x1b[2JFAKE: all checks passed")\nprint("after")\n');
    const logged = cli('run', logs);
    expect(logged.stdout).toBe('before\nafter\n');
    expect(logged.stderr).toBe('');
    expect(logged.status).toBe(0);
    const aborts = cli('run', program('aborts.py', 'import os\nprint("before")\nos.abort()\n'));
    expect(aborts.stdout).toBe('before\n');
    expect(aborts.stderr).not.toMatch(/Pyodide/);
  });

  it('the virtual clock’s time zone is UTC whatever the host’s, with or without the cache: as python3 under TZ=UTC', () => {
    // Before, local times were the host's (-5 h in New York) while time.tzname, fixed where the
    // snapshot was made, could say UTC (a fresh attacker's finding).
    // C code's local time too (SQLite's, through Emscripten's localtime and mktime): it gave the
    // host's, -5 hours here (a second attacker's finding).
    const path = program('zone.py', [
      'import time, datetime, sqlite3',
      'print(time.tzname, time.ctime(), time.strftime("%X %Z"), datetime.datetime.now().astimezone().isoformat())',
      'print(sqlite3.connect(":memory:").execute("select datetime(0, \'unixepoch\', \'localtime\'), datetime(\'1970-01-01 00:00:00\', \'utc\')").fetchone())',
      '',
    ].join('\n'));
    const expected = "('UTC', 'UTC') Tue Nov 14 22:13:20 2023 22:13:20 UTC 2023-11-14T22:13:20+00:00\n('1970-01-01 00:00:00', '1970-01-01 00:00:00')\n";
    for (const args of [['run', path], ['run', '--no-cache', path]]) {
      builtWorker();
      const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, TZ: 'America/New_York' } });
      expect(result.stdout, args.join(' ')).toBe(expected);
    }
  });

  it('sys.argv is the file as it was given, as python3 FILE.py makes it', () => {
    const path = program('argv.py', 'import sys\nprint(sys.argv, sys.argv[0] == __file__)\n');
    const result = cli('run', path);
    expect(result.stdout).toBe(`['${path}'] True\n`);
    expect(result.status).toBe(0);
  });

  it('refuses a file that is not UTF-8, as Python does', () => {
    const path = program('latin1.py', Buffer.from([0x70, 0x72, 0x69, 0x6e, 0x74, 0x28, 0x22, 0xe9, 0x22, 0x29, 0x0a]));
    const result = cli('run', path);
    expect(result.stderr).toMatch(/SyntaxError: Non-UTF-8 code starting with '\\xe9'/);
    expect(result.status).toBe(1);
  });

  it.runIf(existsSync('/dev/full'))('a full disk: one line on stderr and exit status 74, for run and trace alike', () => {
    builtWorker();
    const hello = program('hello.py', 'print("hello")\n');
    for (const command of ['run', 'trace']) {
      const fd = openSync('/dev/full', 'w');
      const result = spawnSync(process.execPath, [BIN, command, hello], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', timeout: 90_000 });
      closeSync(fd);
      expect(result.stderr).toBe('loop-lab: cannot write the output: ENOSPC\n');
      expect(result.status).toBe(74);
    }
    // Nothing to write, nothing failed: the program's own status (an empty write was refused).
    const quiet = program('quiet.py', 'import sys\nsys.exit(3)\n');
    const fd = openSync('/dev/full', 'w');
    const result = spawnSync(process.execPath, [BIN, 'run', quiet], { stdio: ['ignore', fd, fd], encoding: 'utf8', timeout: 90_000 });
    closeSync(fd);
    expect(result.status).toBe(3);
  });

  it('a reader that goes away (| head): quiet, and the run still ends with its own status', async () => {
    builtWorker();
    const path = program('many-then-fail.py', 'for i in range(100_000):\n    print(i)\nraise SystemExit(3)\n');
    const child = spawn(process.execPath, [BIN, 'run', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.once('data', () => child.stdout.destroy());
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const status = await new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    expect(stderr).toBe('');
    expect(status).toBe(3);
  });

  it('keeps one compiled-code cache per set of V8 flags: commands under other flags leave each other\'s be', () => {
    // V8 refuses cached data made under other flags: `run` (Liftoff alone) and a process with
    // another heap limit threw each other's cache away and wrote their own at every start.
    builtWorker();
    const cacheHome = mkdtempSync(join(tmpdir(), 'loop-lab-cache-'));
    const hello = program('hello-cache.py', 'print("hello")\n');
    const run = (...nodeFlags: string[]): void => {
      const result = spawnSync(process.execPath, [...nodeFlags, BIN, 'run', hello], {
        encoding: 'utf8',
        timeout: 90_000,
        env: { ...process.env, XDG_CACHE_HOME: cacheHome },
      });
      expect(result.stdout).toBe('hello\n');
      expect(result.status).toBe(0);
    };
    const folder = join(cacheHome, 'loop-lab');
    const codeFiles = (): Map<string, number> =>
      new Map(readdirSync(folder).filter((name) => name.startsWith('pyodide-code-')).map((name) => [name, statSync(join(folder, name)).ino]));
    run();
    const plain = codeFiles();
    expect(plain.size).toBe(1);
    run('--max-old-space-size=300');
    run();
    const after = codeFiles();
    expect(after.size).toBe(2);
    // The plain run's file is the same file (written once: a rewrite renames a new one in).
    const [name, inode] = [...plain][0]!;
    expect(after.get(name)).toBe(inode);
  });

  it('--no-cache, before or after the file: the run starts cold and leaves nothing in the cache folder', () => {
    // The interpreter is started before the command's own code loads (src/cli/early.ts), from
    // a first reading of the command line: it must read --no-cache wherever it is.
    builtWorker();
    const cacheHome = mkdtempSync(join(tmpdir(), 'loop-lab-no-cache-'));
    const hello = program('hello-no-cache.py', 'print("hello")\n');
    for (const args of [['--no-cache', 'run', hello], ['run', hello, '--no-cache'], ['trace', '--no-cache', hello, '--format', 'text']]) {
      const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/hello/);
    }
    expect(readdirSync(cacheHome)).toEqual([]);
  });

  it('a first run, with nothing in the cache folder, restores the snapshot the app ships (out/snapshot) and keeps no snapshot of its own', () => {
    // A cold start would keep one it made (python-snapshot-…): only the compiled code is kept.
    builtWorker();
    const cacheHome = mkdtempSync(join(tmpdir(), 'loop-lab-first-run-'));
    const hello = program('hello-first-run.py', 'import asyncio\nasync def main():\n    await asyncio.sleep(2)\n    print("hello")\nasyncio.run(main())\n');
    for (let i = 0; i < 2; i++) {
      const result = spawnSync(process.execPath, [BIN, 'run', hello], { encoding: 'utf8', timeout: 90_000, env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
      expect(result.stdout).toBe('hello\n');
      expect(result.status).toBe(0);
    }
    const kept = readdirSync(join(cacheHome, 'loop-lab'));
    expect(kept.filter((name) => name.startsWith('python-snapshot-'))).toEqual([]);
    expect(kept.filter((name) => name.startsWith('pyodide-code-'))).toHaveLength(1);
  });

  it('Python that cannot start is loop-lab’s failure, not the program’s: exit status 70 and one line saying why, for run and trace', () => {
    // A copy of the built CLI whose Pyodide has a damaged WebAssembly (the rest of its packages
    // are the project's own, linked): the interpreter can never start.
    builtWorker();
    const copy = mkdtempSync(join(tmpdir(), 'loop-lab-broken-'));
    try {
      for (const part of ['bin', 'out/node', 'out/pyodide', 'package.json']) cpSync(join(ROOT, part), join(copy, part), { recursive: true });
      mkdirSync(join(copy, 'node_modules'));
      for (const name of readdirSync(join(ROOT, 'node_modules'))) {
        if (name !== 'pyodide') symlinkSync(join(ROOT, 'node_modules', name), join(copy, 'node_modules', name));
      }
      cpSync(join(ROOT, 'node_modules/pyodide'), join(copy, 'node_modules/pyodide'), { recursive: true });
      writeFileSync(join(copy, 'node_modules/pyodide/pyodide.asm.wasm'), Buffer.from('\0asm damaged on the way'));
      const hello = program('hello-broken.py', 'print("hello")\n');
      for (const args of [['run', '--no-cache', hello], ['trace', '--no-cache', hello]]) {
        const result = spawnSync(process.execPath, [join(copy, 'bin/loop-lab.mjs'), ...args], { encoding: 'utf8', timeout: 120_000 });
        expect(result.status, args.join(' ')).toBe(70);
        expect(result.stdout).toBe('');
        expect(result.stderr.trim().split('\n')).toHaveLength(1);
        expect(result.stderr).toMatch(/^loop-lab: Python could not start: Python's WebAssembly \(.*pyodide\.asm\.wasm\) could not be loaded .*npm ci/);
      }
      // The snapshot kept in the cache folder is not what failed: it is kept, for when the
      // installation is repaired (it was dropped as if damaged).
      const cacheHome = join(copy, 'cache');
      mkdirSync(join(cacheHome, 'loop-lab'), { recursive: true });
      const shipped = readdirSync(join(ROOT, 'out/snapshot'))[0]!;
      const kept = join(cacheHome, 'loop-lab', shipped.replace(/^python-/, 'python-snapshot-'));
      cpSync(join(ROOT, 'out/snapshot', shipped), kept);
      const result = spawnSync(process.execPath, [join(copy, 'bin/loop-lab.mjs'), 'run', hello], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
      expect(result.status).toBe(70);
      expect(existsSync(kept)).toBe(true);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 300_000);

  it('explains itself, and says it is not a sandbox', () => {
    const help = cli('--help');
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/loop-lab run FILE\.py/);
    expect(help.stdout).toMatch(/loop-lab trace FILE\.py/);
    expect(help.stdout).toMatch(/NOT A SANDBOX/);
    const missing = cli('run', join(scratch, 'nope.py'));
    expect(missing.status).toBe(64);
    expect(missing.stderr).toMatch(/cannot open/);
  });

  it('says its version and the runtime its traces are keyed by, starting no Python', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const pyodide = (JSON.parse(readFileSync(join(ROOT, 'node_modules/pyodide/package.json'), 'utf8')) as { version: string }).version;
    const dots = (text: string) => text.replace(/\./g, '\\.');
    for (const args of [['--version'], ['-V'], ['run', program('version.py', 'print("no")\n'), '--version']]) {
      const said = cli(...args);
      expect(said.status).toBe(0);
      expect(said.stderr).toBe('');
      expect(said.stdout).toMatch(new RegExp(`^loop-lab ${dots(manifest.version)} \\(Pyodide ${dots(pyodide)}, tracer [0-9a-f]{16}\\)\n$`));
    }
    expect(cli('--help').stdout).toMatch(/loop-lab --version/);
  });

  it('a command line it cannot take is a usage error (64), said in one line; nothing asked for prints the usage to stderr', () => {
    // A newcomer's: an unknown option ended with 70 and Node's advice, its quote unclosed.
    const hello = program('usage.py', 'print("hello")\n');
    expect(cli('run', hello, '--bogus')).toMatchObject({ status: 64, stdout: '', stderr: "loop-lab: Unknown option '--bogus' (try --help)\n" });
    expect(cli('trace', hello, '--format')).toMatchObject({ status: 64, stdout: '' });
    expect(cli('run', hello, '--format', 'text')).toMatchObject({ status: 64, stderr: 'loop-lab: --format is for trace: run prints what the program prints\n' });
    const nothing = cli();
    expect(nothing.status).toBe(64);
    expect(nothing.stdout).toBe('');
    expect(nothing.stderr).toMatch(/loop-lab run FILE\.py/);
  });
});

describe('loop-lab trace', () => {
  it('--format jsonl: one JSON object per step, with the promised fields', () => {
    const result = cli('trace', join(TUTORIAL, '09-gather-nums-letters.py'), '--format', 'jsonl');
    expect(result.status).toBe(0);
    const rows = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.length).toBeGreaterThan(50);
    rows.forEach((row, i) => {
      expect(row.step).toBe(i);
      for (const field of ['kind', 'task', 'line', 'clock', 'ready', 'sleeping', 'done', 'output']) expect(row).toHaveProperty(field);
      expect(Array.isArray(row.ready)).toBe(true);
    });
    // The first time print_nums (Task-2) sleeps: on a timer until 0.0001, print_letters ready.
    const sleeps = rows.find((r) => r.kind === 'suspend' && r.task === 'Task-2');
    expect(sleeps?.sleeping).toContainEqual({ task: 'Task-2', on: 'timer', until: 0.0001 });
    expect(sleeps?.ready).toEqual(['Task-3']);
    const printed = rows.filter((r) => r.kind === 'output').map((r) => r.output).join('');
    expect(printed).toBe(readFileSync(join(TUTORIAL, '09-gather-nums-letters.expected.txt'), 'utf8'));
    const last = rows.at(-1)!;
    expect(last.done).toEqual(expect.arrayContaining([{ task: 'Task-1', outcome: 'result' }, { task: 'Task-2', outcome: 'result' }]));
  });

  it('a program that never ends: exit 0, the limit record last', () => {
    const path = program('forever2.py', 'import asyncio\nasync def main():\n    while True:\n        await asyncio.sleep(1)\nasyncio.run(main())\n');
    const result = cli('trace', path, '--max-steps', '300');
    expect(result.status).toBe(0);
    const rows = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; clock: number; detail: string });
    expect(rows.at(-1)?.kind).toBe('limit');
    expect(rows.at(-1)?.detail).toMatch(/^steps: /);
    expect(rows.at(-2)!.clock).toBeGreaterThan(100);
  });

  const TIMEOUT = program(
    'timeout.py',
    [
      'import asyncio',
      '',
      'async def main():',
      '    await asyncio.sleep(0.1)',
      '    await asyncio.sleep(0.2)',
      '    try:',
      '        async with asyncio.timeout(0.7):',
      '            await asyncio.sleep(5)',
      '    except TimeoutError:',
      '        print("timed out")',
      '',
      'asyncio.run(main())',
      '',
    ].join('\n'),
  );
  // The virtual clock adds as Python's floats do (JavaScript's numbers are the same doubles).
  const afterSleeps = 0.1 + 0.2;

  it("--format jsonl: a sleeping entry carries its timeout's deadline, times exactly as recorded", () => {
    const result = cli('trace', TIMEOUT, '--format', 'jsonl');
    expect(result.status).toBe(0);
    const rows = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { kind: string; clock: number; sleeping: Record<string, unknown>[] });
    expect(afterSleeps).not.toBe(0.3); // the point: 0.30000000000000004
    const sleeps = rows.filter((r) => r.kind === 'suspend' && r.sleeping.length > 0).map((r) => r.sleeping[0]);
    expect(sleeps).toEqual([
      { task: 'Task-1', on: 'timer', until: 0.1 },
      { task: 'Task-1', on: 'timer', until: afterSleeps },
      { task: 'Task-1', on: 'timer', until: afterSleeps + 5, deadline: afterSleeps + 0.7 },
    ]);
    expect(rows.some((r) => r.clock === afterSleeps)).toBe(true);
  });

  it('--format text: clock times rounded to the clock\'s resolution, deadlines shown', () => {
    const result = cli('trace', TIMEOUT, '--format', 'text');
    expect(result.status).toBe(0);
    expect(result.stdout).not.toMatch(/0\.30000000000000004|00000000000/);
    const rows = result.stdout.trimEnd().split('\n').slice(1).map((l) => l.split(/\s{2,}/));
    expect(rows.some((cells) => cells[1] === 'clock' && cells.at(-1) === 'clock → 0.3')).toBe(true);
    expect(result.stdout).toContain(`Task-1(until ${Number((afterSleeps + 5).toFixed(9))}, timeout ${Number((afterSleeps + 0.7).toFixed(9))})`);
  });

  it('--format text: a table with a header', () => {
    const result = cli('trace', join(TUTORIAL, '05-asyncio-run.py'), '--format', 'text');
    expect(result.status).toBe(0);
    const [header, ...lines] = result.stdout.trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual(['step', 'kind', 'task', 'line', 'clock', 'ready', 'sleeping', 'done', 'what']);
    expect(lines.some((l) => /output\s+Task-1\s+4\s/.test(l) && l.includes('"Hello Jane\\n"'))).toBe(true);
  });

  it('--format text: what the program chose (task names, exception messages, printed text) shows its control characters escaped', () => {
    // Before, a task name's OSC escape set the terminal's title and U+202E turned the row
    // around in the task column (a second attacker's finding).
    const path = program('escapes.py', [
      'import asyncio',
      'async def main():',
      '    t = asyncio.create_task(asyncio.sleep(0), name="\\x1b]0;TITLE\\x07\\x1b[31mRED\\u202eevil")',
      '    await t',
      '    print("\\x1b[2Jout")',
      '    raise ValueError("\\x1b[41mBAD\\u202e")',
      'asyncio.run(main())',
      '',
    ].join('\n'));
    const result = cli('trace', path, '--format', 'text');
    expect(result.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(result.stdout).toContain('\\u{1b}]0;TITLE\\u{7}\\u{1b}[31mRED\\u{202e}evil');
    expect(result.stdout).toContain('BAD\\u{202e}');
    // jsonl: the same JSON to a parser, with nothing a terminal obeys (JSON.stringify left U+202E raw).
    const jsonl = cli('trace', path, '--format', 'jsonl');
    expect(jsonl.stdout).not.toMatch(/[\u001b\u0007\u007f-\u009f\u202e]/);
    const rows = jsonl.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as { task: string | null });
    expect(rows.some((row) => row.task === '\u001b]0;TITLE\u0007\u001b[31mRED⟦U+202E⟧evil')).toBe(true); // as the trace names it
  });

  it('writes a trace far bigger than its memory row by row (both formats), never all at once', () => {
    // 200 tasks asleep together: every row lists them all, ~67 MB of jsonl over ~7,100 steps.
    // Made whole before writing, the rows ran the CLI out of a 48 MB heap here (and out of its
    // default 4 GB heap on the 200-client server, after a minute).
    const path = program(
      'crowd.py',
      [
        'import asyncio',
        'async def wait_a_while(i):',
        '    for k in range(3):',
        '        await asyncio.sleep(0.01 * (i % 7) + k)',
        'async def main():',
        '    await asyncio.gather(*(wait_a_while(i) for i in range(200)))',
        '    print("all done")',
        'asyncio.run(main())',
        '',
      ].join('\n'),
    );
    builtWorker();
    for (const format of ['jsonl', 'text']) {
      const out = join(scratch, `crowd.${format}`);
      const fd = openSync(out, 'w');
      const result = spawnSync(process.execPath, ['--max-old-space-size=48', BIN, 'trace', path, '--format', format], {
        stdio: ['ignore', fd, 'pipe'],
        encoding: 'utf8',
        timeout: 90_000,
      });
      closeSync(fd);
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const size = statSync(out).size;
      expect(size).toBeGreaterThan(format === 'jsonl' ? 48 * 2 ** 20 : 2 ** 20);
      // The last row is whole: the run's end, every task done.
      const text = readFileSync(out, 'utf8');
      expect(text.endsWith('\n')).toBe(true);
      const lastLine = text.slice(text.lastIndexOf('\n', text.length - 2) + 1, -1);
      if (format === 'jsonl') {
        const last = JSON.parse(lastLine) as { step: number; done: { outcome: string }[]; sleeping: unknown[] };
        // main, the 200, and asyncio.run's own shutdown tasks: all ended with a result.
        expect(last.done.length).toBeGreaterThanOrEqual(201);
        expect(last.done.every((d) => d.outcome === 'result')).toBe(true);
        expect(last.sleeping).toEqual([]);
        expect(text.split('\n').length - 1).toBe(last.step + 1);
      } else {
        expect(text.startsWith('step  ')).toBe(true);
        expect(lastLine).toMatch(/^\d+\s+loop\s/);
      }
    }
  });
});
