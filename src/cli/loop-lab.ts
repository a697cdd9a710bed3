/**
 * `loop-lab`: run or trace a Python asyncio program from the command line, with the same
 * runtime the app uses (real CPython in Pyodide, on a virtual clock).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { DEFAULT_MAX_STEPS, DEFAULT_WALL_SECONDS, type Trace } from '../shared/trace';
import { createNodeRuntime, FileSnapshotStore, userCacheDir } from '../runtime/node-host';
import { decodeSource } from '../runtime/source';
import { atResolution } from '../trace/describe';
import { stepRows } from '../trace/jsonl';
import { formatTable } from './table';

const HELP = `loop-lab — run Python asyncio programs on Loop Lab's traced, virtual-time event loop

Usage:
  loop-lab run FILE.py [options]                 run the program, print what it prints
  loop-lab trace FILE.py [--format jsonl|text]   print every step the event loop took
  loop-lab lessons check PACK                    check a lesson pack (a folder or a .zip) as
                                                 the app does: every problem as PATH:LINE: what
  loop-lab lessons record PACK                   record each program's output (NAME.out) in a
                                                 lesson pack's folder, with this runtime
  loop-lab --help

Options:
  --max-steps N      end the run after N lines of FILE (default ${DEFAULT_MAX_STEPS.toLocaleString('en')})
  --timeout SECONDS  end the run after this much real time (default ${DEFAULT_WALL_SECONDS}), on a machine of
                     ordinary speed: a slower or busier one gets more, in proportion, up to 8 times
                     as much; a run that makes no progress at all for 8 s is ended sooner
  --format FORMAT    for trace: jsonl (one JSON object per step) or text (a table); default jsonl
  --no-cache         start Python cold, without the snapshot and compiled code kept in ${userCacheDir()}
                     (the first run makes it; later ones start from it in a fraction of the time)

Exit status: that of the program, as with python3 FILE.py (1 after an uncaught exception),
or 2 when loop-lab ended the run early (step budget, time, memory or output limit).
lessons check and lessons record: 0 when all is well, 1 when there are problems.
How to write a lesson pack: lessons/README.md.

Sleeping is virtual: asyncio.sleep() and time.sleep() cost no real time, and the same
program always gives the same trace.

NOT A SANDBOX: the command-line tool runs Python in a Node.js worker thread, where a program
can reach Node.js and so your files, network and processes, just as \`python3 FILE.py\` can.
Only run programs you would run with python3. (The Loop Lab app itself runs programs in a
sandboxed browser worker, where they cannot reach your machine.)
`;

// V8 moves a WebAssembly function to its optimizing compiler once it has run "1.8 MB" of code
// (its default --wasm-tiering-budget). CPython's start-up crosses that for hundreds of
// functions at once, and on a 2-core machine those compiles took the CPU from the start itself:
// a one-line program's run took ~0.1 s longer (and the restored interpreter's first Python
// ~2× longer) than with a budget of 100 MB, measured here. A program that computes for long
// still has its hot code optimized, a little later. Set before the worker exists: V8's flags
// are the process's.
setFlagsFromString('--wasm-tiering-budget=100000000');

function fail(message: string): never {
  process.stderr.write(`loop-lab: ${message}\n`);
  process.exit(64);
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      format: { type: 'string', default: 'jsonl' },
      'max-steps': { type: 'string' },
      timeout: { type: 'string' },
      'no-cache': { type: 'boolean' },
    },
  });
  if (values.help || positionals.length === 0) {
    process.stdout.write(HELP);
    return values.help ? 0 : 64;
  }
  const [command, file, ...rest] = positionals;
  if (command === 'lessons') return lessons(positionals.slice(1), values.timeout, values['no-cache'] === true);
  if (command !== 'run' && command !== 'trace') fail(`unknown command "${command}" (try --help)`);
  if (!file) fail(`${command} needs a FILE.py`);
  if (rest.length > 0) fail(`unexpected arguments: ${rest.join(' ')}`);
  if (values.format !== 'jsonl' && values.format !== 'text') fail('--format must be jsonl or text');
  const maxSteps = values['max-steps'] === undefined ? DEFAULT_MAX_STEPS : Number(values['max-steps']);
  if (!Number.isInteger(maxSteps) || maxSteps < 1) fail('--max-steps must be a positive whole number');
  const timeout = values.timeout === undefined ? DEFAULT_WALL_SECONDS : Number(values.timeout);
  if (!(timeout > 0)) fail('--timeout must be a positive number of seconds');

  let bytes: Uint8Array;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    fail(`cannot open ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const decoded = decodeSource(bytes, file);
  if (!decoded.ok) {
    process.stderr.write(`${decoded.message}\n`);
    return 1;
  }

  // One program, one interpreter: no spare. The snapshot makes the start quick after the first.
  const cached = !values['no-cache'];
  const snapshots = cached ? new FileSnapshotStore(userCacheDir()) : null;
  const runtime = createNodeRuntime({ spare: false, snapshots, codeCacheDir: cached ? userCacheDir() : null });
  try {
    const trace = await runtime.run({
      source: decoded.text,
      filename: file,
      options: { maxSteps, wallSeconds: timeout },
    });
    return command === 'run' ? printRun(trace) : printTrace(trace, values.format);
  } finally {
    runtime.dispose();
  }
}

async function lessons(args: string[], timeoutText: string | undefined, noCache: boolean): Promise<number> {
  const [sub, pack, ...rest] = args;
  if (sub !== 'check' && sub !== 'record') fail(`lessons needs "check PACK" or "record PACK" (try --help)`);
  if (!pack) fail(`lessons ${sub} needs a PACK: a folder of lesson folders${sub === 'check' ? ', or a .zip of one' : ''}`);
  if (rest.length > 0) fail(`unexpected arguments: ${rest.join(' ')}`);
  // Real time per run: generous, since machines running CI are busy; the step budget is what counts.
  const wallSeconds = timeoutText === undefined ? DEFAULT_WALL_SECONDS : Number(timeoutText);
  if (!(wallSeconds > 0)) fail('--timeout must be a positive number of seconds');
  let runtime: ReturnType<typeof createNodeRuntime> | null = null;
  const io = {
    out: (text: string) => void process.stdout.write(text),
    err: (text: string) => void process.stderr.write(text),
    // Many programs, each in a fresh interpreter: one spare, and the cache folder's snapshot and compiled code (not with --no-cache).
    runtime: () =>
      (runtime ??= createNodeRuntime({
        snapshots: noCache ? null : new FileSnapshotStore(userCacheDir()),
        codeCacheDir: noCache ? null : userCacheDir(),
      })),
    wallSeconds,
  };
  // Loaded only here: the lesson-pack reader (YAML, markdown, zip) would add ~0.1 s to every run.
  const { checkCommand, recordCommand } = await import('./lessons');
  try {
    return await (sub === 'check' ? checkCommand(pack, io) : recordCommand(pack, io));
  } finally {
    (runtime as ReturnType<typeof createNodeRuntime> | null)?.dispose();
  }
}

function printRun(trace: Trace): number {
  for (const event of trace.events) {
    if (event.kind === 'output') (event.stream === 'stderr' ? process.stderr : process.stdout).write(event.text);
  }
  const last = trace.events[trace.events.length - 1];
  if (last?.kind === 'limit') process.stderr.write(`loop-lab: run ended early (${last.reason}): ${plainText(last.message)}\n`);
  return trace.end.exitCode;
}

/**
 * Text for a line said in loop-lab's own voice, with control characters shown as escapes: a
 * limit's message may hold task names the program chose (a deadlock's), and a terminal would
 * obey a newline, an ANSI escape or a direction control in them. (The program's own output is
 * its own, and is written as it is.)
 */
function plainText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}

function printTrace(trace: Trace, format: string): number {
  // jsonl carries times exactly as recorded; the table rounds them to the clock's resolution.
  const rows = stepRows(trace, format === 'jsonl' ? undefined : atResolution);
  if (format === 'jsonl') {
    const lines = rows.map((row) => JSON.stringify(row));
    process.stdout.write(lines.join('\n') + (lines.length ? '\n' : ''));
  } else {
    process.stdout.write(formatTable(rows));
  }
  return 0;
}

// Piped into `head` and the like: stop quietly when the reader goes away, as Python does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

/**
 * Ends the process once what was written has reached stdout and stderr. Nothing else is left to
 * wait for by then (the run is over, and a snapshot is written before its run starts), except
 * the worker thread's own end, which took 40–230 ms of every run here.
 */
function exitWhenWritten(code: number): void {
  let pending = 2;
  const done = (): void => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write('', done);
  process.stderr.write('', done);
}

main(process.argv.slice(2)).then(exitWhenWritten, (error: unknown) => {
  process.stderr.write(`loop-lab: ${error instanceof Error ? error.message : String(error)}\n`);
  exitWhenWritten(70);
});
