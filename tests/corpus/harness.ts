/**
 * Shared helpers for the runtime proof tests (corpus, tutorial, invariants, determinism,
 * limits): one Node runtime per test file, the program lists, and the normalisation the
 * comparisons allow (object addresses and install paths, nothing else).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { afterAll, beforeAll } from 'vitest';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createNodeRuntime, testSnapshotStore } from '../../src/runtime/node-host';
import type { RuntimeSupervisor } from '../../src/runtime/supervisor';
import type { RunOptions, Trace } from '../../src/shared/trace';
import { type Expected, PROGRAM_FILE } from './expected';

export { type Expected, lastNonEmptyLine } from './expected';
export { streamText } from '../trace-text';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CORPUS_DIR = join(ROOT, 'tests', 'corpus');
/** The network programs: a server and its clients in one program, recorded against real sockets. */
export const NETWORK_DIR = join(CORPUS_DIR, 'network');
export const TUTORIAL_DIR = join(ROOT, 'tests', 'tutorial');
const WORKER = join(ROOT, 'out', 'node', 'node-worker.js');

/** Sources the built worker is made from: if one is newer, the tests would test stale code. */
const WORKER_SOURCES = [
  ...readdirSync(join(ROOT, 'src/runtime/python/_looplab')).map((f) => `src/runtime/python/_looplab/${f}`),
  'src/runtime/engine.ts',
  'src/runtime/wire.ts',
  'src/runtime/worker-core.ts',
  'src/runtime/node-worker.ts',
  'src/shared/trace.ts',
  'src/shared/runtime-protocol.ts',
].map((path) => join(ROOT, path));

function newestMtime(path: string): number {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

/** The built Node worker, checked to be there and newer than the runtime's sources. */
export function builtWorker(): string {
  if (!existsSync(WORKER)) throw new Error(`${WORKER} is missing: run \`npm run build:node\` first`);
  const built = statSync(WORKER).mtimeMs;
  const newest = Math.max(...WORKER_SOURCES.map(newestMtime));
  if (newest > built + 1000) {
    throw new Error(`${WORKER} is older than src/runtime: run \`npm run build:node\` again`);
  }
  return WORKER;
}

/**
 * A runtime for one test file, as the app's (a fresh interpreter per run, one spare started
 * ahead, started from the snapshot the test runs share). Generous real-time limits: these
 * machines are shared and busy, and no test here is about wall time (the limit tests pass
 * their own).
 */
export function startRuntime(options: { stallMs?: number } = {}): RuntimeSupervisor {
  return createNodeRuntime({
    workerPath: builtWorker(),
    stallMs: options.stallMs ?? 60_000,
    snapshots: testSnapshotStore(),
  });
}

export const GENEROUS: RunOptions = { wallSeconds: 40 };

/**
 * For a test file of short programs written as lists of lines: starts the file's runtime before
 * its tests and disposes of it after them (vitest's beforeAll and afterAll, so call it at the
 * file's top level), and returns `run`, which runs `lines` (joined by newlines, one at the end)
 * as main.py, with GENEROUS limits and `options` over them.
 */
export function programRunner(): (lines: string[], options?: RunOptions) => Promise<Trace> {
  let runtime: RuntimeSupervisor | undefined;
  beforeAll(async () => {
    runtime = startRuntime();
    await runtime.ready();
  });
  afterAll(() => runtime?.dispose());
  return (lines, options = {}) => {
    if (runtime === undefined) throw new Error('programRunner: its runtime starts in beforeAll, before the tests');
    return runtime.run({ source: lines.join('\n') + '\n', filename: 'main.py', options: { ...GENEROUS, ...options } });
  };
}

export async function runFile(
  runtime: RuntimeSupervisor,
  path: string,
  options: RunOptions = {},
): Promise<Trace> {
  const source = readFileSync(path, 'utf8');
  // The bare file name, as scripts/record-corpus.ts runs `python3 NAME.py` in the file's
  // directory: warnings and tracebacks then name the file the same way on both sides.
  const filename = path.slice(path.lastIndexOf('/') + 1);
  return runtime.run({ source, filename, options: { ...GENEROUS, ...options } });
}

/**
 * The only differences a comparison forgives: object addresses (`0x7f…`), and where Python's
 * standard library is installed (`/usr/lib/python3.11/`, `/lib/python314.zip/` …).
 */
export function normalize(text: string): string {
  return text
    .replace(/0x[0-9a-fA-F]+/g, '0x?')
    .replace(/\/[^\s'"<>]*?\/python3[\d.]*(?:\.zip)?\//g, '<stdlib>/');
}

/** Programs NN-name.py of a directory, sorted. */
export function programsIn(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => PROGRAM_FILE.test(name))
    .sort()
    .map((name) => join(dir, name));
}

export function corpusPrograms(): string[] {
  return [...programsIn(CORPUS_DIR), ...networkPrograms()];
}

export function networkPrograms(): string[] {
  return programsIn(NETWORK_DIR);
}

export function tutorialPrograms(): string[] {
  return programsIn(TUTORIAL_DIR);
}

export function corpusExpected(program: string): Expected {
  return JSON.parse(readFileSync(program.replace(/\.py$/, '.expected.json'), 'utf8')) as Expected;
}

export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
