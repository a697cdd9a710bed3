/**
 * What `loop-lab run` and `trace` start before the rest of the CLI has loaded: the worker
 * thread that will hold the interpreter, its `start`, the compile of Pyodide's WebAssembly for
 * it (node-wasm.ts), and the read of the kept snapshot. The
 * CLI's own code (the supervisor, the trace contract, valibot: ~0.1 s to load here) loads
 * meanwhile; so it imports only Node's modules and the snapshot file's reader.
 *
 * Measured with `loop-lab run hello.py` and a kept snapshot, on the 2-core machine this was
 * written on: the worker used to be made ~0.22 s after the process started, and told to start
 * ~0.43 s after; now both at ~0.11–0.17 s, and the whole run ~0.08–0.1 s shorter (alternating
 * runs of both builds: medians 0.715 → 0.635 s on a quiet machine).
 *
 * A guess from the command line only: the command (main.ts) reads it again, fully, and hands
 * the worker to its supervisor, which takes it only if it was started the way it would start
 * one (with or without the cache folder). Anything else (a bad option, another command) and
 * the process ends without it.
 */
import { setFlagsFromString } from 'node:v8';
import { hostWasm } from '../runtime/node-wasm';
import { defaultWorkerPath, spawnNodeWorker } from '../runtime/node-worker-spawn';
import { userCacheDir, userCacheSnapshotStore } from '../runtime/snapshot-file';
import type { StartedWorker } from '../runtime/supervisor';
import { parseCommandLine } from './command-line';

/** The interpreter `loop-lab run` or `trace` started as the process began. */
export interface EarlyStart {
  started: StartedWorker;
}

/**
 * How V8 compiles CPython's WebAssembly in this process, and how big its workers' heaps start.
 * Set before the first worker exists: V8's flags are the process's.
 *
 * - `many` runs (lessons): V8 moves a function to its optimizing compiler (TurboFan) once it
 *   has run "1.8 MB" of code (its default --wasm-tiering-budget). CPython's start-up crosses
 *   that for hundreds of functions at once, and on a 2-core machine those compiles took the CPU
 *   from the start itself: a one-line program's run took ~0.1 s longer (and the restored
 *   interpreter's first Python ~2× longer) than with a budget of 100 MB, measured here.
 * - `one` run (run, trace): even at 100 MB, CPython's evaluation loop (one function of 79 kB)
 *   crosses the budget within the first few thousand bytecodes, and TurboFan spends 150–330 ms
 *   on it in a background thread, measured here with --trace-wasm-compilation-times. A short
 *   program is over before that pays, and Node's exit then waits for the compile to finish.
 *   Compiled with the baseline compiler (Liftoff) alone, `loop-lab run hello.py` took 1,084 ms
 *   against 1,191 ms (means of 8 alternating runs); bench/programs/cpu_heavy.py the same
 *   (1,469 against 1,427 ms); a program computing for 4–6 s about 13% longer. Loop Lab's
 *   programs are short.
 *
 * Also how big the worker's JavaScript heap starts (V8's flags, read as an isolate is made, so
 * the worker's; this thread's heap was sized before any of this ran). Pyodide's start makes
 * ~30 MB of JavaScript objects (its module, the symbols it links) in a young generation that
 * starts at 1 MB: `loop-lab run hello.py` made 6 young-generation and 2 full collections in
 * its worker, ~60 ms (`node --trace-gc`); starting at 16 MB young and 64 MB old, 1 and 1, ~25 ms,
 * and the run was ~18 ms shorter (medians of 9, alternating with the build without).
 */
export function setWorkerEngineFlags(runs: 'one' | 'many'): void {
  // No code made from strings (eval, Function …) in the workers: a program that reached
  // JavaScript ran `Function("return globalThis.process")()` and on to a shell (helper-146).
  // Read as a context is made: the workers', not this thread's, which was made before.
  // Pyodide needs none (it runs under the browser edition's CSP, which allows no eval).
  setFlagsFromString('--disallow-code-generation-from-strings');
  setFlagsFromString(runs === 'one' ? '--liftoff-only' : '--wasm-tiering-budget=100000000');
  setFlagsFromString('--min-semi-space-size=16');
  setFlagsFromString('--initial-old-space-size=64');
}

/**
 * What the command line asks of the early start: `run` or `trace` (null for anything else, or
 * a command line that does not parse), and whether the cache folder is used (no `--no-cache`,
 * wherever it stands).
 */
export function earlyCommand(argv: string[]): { command: 'run' | 'trace'; cached: boolean } | null {
  try {
    const { values, positionals } = parseCommandLine(argv);
    const command = positionals[0];
    if (values.help || values.version || positionals.length !== 2 || (command !== 'run' && command !== 'trace')) return null;
    return { command, cached: values['no-cache'] !== true };
  } catch {
    return null;
  }
}

/**
 * Starts the interpreter for `run` or `trace`, or returns null. Never throws: a worker that
 * cannot be made (not built) is the command's to report, in its own words, when it makes one.
 */
export function startEarly(argv: string[]): EarlyStart | null {
  const asked = earlyCommand(argv);
  if (asked === null) return null;
  try {
    setWorkerEngineFlags('one');
    const dir = asked.cached ? userCacheDir() : null;
    // Pyodide's WebAssembly, compiled here and not on the worker's thread, which is the start's
    // critical path (node-wasm.ts): the file is read meanwhile, and compiled while the worker boots.
    const worker = spawnNodeWorker(defaultWorkerPath(), dir, hostWasm());
    worker.post({ type: 'start', makeSnapshot: asked.cached });
    // Read and inflated in one piece on this thread (~0.1 s) while the worker boots on its own,
    // and moved to the worker, not copied: posted as bytes of this thread's own, the snapshot
    // was copied on the way (30 MB then: `loop-lab run hello.py` took 0.94 s with the copy and
    // 0.82 s without), and copied into shared memory (shared-bytes.ts) it cost ~50 ms of fresh
    // pages written here before the worker had it. No other worker is given it: the supervisor
    // loads the store's again if it ever makes another (it makes none for one run).
    const snapshot = dir === null ? Promise.resolve(null) : userCacheSnapshotStore('own').load();
    void snapshot.then((bytes) => worker.handOverSnapshot(bytes));
    return { started: { worker, makeSnapshot: asked.cached, snapshot } };
  } catch {
    return null;
  }
}
