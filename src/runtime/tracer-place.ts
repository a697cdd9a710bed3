/**
 * Where the tracer's package lives in the interpreter's file system, and the shape of its
 * bytecode compiled ahead of time (scripts/compile-tracer.ts writes it, tracer-bytecode.ts
 * reads it, engine.ts writes the files). Plain constants: the build's scripts import this too.
 */

/** The directory on `sys.path` that holds the `_looplab` package. */
export const TRACER_DIR = '/lib/looplab';

/**
 * The tracer's modules compiled by the interpreter the app ships: `cacheTag` is its
 * `sys.implementation.cache_tag` (`cpython-314`), which names each file in `__pycache__`;
 * `files` maps a module's file name (`runner.py`) to its `.pyc`, base64. Each `.pyc` is
 * checked-hash-based (PEP 552): Python reads the module's source and uses the bytecode only if
 * that source is the one it was compiled from, so bytecode of other sources is never run.
 */
export interface TracerBytecode {
  cacheTag: string;
  files: Record<string, string>;
}

/** Where Python looks for the bytecode of the tracer's module `name` (`runner.py`) under `cacheTag`. */
export function tracerPycPath(name: string, cacheTag: string): string {
  return `${TRACER_DIR}/_looplab/__pycache__/${name.replace(/\.py$/, '')}.${cacheTag}.pyc`;
}
