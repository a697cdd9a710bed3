/**
 * In Node, Emscripten's imports answer as they do in a browser worker: no program starts a
 * process on the host or reads its state.
 *
 * A few of the functions the wasm imports from Emscripten's JavaScript (pyodide.asm.mjs) take
 * a Node branch when `ENVIRONMENT_IS_NODE`:
 * - `_emscripten_system` ran its command through `child_process.spawnSync(command, { shell:
 *   true })`: from the command-line tool, `os.system("id > file")` returned 0 and wrote the file
 *   (found running tests/attacks in the CLI). A browser has no shell: `system(NULL)` is 0 and
 *   any command -ENOSYS, which the C library turns into errno ENOSYS and -1 (`os.system`'s
 *   answer);
 * - `__syscall_getuid32_js` gave the host's uid (`process.getuid()`: 65534 under another user),
 *   `__syscall_umask_js` set the host process's umask, and `emscripten_get_now_res` (through
 *   `clock_res_get`) said 1 ns, not a browser's 1 µs (time.clock_getres): a fresh attacker's
 *   findings.
 *
 * The wasm takes these as imports when Pyodide instantiates it, so they are replaced then, in
 * the settings Pyodide hands its module maker (as Pyodide itself adds `Jsv_GetError_import`
 * there). Any other import with a Node branch must be one this module knows to be harmless
 * (START_ONLY), or the interpreter does not start: a Pyodide that gained one has to be looked at.
 */
import type { ModuleMaker } from './pyodide-code-cache';

/** Emscripten's errno for "Function not implemented" (ERRNO_CODES in pyodide.asm.mjs, not Linux's 38). */
const ENOSYS = 52;

/** The browser's `__emscripten_system`: no shell, and no command runs. `command` is a pointer (0: NULL). */
export function browserSystem(command: number): number {
  return command === 0 ? 0 : -ENOSYS;
}

/** Emscripten's errno for "Invalid argument" (a clock WASI does not have). */
const EINVAL = 28;

/**
 * The browser's `clock_res_get` (WASI): the realtime clock's resolution 1 ms, the others 1 µs,
 * written as nanoseconds (an i64) at `pointer` in `memory`. Node's branch said 1 ns
 * (time.clock_getres(time.CLOCK_MONOTONIC)). Not an import with a Node branch of its own: it
 * calls `_emscripten_get_now_res`, which has one, inside Emscripten's JavaScript.
 */
export function browserClockResolution(memory: () => WebAssembly.Memory | null): (clockId: number, pointer: number) => number {
  return (clockId, pointer) => {
    const heap = memory();
    if (clockId < 0 || clockId > 3 || heap === null) return EINVAL;
    new DataView(heap.buffer).setBigInt64(pointer >>> 0, clockId === 0 ? 1_000_000n : 1_000n, true);
    return 0;
  };
}

/**
 * Each import a program can reach whose answer differs in Node, as its browser branch answers
 * (pyodide.asm.mjs, Pyodide 314.0.7). `memory`: the instance's memory, once it is made.
 */
export function browserAnswers(memory: () => WebAssembly.Memory | null): Readonly<Record<string, (...args: number[]) => number>> {
  return {
    _emscripten_system: browserSystem,
    __syscall_getuid32_js: () => 0,
    __syscall_umask_js: () => 0,
    clock_res_get: browserClockResolution(memory),
  };
}

/**
 * Imports with a Node branch that no program reaches: `_Py_emscripten_runtime` is read once, as
 * CPython starts (sys._emscripten_info, which the tracer replaces: sandbox.py); `pyodide_js_init`
 * runs at start-up; the rest, NOT_IMPORTED, are offered to pyodide.asm.wasm but not imported by
 * it (`emscripten_get_now_res` is reached through `clock_res_get`, replaced above).
 */
export const NOT_IMPORTED: readonly string[] = ['emscripten_async_call', 'emscripten_async_load_script', 'emscripten_get_now_res'];
export const START_ONLY: ReadonlySet<string> = new Set(['_Py_emscripten_runtime', 'pyodide_js_init', ...NOT_IMPORTED]);

/** True if `fn`'s source takes a Node-only path (a branch on the environment, Node's `process`, or `require`). */
export function hasNodeBranch(fn: unknown): boolean {
  return typeof fn === 'function' && /ENVIRONMENT_IS_NODE|\bprocess\.|\brequire\(/.test(Function.prototype.toString.call(fn));
}

type InstantiateWasm = (imports: { env: Record<string, unknown> }, done: (...args: unknown[]) => void) => unknown;

/**
 * `make`, with each of browserAnswers' imports replaced as the wasm is instantiated. Rejects
 * (no interpreter) if Pyodide's settings carry no `instantiateWasm`, one of those imports is
 * missing, or another import has a Node branch not in START_ONLY: the pinned Pyodide changed
 * shape, and an interpreter that reaches the host is worse than none.
 */
export function withBrowserImports(make: ModuleMaker): ModuleMaker {
  return (settings) => {
    const given = settings as { instantiateWasm?: InstantiateWasm };
    const instantiate = given.instantiateWasm;
    if (typeof instantiate !== 'function') {
      return Promise.reject(new Error('Pyodide gave no instantiateWasm: Loop Lab cannot close its Node-only imports (browser-imports.ts)'));
    }
    given.instantiateWasm = (imports, done) => {
      let memory: WebAssembly.Memory | null = null;
      const answers = browserAnswers(() => memory);
      for (const [name, answer] of Object.entries(answers)) {
        if (typeof imports.env[name] !== 'function') throw new Error(`Pyodide’s wasm imports no ${name}: Loop Lab cannot close it (browser-imports.ts)`);
        imports.env[name] = answer;
      }
      const unknown = Object.entries(imports.env).filter(([name, fn]) => !(name in answers) && !START_ONLY.has(name) && hasNodeBranch(fn));
      if (unknown.length > 0) throw new Error(`Pyodide imports more with a Node-only branch: ${unknown.map(([name]) => name).join(', ')} (browser-imports.ts)`);
      return instantiate(imports, (instance, ...rest) => {
        const exported = (instance as WebAssembly.Instance | undefined)?.exports.memory;
        memory = exported instanceof WebAssembly.Memory ? exported : null;
        return done(instance, ...rest);
      });
    };
    return make(settings);
  };
}
