/**
 * The runtime a trace is recorded with, as the build sees it: Pyodide's version and a SHA-256
 * of the tracer package's sources, of the engine's sources that shape the interpreter before
 * its snapshot (SNAPSHOT_SHAPING_SOURCES), and of what the compiled standard library is made from
 * (build/stdlib.ts: a memory snapshot holds offsets into the very zip it was made with). The same source on the same runtime gives the same trace,
 * so this is part of every recorded trace's key (src/shared/trace-key.ts), and of the
 * interpreter snapshot's. Vite configs hand it to the code as `__LOOPLAB_RUNTIME_ID__`.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { hashTracerSources, tracerSourcesHash } from '../src/runtime/tracer-hash.ts';
import { REPO_ROOT } from './repo-root.ts';
import { ensureCompiledStdlib, stdlibIdentity } from './stdlib.ts';
import { ensureTracerBytecode } from './tracer-bytecode.ts';

export interface RuntimeIdentity {
  pyodide: string;
  tracer: string;
}

const TRACER_DIR = resolve(REPO_ROOT, 'src/runtime/python/_looplab');

/**
 * The engine's sources that shape an interpreter before its snapshot is made (engine.ts: its
 * configuration and environment, the tracer's install; the tracer's files and bytecode as
 * written into it; the free memory zeroed; the memory's cap). A snapshot holds what they did,
 * so they are part of the runtime's identity like the tracer's own: a change to them names a
 * new runtime, and no snapshot (kept or shipped) or trace of the old one is used. Before, a
 * change to the environment engine.ts sets was restored from an older snapshot unseen (a
 * reviewer's finding).
 */
const SNAPSHOT_SHAPING_SOURCES = ['engine.ts', 'tracer-files.ts', 'tracer-bytecode.ts', 'free-memory.ts', 'heap-limit.ts'].map((name) =>
  resolve(REPO_ROOT, 'src/runtime', name),
);

export function runtimeIdentity(): RuntimeIdentity {
  const require = createRequire(import.meta.url);
  const pyodide = (require('pyodide/package.json') as { version: string }).version;
  const hash = hashTracerSources(createHash('sha256'), TRACER_DIR);
  hash.update(`stdlib\0${stdlibIdentity()}`);
  for (const path of SNAPSHOT_SHAPING_SOURCES) hash.update(`engine\0${relative(REPO_ROOT, path)}\0`).update(readFileSync(path));
  return { pyodide, tracer: hash.digest('hex') };
}

/**
 * The `define` entries every Vite and Vitest config adds: the runtime's identity, and the
 * fingerprint of the tracer's sources a snapshot is checked against (src/runtime/tracer-files.ts,
 * tracerFingerprint: computed here once rather than in every interpreter's worker). First, the
 * bytecode every build ships is made if it is not there for these sources.
 */
export function runtimeIdDefine(): Record<string, string> {
  ensureCompiledStdlib();
  ensureTracerBytecode();
  return {
    __LOOPLAB_RUNTIME_ID__: JSON.stringify(runtimeIdentity()),
    __LOOPLAB_TRACER_FINGERPRINT__: JSON.stringify(tracerSourcesHash(TRACER_DIR)),
  };
}
