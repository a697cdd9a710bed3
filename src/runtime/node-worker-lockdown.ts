/**
 * What the CLI's Python worker thread (src/runtime/node-worker.ts) gives up once Python is up,
 * before any program runs: what a program that found a way out to JavaScript could use on the
 * host. A reviewer did (helper-146): CPython's `array` bug (README, security model) gave a
 * program all of the interpreter's memory, a forged JsProxy gave it JavaScript objects, and
 * `Function("return globalThis.process")()` then `process.getBuiltinModule('child_process')`
 * ran a shell as the user. The CLI is still not a sandbox (README): this is what a worker thread
 * can close. Code made from strings is refused in the worker by V8 itself (the CLI sets
 * `--disallow-code-generation-from-strings` before it makes one: src/cli/early.ts); these are
 * the powers left that need no code of the program's own, reached through `globalThis`. A
 * separate module so it can be tested on its own, in a real worker thread.
 */
import { lockRealm } from './realm-lockdown';

/**
 * What `process` holds that reaches the host: Node's modules (child_process, fs, net …) and
 * its internal bindings, native add-ons, signals to other processes, the host's environment
 * and .env files, diagnostic reports written to disk, and the host's terminal (its streams, and
 * warnings Node prints there). Each function is replaced by one that does nothing and returns
 * nothing (Node's own code calls some of them: `emitWarning` for a deprecation, say, which must
 * not then throw), each stream or object by undefined. A worker's `exit` ends only the worker,
 * and `on` is the worker's own error handling: both stay.
 */
export const PROCESS_WAYS_OUT = [
  'getBuiltinModule',
  'binding',
  '_linkedBinding',
  'dlopen',
  'kill',
  '_kill',
  'abort',
  '_rawDebug',
  'loadEnvFile',
  'report',
  // Writes to the host's terminal (Node prints a warning on stderr), in words the caller chose.
  'emitWarning',
  'openStdin',
  'stdin',
  'stdout',
  'stderr',
  'chdir',
  'setuid',
  'setgid',
  'seteuid',
  'setegid',
  'setgroups',
  'initgroups',
] as const;

/** What the worker's global object holds that reaches the network, other threads or Node's module loader. */
export const NODE_GLOBAL_WAYS_OUT = ['fetch', 'WebSocket', 'EventSource', 'BroadcastChannel', 'require', 'module', 'navigator'] as const;

/** Stands in for each function of `process` given up: does nothing, returns nothing. */
function givenUp(): undefined {
  return undefined;
}

/** `process[name]`, a function, made one that does nothing; anything else, undefined. */
function disarm(process: Record<string, unknown>, name: string): void {
  let value: unknown;
  try {
    value = process[name];
  } catch {
    value = undefined;
  }
  if (typeof value !== 'function') {
    remove(process, name);
    return;
  }
  try {
    Object.defineProperty(process, name, { value: givenUp, writable: false, configurable: false });
  } catch {
    remove(process, name);
  }
}

function remove(target: Record<string, unknown>, name: string): void {
  try {
    delete target[name];
  } catch {
    // Not deletable: made useless below.
  }
  if (name in target && target[name] !== undefined) {
    try {
      Object.defineProperty(target, name, { value: undefined, writable: false, configurable: false });
    } catch {
      // Neither: nothing more this thread can do about it.
    }
  }
}

/**
 * Gives up every way out listed above; the host's environment is replaced by an empty one
 * (Emscripten read what it needed as Python started, from the engine's own settings).
 */
export function closeNodeWaysOut(scope: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): void {
  const process = scope.process as Record<string, unknown> | undefined;
  if (process) {
    for (const name of PROCESS_WAYS_OUT) disarm(process, name);
    try {
      Object.defineProperty(process, 'env', { value: Object.freeze({}), writable: false, configurable: false });
    } catch {
      remove(process, 'env');
    }
  }
  for (const name of NODE_GLOBAL_WAYS_OUT) remove(scope, name);
  lockRealm(scope);
}

/**
 * What Pyodide itself keeps that reaches the host from Node, in its module's closures (Node's
 * `fs`, `fs/promises`, `net`, and Emscripten's own `require`), on objects a program that reached
 * JavaScript can reach (atk3, attack 75: a getter planted on Object.prototype was handed
 * Pyodide's API object as Pyodide read `API.Comlink`, then `pyodide.mountNodeFS` mounted the
 * host's folders, and Emscripten's `__emscripten_system`, kept on the module though the wasm's
 * import was replaced (browser-imports.ts), ran a shell). Each function is made one that does
 * nothing; each file system type is deleted. Loop Lab loads no package once Python is up.
 */
export const PYODIDE_WAYS_OUT = {
  /** The public API (`pyodide`). */
  pyodide: ['mountNodeFS', 'useNodeSockFS', 'mountNativeFS', 'loadPackage', 'loadPackagesFromImports'],
  /** Pyodide's internal API (`pyodide._api`): loadBinaryFile (and packageManager's downloads through it) reads any host path in Node. */
  api: ['initializeNodeSockFS', 'loadBinaryFile', 'loadDynlib', 'packageManager'],
  /** Emscripten's module (`pyodide._module`): its functions with a Node-only branch of their own. */
  module: ['__emscripten_system', '_emscripten_async_load_script', '_emscripten_async_call', '_emscripten_get_now_res'],
  /** Emscripten's file system types that are the host's (FS.filesystems, and on the module). */
  filesystems: ['NODEFS', 'NODESOCKFS', 'NODERAWFS'],
} as const;

/** Gives up PYODIDE_WAYS_OUT on `pyodide` (its `_api`, `_module` and `FS` with it). */
export function closePyodideWaysOut(pyodide: unknown): void {
  const pyo = pyodide as Record<string, unknown> & { _api?: Record<string, unknown>; _module?: Record<string, unknown> };
  for (const name of PYODIDE_WAYS_OUT.pyodide) disarm(pyo, name);
  if (pyo._api) for (const name of PYODIDE_WAYS_OUT.api) disarm(pyo._api, name);
  const module = pyo._module;
  if (module) {
    for (const name of PYODIDE_WAYS_OUT.module) disarm(module, name);
    const fs = module.FS as { filesystems?: Record<string, unknown> } | undefined;
    for (const name of PYODIDE_WAYS_OUT.filesystems) {
      if (fs?.filesystems) remove(fs.filesystems, name);
      const alias = module.FS_filesystems as Record<string, unknown> | undefined;
      if (alias) remove(alias, name);
      remove(module, name);
    }
  }
}
