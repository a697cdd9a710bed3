/**
 * `loop-lab`: run or trace a Python asyncio program from the command line, with the same
 * runtime the app uses (real CPython in Pyodide, on a virtual clock). Its entry, loop-lab.ts,
 * starts the interpreter (early.ts) before it loads this.
 */
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { DEFAULT_MAX_STEPS, DEFAULT_WALL_SECONDS, type Trace } from '../shared/trace';
import { createNodeRuntime, userCacheDir, userCacheSnapshotStore } from '../runtime/node-host';
import { decodeSource } from '../runtime/source';
import { atResolution } from '../trace/describe';
import { eachStepRow } from '../trace/jsonl';
import { plainText, terminalSafeJson } from './plain-text';
import { tableLines } from './table';
import { parseCommandLine } from './command-line';
import { type EarlyStart, setWorkerEngineFlags } from './early';
import { RUNTIME_ID } from '../runtime/runtime-id';
import { thousands } from '../shared/numbers';

const HELP = `loop-lab — run Python asyncio programs on Loop Lab's traced, virtual-time event loop

Usage:
  loop-lab run FILE.py [options]                 run the program, print what it prints
  loop-lab trace FILE.py [--format jsonl|text]   print every step the event loop took
  loop-lab lessons check PACK                    check a lesson pack (a folder or a .zip) as
                                                 the app does: every problem as PATH:LINE: what
  loop-lab lessons record PACK                   record each program's output (NAME.out) in a
                                                 lesson pack's folder, with this runtime
  loop-lab --help
  loop-lab --version                             Loop Lab's version and the runtime it runs

Options:
  --max-steps N      end the run after N lines of FILE (default ${thousands(DEFAULT_MAX_STEPS)})
  --timeout SECONDS  end the run after this much real time (default ${DEFAULT_WALL_SECONDS}), on a machine of
                     ordinary speed: a slower or busier one gets more, in proportion, up to 8 times
                     as much; a run that makes no progress at all for 8 s is ended sooner
  --format FORMAT    for trace: jsonl (one JSON object per step) or text (a table); default jsonl
  --no-cache         start Python cold, without the snapshot and compiled code kept in
                     ${userCacheDir()} ($XDG_CACHE_HOME/loop-lab if that is an absolute path, else
                     ~/.cache/loop-lab): without it, the first run keeps them there and later ones
                     start in a fraction of the time

Exit status of run: that of the program, as with python3 FILE.py (1 after an uncaught
exception), or 2 when loop-lab ended the run early (step budget, time, memory or output limit,
a deadlock, no progress for 8 s).
Exit status of trace: 0 once every step is printed, however the program ended (an uncaught
exception or a limit is its last record). Either: 74 when what it printed could not be
written (a full disk).
lessons check and lessons record: 0 when all is well, 1 when there are problems.
Any command: 64 for a command line it cannot take (an unknown command or option, a missing
FILE.py, a bad value), 70 when loop-lab itself failed.
How to write a lesson pack: lessons/README.md.

Sleeping is virtual: asyncio.sleep() and time.sleep() cost no real time, and the same
program always gives the same trace.

NOT A SANDBOX: a program's Python meets the machine the app's does (files only in its own
memory, no network, no processes), but the wall around it is a Node.js worker thread: a
program that found a way out to JavaScript could reach your files, network and processes.
Only run programs you would run with python3. (The Loop Lab app itself runs programs in a
sandboxed browser worker, where they cannot reach your machine.)
`;

/**
 * `loop-lab 0.1.0 (Pyodide 314.0.7, tracer 1e33a460af0fdeea)`: the app's version (package.json's,
 * set by the build) and the runtime its traces are keyed by (runtime-id.ts): two copies that
 * say the same give the same trace for the same program.
 */
export function versionLine(): string {
  const version = import.meta.env.LOOPLAB_VERSION ?? 'unbuilt';
  return `loop-lab ${version} (Pyodide ${RUNTIME_ID.pyodide}, tracer ${RUNTIME_ID.tracer.slice(0, 16)})`;
}

function fail(message: string): never {
  process.stderr.write(`loop-lab: ${message}\n`);
  process.exit(64);
}

/** The command line, parsed; a usage error (an unknown option, an option's value missing) ends the process with 64. */
function parsed(argv: string[]): ReturnType<typeof parseCommandLine> {
  try {
    return parseCommandLine(argv);
  } catch (error) {
    // Node's own words, up to their first sentence: its advice after it quotes the option unclosed.
    fail(`${(error instanceof Error ? error.message : String(error)).split('. ')[0]} (try --help)`);
  }
}

