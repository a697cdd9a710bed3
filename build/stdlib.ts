/**
 * Where the standard library the interpreter imports from lives: Pyodide's python_stdlib.zip,
 * with bytecode compiled ahead of time by scripts/compile-stdlib.ts (out/pyodide/).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { REPO_ROOT } from './repo-root.ts';
import { madeFrom, runBuildScript } from './stamped-output.ts';

/** Pyodide's own zip (sources only). */
export function pyodideStdlibPath(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('pyodide/package.json')), 'python_stdlib.zip');
}

/** The zip with compiled bytecode that the app, the CLI and the tests load Python's library from. */
export function compiledStdlibPath(): string {
  return join(REPO_ROOT, 'out/pyodide/python_stdlib.zip');
}

/**
 * A SHA-256 of what the compiled zip is made from (Pyodide's zip and the script that compiles
 * it): part of the runtime's identity, since a memory snapshot holds zipimport's table of
 * offsets into the very zip it was made with.
 */
export function stdlibIdentity(): string {
  return createHash('sha256')
    .update(readFileSync(pyodideStdlibPath()))
    .update('\0')
    .update(readFileSync(join(REPO_ROOT, 'scripts/compile-stdlib.ts')))
    .digest('hex');
}

/**
 * Compiles the standard library (scripts/compile-stdlib.ts, ~15 s) unless out/pyodide already
 * holds it for this Pyodide. Every build and test configuration calls this through
 * `runtimeIdDefine`, so no build can name a runtime it does not ship. Throws if it fails.
 */
export function ensureCompiledStdlib(): void {
  if (madeFrom(compiledStdlibPath(), stdlibIdentity())) return;
  if (!runBuildScript(join(REPO_ROOT, 'scripts/compile-stdlib.ts'))) throw new Error('Could not compile the Python standard library (scripts/compile-stdlib.ts).');
}
