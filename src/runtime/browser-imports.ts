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
 *   and `emscripten_get_now_res` (through `clock_res_get`) said 1 ns, not a browser's 1 µs
 *   (time.clock_getres): a fresh attacker's findings. `__syscall_umask_js` would set the host
 *   process's umask; in a worker thread Node refuses and it answers 0, the browser's answer,
 *   already: replaced for the host that runs Pyodide on its own thread.
 *
 * The wasm takes these as imports when Pyodide instantiates it, so they are replaced then, in
 * the settings Pyodide hands its module maker (as Pyodide itself adds `Jsv_GetError_import`
 * there). Any other import with a Node branch of its own must be one this module knows to be
 * harmless (NODE_BRANCHES_ALLOWED), or the interpreter does not start: a Pyodide that gained one
 * has to be looked at. The check reads each import's own source, not the helpers it calls; the
 * Node paths known to be reached through helpers, and why each is harmless:
 * - `proc_exit` → `quit_` sets `process.exitCode` of a worker thread: `os._exit` ends the run,
 *   not the host (the CLI's status is its own);
 * - `random_get` → Node's `crypto.randomFillSync`: random bytes, as the browser's crypto gives;
 * - `fd_read` → `FS_stdin_getChar` reads the host's standard input only through a terminal
 *   device, and there is none (engine.ts unlinks /dev/tty; standard input is at its end);
 * - `pyodide_js_init` holds Pyodide's whole API, Node paths for loading packages among them,
 *   reached only from JavaScript or the `pyodide_js` module, which no program can import.
 */
import { EINVAL, ENOSYS } from './emscripten-errno';
import type { ModuleMaker } from './pyodide-code-cache';


/** The browser's `__emscripten_system`: no shell, and no command runs. `command` is a pointer (0: NULL). */
export function browserSystem(command: number): number {
  return command === 0 ? 0 : -ENOSYS;
}


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
 * Offered to pyodide.asm.wasm with a Node branch, but not imported by it
 * (`emscripten_get_now_res` is reached through `clock_res_get`, replaced above).
 */
export const NOT_IMPORTED: readonly string[] = ['emscripten_async_call', 'emscripten_async_load_script', 'emscripten_get_now_res'];

/**
 * The imports with a Node branch of their own that stay: `_Py_emscripten_runtime` is read once,
 * as CPython starts (sys._emscripten_info, which the tracer replaces: sandbox.py);
 * `pyodide_js_init` (see above); and NOT_IMPORTED.
 */
export const NODE_BRANCHES_ALLOWED: ReadonlySet<string> = new Set(['_Py_emscripten_runtime', 'pyodide_js_init', ...NOT_IMPORTED]);

/** True if `fn`'s source takes a Node-only path (a branch on the environment, Node's `process`, or `require`). */
export function hasNodeBranch(fn: unknown): boolean {
  return typeof fn === 'function' && /ENVIRONMENT_IS_NODE|\bprocess\.|\brequire\(/.test(Function.prototype.toString.call(fn));
}

type InstantiateWasm = (imports: { env: Record<string, unknown> }, done: (...args: unknown[]) => void) => unknown;

/**
 * `make`, with each of browserAnswers' imports replaced as the wasm is instantiated. Rejects
 * (no interpreter) if Pyodide's settings carry no `instantiateWasm`, one of those imports is
 * missing, or another import has a Node branch not in NODE_BRANCHES_ALLOWED: the pinned Pyodide changed
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
        const original = imports.env[name] as ((...args: number[]) => number) & { sig?: string };
        if (typeof original !== 'function') throw new Error(`Pyodide’s wasm imports no ${name}: Loop Lab cannot close it (browser-imports.ts)`);
        // Its signature, which Emscripten's addFunction reads when a symbol is looked up by name.
        imports.env[name] = Object.assign((...args: number[]) => answer(...args), original.sig === undefined ? {} : { sig: original.sig });
      }
      const unknown = Object.entries(imports.env).filter(([name, fn]) => !(name in answers) && !NODE_BRANCHES_ALLOWED.has(name) && hasNodeBranch(fn));
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