async function main(argv: string[], early: EarlyStart | null): Promise<number> {
  const { values, positionals } = parsed(argv);
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${versionLine()}\n`);
    return 0;
  }
  if (positionals.length === 0) {
    process.stderr.write(HELP); // asked for nothing: the usage, as an error
    return 64;
  }
  const [command, file, ...rest] = positionals;
  if (command === 'lessons') {
    setWorkerEngineFlags('many');
    return lessons(positionals.slice(1), values.timeout, values['no-cache'] === true);
  }
  if (command !== 'run' && command !== 'trace') fail(`unknown command "${command}" (try --help)`);
  if (!file) fail(`${command} needs a FILE.py`);
  if (rest.length > 0) fail(`unexpected arguments: ${rest.join(' ')}`);
  if (command === 'run' && values.format !== undefined) fail('--format is for trace: run prints what the program prints');
  const format = values.format ?? 'jsonl';
  if (format !== 'jsonl' && format !== 'text') fail('--format must be jsonl or text');
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
  // The interpreter was started by the entry, as it loaded this (early.ts): taken if it is the
  // kind asked for (the supervisor checks), else ended unused. Without one, the compilers are
  // set here, as the entry would have set them.
  if (early === null) setWorkerEngineFlags('one');
  const cached = !values['no-cache'];
  const snapshots = cached ? userCacheSnapshotStore('shared') : null;
  const runtime = createNodeRuntime({ spare: false, snapshots, codeCacheDir: cached ? userCacheDir() : null, started: early?.started ?? null });
  let trace: Trace;
  let startFailure: string | null = null;
  try {
    trace = await runtime.run({
      source: decoded.text,
      filename: file,
      options: { maxSteps, wallSeconds: timeout },
    });
    // Python never started (its WebAssembly did not load, its start timed out): loop-lab failed,
    // not the program. The supervisor says so in its status, and the trace holds only that.
    if (runtime.status.status === 'failed') startFailure = runtime.status.message;
  } finally {
    runtime.dispose(); // before the output is written: the worker's memory is not needed for it
  }
  if (startFailure !== null) {
    process.stderr.write(`loop-lab: ${plainText(startFailure)}\n`);
    return EXIT_SOFTWARE;
  }
  return command === 'run' ? printRun(trace) : await printTrace(trace, format);
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
        snapshots: noCache ? null : userCacheSnapshotStore('shared'),
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
  // If the reader goes away while this is written (`| head`), the run still ends with its status.
  process.exitCode = trace.end.exitCode;
  for (const event of trace.events) {
    if (event.kind === 'output') (event.stream === 'stderr' ? process.stderr : process.stdout).write(event.text);
  }
  const last = trace.events[trace.events.length - 1];
  if (last?.kind === 'limit') process.stderr.write(`loop-lab: run ended early (${last.reason}): ${plainText(runLimitWords(last.message))}\n`);
  return trace.end.exitCode;
}

/**
 * A limit's words as `run` says them. `run` shows no steps, so the app's note that the steps
 * before the limit are kept (a newcomer looked for them) points at `trace`, which shows them.
 */
export function runLimitWords(message: string): string {
  return message.replace(/ The steps (?:so far|recorded before that|checked before that) are kept\.$/, ' `loop-lab trace` shows the steps before it.');
}

async function printTrace(trace: Trace, format: string): Promise<number> {
  // jsonl carries times exactly as recorded; the table rounds them to the clock's resolution.
  if (format === 'jsonl') {
    await writeAll(map(eachStepRow(trace), (row) => terminalSafeJson(row) + '\n'));
  } else {
    await writeAll(tableLines((most) => eachStepRow(trace, atResolution, most)));
  }
  return 0;
}

function* map<T, U>(items: Iterable<T>, change: (item: T) => U): Generator<U> {
  for (const item of items) yield change(item);
}

/** The most characters gathered before one write to stdout. */
const WRITE_CHARS = 1 << 16;

/**
 * Writes `pieces` to stdout as they are made, in writes of about 64 K characters, waiting
 * whenever the reader is behind: a long trace's rows (hundreds of MB for the 200-client
 * server) are never all in memory at once. Made whole, they ran the CLI out of its 4 GB heap
 * after a minute.
 */
async function writeAll(pieces: Iterable<string>): Promise<void> {
  let batch: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    const text = batch.join('');
    batch = [];
    size = 0;
    if (!process.stdout.write(text)) await once(process.stdout, 'drain');
  };
  for (const piece of pieces) {
    batch.push(piece);
    size += piece.length;
    if (size >= WRITE_CHARS) await flush();
  }
  if (size > 0) await flush();
}

// Piped into `head` and the like: stop quietly when the reader goes away, with the status
// the run has already (printRun sets it: a program that failed does not pass for a success).
// Any other failure to write (a full disk: ENOSPC) ends the run with one line on stderr and
// exit status 74 (EX_IOERR), as python3 ends with 1 and a traceback, not with success.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => writeFailed(stream, error));
}

function writeFailed(stream: NodeJS.WriteStream, error: NodeJS.ErrnoException): never {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  if (stream === process.stdout) {
    try {
      process.stderr.write(`loop-lab: cannot write the output: ${error.code ?? error.message}\n`);
    } catch {
      // stderr is gone as well: the exit status says it
    }
  }
  process.exit(74);
}

/**
 * Ends the process with `code` once what was written has left for stdout and stderr (a pipe
 * can be asynchronous: macOS's) and a failure to write it has been reported (writeFailed, in a
 * tick after the write: before any timer). Nothing else is left to wait for by then (the run
 * is over, and a snapshot is written before its run starts), except the worker thread's own
 * end, which took 40–230 ms of every run here. (An empty write as a marker will not do:
 * /dev/full refuses even that, which failed runs that had printed nothing.)
 */
function exitWhenWritten(code: number): void {
  const whenDone = (): void => {
    if (process.stdout.writableLength > 0 || process.stderr.writableLength > 0) setTimeout(whenDone, 2);
    else process.exit(code);
  };
  setImmediate(whenDone);
}

/** The exit status when loop-lab itself failed (sysexits.h's EX_SOFTWARE), not the program. */
const EXIT_SOFTWARE = 70;

/** Runs the command `argv` asks for and ends the process with its status. */
export function runCommandLine(argv: string[], early: EarlyStart | null): void {
  main(argv, early).then(exitWhenWritten, (error: unknown) => {
    process.stderr.write(`loop-lab: ${error instanceof Error ? error.message : String(error)}\n`);
    exitWhenWritten(EXIT_SOFTWARE);
  });
}
