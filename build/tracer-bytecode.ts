/**
 * The tracer package's bytecode, compiled ahead of time (scripts/compile-tracer.ts) into
 * out/pyodide/tracer-bytecode.json, for the interpreters that start cold.
 *
 * A restored interpreter has the tracer imported already (it is in the snapshot); one that
 * starts cold (a first visit, a snapshot that cannot be used, `--no-cache`) imported its 29
 * modules from source, and compiling them was most of the import: 140–210 ms against 77 ms
 * with their bytecode beside them, in Node here (Pyodide 314.0.7), and the wasm runs slower still
 * in a browser on its first visit, before its code is optimised.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { hashTracerSources } from '../src/runtime/tracer-hash.ts';
import { REPO_ROOT } from './repo-root.ts';
import { madeFrom, runBuildScript } from './stamped-output.ts';

/** Where the bytecode is written: JSON of `TracerBytecode` (src/runtime/tracer-bytecode.ts). */
export function tracerBytecodePath(): string {
  return join(REPO_ROOT, 'out/pyodide/tracer-bytecode.json');
}

/** A SHA-256 of what the bytecode is made from: the tracer's sources, Pyodide's version, and the script that compiles them. */
export function tracerBytecodeIdentity(): string {
  const require = createRequire(import.meta.url);
  const pyodide = (require('pyodide/package.json') as { version: string }).version;
  return hashTracerSources(createHash('sha256'), join(REPO_ROOT, 'src/runtime/python/_looplab'))
    .update(`pyodide\0${pyodide}\0`)
    .update(readFileSync(join(REPO_ROOT, 'scripts/compile-tracer.ts')))
    .update(readFileSync(join(REPO_ROOT, 'src/runtime/tracer-place.ts'))) // TRACER_DIR: the files' names inside the bytecode
    .digest('hex');
}

/**
 * Compiles the tracer's bytecode (scripts/compile-tracer.ts, ~3 s) unless out/pyodide holds it
 * for these sources already. Called with the standard library's (build/runtime-id.ts), so every
 * build and test configuration has it. If it cannot (a tracer module that does not compile,
 * while it is being edited), it says so and the build goes on without: the interpreter compiles
 * the tracer as it imports it, and the tests that start one report the module's error as
 * before (a throw here stopped every configuration from loading, tests that never start Python
 * included: a reviewer's finding).
 */
export function ensureTracerBytecode(): void {
  if (madeFrom(tracerBytecodePath(), tracerBytecodeIdentity())) return;
  if (!runBuildScript(join(REPO_ROOT, 'scripts/compile-tracer.ts'))) {
    process.stderr.write('compile-tracer failed (above): this build imports the tracer from its sources, without bytecode.\n');
  }
}
