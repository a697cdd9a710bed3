/**
 * No program starts a process on the host: Emscripten's `system()` answers in Node as it does
 * in a browser.
 *
 * In Node, Emscripten's `__emscripten_system` (pyodide.asm.mjs) runs its command through
 * `child_process.spawnSync(command, { shell: true })`: from the command-line tool,
 * `os.system("id > file")` returned 0 and wrote the file (found running tests/attacks in the
 * CLI). In a browser worker it has no shell: `system(NULL)` is 0 (no shell) and any command
 * -ENOSYS, which the C library turns into errno ENOSYS and -1, what `os.system` returns. The
 * wasm takes the function as an import when Pyodide instantiates it, so the import is replaced
 * then, in the settings Pyodide hands its module maker (as Pyodide itself adds its own
 * `Jsv_GetError_import` there). `fork`, `exec*` and `posix_spawn` are not in Pyodide's build
 * at all.
 */

import type { ModuleMaker } from './pyodide-code-cache';

/** Emscripten's errno for "Function not implemented" (ERRNO_CODES in pyodide.asm.mjs, not Linux's 38). */
const ENOSYS = 52;

/** The browser's `__emscripten_system`: no shell, and no command runs. `command` is a pointer (0: NULL). */
export function browserSystem(command: number): number {
  return command === 0 ? 0 : -ENOSYS;
}

type InstantiateWasm = (imports: { env: Record<string, unknown> }, done: (...args: unknown[]) => void) => unknown;

/**
 * `make`, with the wasm's `_emscripten_system` import replaced by `browserSystem` as it is
 * instantiated. Rejects (no interpreter) if Pyodide's settings carry no `instantiateWasm` or
 * its imports have no `_emscripten_system`: the pinned Pyodide changed shape, and an
 * interpreter whose `os.system` reaches the host is worse than none.
 */
export function withoutShell(make: ModuleMaker): ModuleMaker {
  return (settings) => {
    const given = settings as { instantiateWasm?: InstantiateWasm };
    const instantiate = given.instantiateWasm;
    if (typeof instantiate !== 'function') {
      return Promise.reject(new Error('Pyodide gave no instantiateWasm: Loop Lab cannot close system() (no-shell.ts)'));
    }
    given.instantiateWasm = (imports, done) => {
      if (typeof imports.env._emscripten_system !== 'function') {
        throw new Error('Pyodide’s wasm imports no _emscripten_system: Loop Lab cannot close system() (no-shell.ts)');
      }
      imports.env._emscripten_system = browserSystem;
      return instantiate(imports, done);
    };
    return make(settings);
  };
}
