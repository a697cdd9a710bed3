/**
 * The runtime a trace is recorded with, as the build sees it: Pyodide's version and a SHA-256
 * of the tracer package's sources and of what the compiled standard library is made from
 * (build/stdlib.ts: a memory snapshot holds offsets into the very zip it was made with). The same source on the same runtime gives the same trace,
 * so this is part of every recorded trace's key (src/shared/trace-key.ts), and of the
 * interpreter snapshot's. Vite configs hand it to the code as `__LOOPLAB_RUNTIME_ID__`.
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { hashTracerSources } from '../src/runtime/tracer-hash.ts';
import { REPO_ROOT } from './repo-root.ts';
import { ensureCompiledStdlib, stdlibIdentity } from './stdlib.ts';
import { ensureTracerBytecode } from './tracer-bytecode.ts';

export interface RuntimeIdentity {
  pyodide: string;
  tracer: string;
}

const TRACER_DIR = resolve(REPO_ROOT, 'src/runtime/python/_looplab');

export function runtimeIdentity(): RuntimeIdentity {
  const require = createRequire(import.meta.url);
  const pyodide = (require('pyodide/package.json') as { version: string }).version;
  const hash = hashTracerSources(createHash('sha256'), TRACER_DIR);
  hash.update(`stdlib\0${stdlibIdentity()}`);
  return { pyodide, tracer: hash.digest('hex') };
}

/** The `define` entry every Vite and Vitest config adds; first, the bytecode every build ships is made if it is not there for these sources. */
export function runtimeIdDefine(): Record<string, string> {
  ensureCompiledStdlib();
  ensureTracerBytecode();
  return { __LOOPLAB_RUNTIME_ID__: JSON.stringify(runtimeIdentity()) };
}
