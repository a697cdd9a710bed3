/**
 * The CLI's Python worker thread gives up what reaches the host once Python is up
 * (src/runtime/node-worker-lockdown.ts), tried in a real Node worker thread: Node's modules
 * through `process`, its bindings and add-ons, signals, the environment, diagnostic reports,
 * the terminal, the network, and Node's module loader. What the worker itself needs after (its
 * port to the host, its own error handling, WebAssembly, timers) still works. Attack 74
 * (tests/cli.test.ts) is the program a reviewer ran a shell with through them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { transformWithEsbuild } from 'vite';
import { describe, expect, it } from 'vitest';
import { closePyodideWaysOut, NODE_GLOBAL_WAYS_OUT, PROCESS_WAYS_OUT, PYODIDE_WAYS_OUT } from '../src/runtime/node-worker-lockdown';

/** What a worker thread reports of itself after closeNodeWaysOut(). */
async function lockedWorker(): Promise<Record<string, unknown>> {
  const asCommonJs = async (file: string): Promise<string> =>
    (await transformWithEsbuild(readFileSync(join(import.meta.dirname, '../src/runtime', file), 'utf8'), file, { format: 'cjs', loader: 'ts' })).code;
  const realm = await asCommonJs('realm-lockdown.ts');
  const code = await asCommonJs('node-worker-lockdown.ts');
  const probe = `
    const { parentPort } = require('node:worker_threads');
    const realm = { exports: {} };
    (function (exports, module) { ${realm} })(realm.exports, realm);
    const module = { exports: {} };
    (function (exports, module, require) { ${code} })(module.exports, module, (name) => (name === './realm-lockdown' ? realm.exports : require(name)));
    const before = { fetch: typeof fetch, getBuiltinModule: typeof process.getBuiltinModule, env: Object.keys(process.env).length };
    module.exports.closeNodeWaysOut();
    const report = { before, process: {}, global: {} };
    for (const name of ${JSON.stringify(PROCESS_WAYS_OUT)}) {
      const value = process[name];
      report.process[name] = value === undefined ? 'gone' : typeof value === 'function' && value('child_process') === undefined && value.length === 0 && value.name === 'givenUp' ? 'gone' : typeof value;
    }
    // Node's own code calls emitWarning (a deprecation): it does nothing, and throws nothing.
    try { process.emitWarning('a warning', 'DeprecationWarning'); report.warned = 'quiet'; } catch (e) { report.warned = String(e); }
    for (const name of ${JSON.stringify(NODE_GLOBAL_WAYS_OUT)}) report.global[name] = globalThis[name] === undefined ? 'gone' : typeof globalThis[name];
    report.env = Object.keys(process.env);
    try { process.env.X = '1'; } catch { }
    report.envAfterWrite = Object.keys(process.env);
    process.on('uncaughtException', () => {});
    report.on = typeof process.on;
    report.wasm = typeof WebAssembly.Module;
    report.frozen = Object.isFrozen(Object.prototype);
    const hook = () => 'hooked';
    try { Function.prototype.call = hook; } catch { }
    report.call = Function.prototype.call === hook ? 'replaced' : 'kept';
    const typedArray = Object.getPrototypeOf(Uint8Array.prototype);
    try { typedArray.fill = hook; } catch { }
    try { Array.prototype.some = hook; } catch { }
    try { Object.keys = hook; } catch { }
    const arrayIterator = Object.getPrototypeOf([][Symbol.iterator]());
    try { arrayIterator.next = hook; } catch { }
    try { WebAssembly.Memory.prototype.grow = hook; } catch { }
    try { Object.defineProperty(WebAssembly.Memory.prototype, 'buffer', { get: hook }); } catch { }
    report.builtins = typedArray.fill === hook || Array.prototype.some === hook || Object.keys === hook || arrayIterator.next === hook || WebAssembly.Memory.prototype.grow === hook || Object.getOwnPropertyDescriptor(WebAssembly.Memory.prototype, 'buffer').get === hook ? 'replaced' : 'kept';
    report.stillIterates = [...[1, 2]].length === 2 && new WebAssembly.Memory({ initial: 1 }).buffer.byteLength === 65536;
    // The constructors' statics too (atk-review: ArrayBuffer.isView, which the file caps count
    // files with; Int32Array.from, which the engine calls once the tracer has ended), and none
    // added: no Symbol.hasInstance of a program's on them or on Error, no getter for its stackTraceLimit.
    const statics = [];
    for (const [made, name] of [[ArrayBuffer, 'isView'], [Int32Array, 'from'], [Uint8Array, 'of'], [Map, 'groupBy'], [Error, 'captureStackTrace'], [TypeError, 'extra']]) {
      try { Object.defineProperty(made, name, { value: hook, configurable: true }); } catch { }
      try { Object.defineProperty(made, Symbol.hasInstance, { value: hook }); } catch { }
      if (made[name] === hook || made[Symbol.hasInstance] === hook) statics.push(made.name + '.' + name);
    }
    for (const made of [Function, WebAssembly.Module, WebAssembly.Memory]) {
      try { Object.defineProperty(made, Symbol.hasInstance, { value: hook }); } catch { }
      if (made[Symbol.hasInstance] === hook) statics.push(made.name);
    }
    try { Object.defineProperty(Error, 'stackTraceLimit', { get: hook }); } catch { }
    if (typeof Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit').get === 'function') statics.push('Error.stackTraceLimit');
    report.statics = statics;
    // Pyodide's PythonError sets stackTraceLimit around its super call: still a number it can set.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = Infinity;
    report.limitSet = Error.stackTraceLimit === Infinity;
    Error.stackTraceLimit = limit;
    report.staticsWork = ArrayBuffer.isView(new Uint8Array(1)) && Int32Array.from([1, 2]).length === 2 && new Error('x') instanceof Error && [] instanceof Array;
    // What the worker's own code does with them still works.
    const kept = new Uint8Array(8).fill(7);
    const map = new Map([[1, 2]]);
    map.set(3, 4);
    report.stillWorks = kept[7] === 7 && [1, 2].some((n) => n === 2) && Object.keys({ a: 1 }).length === 1 && map.size === 2 && JSON.stringify([1]) === '[1]';
    try { Error.prepareStackTrace = () => 'hooked'; } catch { }
    report.stack = typeof new Error('probe').stack === 'string' && new Error('probe').stack.startsWith('Error: probe') ? 'formatted by V8' : 'hooked';
    setTimeout(() => parentPort.postMessage(report), 1);
  `;
  const worker = new Worker(probe, { eval: true, env: { ...process.env, LOOP_LAB_PROBE: 'host secret' } });
  try {
    return await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
  } finally {
    await worker.terminate();
  }
}

describe('the CLI worker thread gives up its ways out to the host', () => {
  it('in a real worker thread: every listed power is gone, and the port, error handling and WebAssembly stay', async () => {
    const report = (await lockedWorker()) as {
      before: { fetch: string; getBuiltinModule: string; env: number };
      process: Record<string, string>;
      global: Record<string, string>;
      env: string[];
      envAfterWrite: string[];
      warned: string;
      frozen: boolean;
      call: string;
      builtins: string;
      stillWorks: boolean;
      stillIterates: boolean;
      stack: string;
      statics: string[];
      limitSet: boolean;
      staticsWork: boolean;
      on: string;
      wasm: string;
    };
    // They were there to give up (Node 20.20 has process.getBuiltinModule and fetch).
    expect(report.before).toMatchObject({ fetch: 'function', getBuiltinModule: 'function' });
    expect(report.before.env).toBeGreaterThan(0);
    for (const name of PROCESS_WAYS_OUT) expect(report.process[name], `process.${name}`).toBe('gone');
    for (const name of NODE_GLOBAL_WAYS_OUT) expect(report.global[name], name).toBe('gone');
    expect(report.env).toEqual([]);
    expect(report.envAfterWrite).toEqual([]);
    expect(report.on).toBe('function');
    expect(report.warned).toBe('quiet');
    expect(report.frozen).toBe(true);
    expect(report.call).toBe('kept');
    expect(report.builtins).toBe('kept');
    expect(report.stillWorks).toBe(true);
    expect(report.stillIterates).toBe(true);
    expect(report.stack).toBe('formatted by V8');
    expect(report.statics).toEqual([]);
    expect(report.limitSet).toBe(true);
    expect(report.staticsWork).toBe(true);
    expect(report.wasm).toBe('function');
  });

  it('lists what the reviewer used and what reaches the host', () => {
    for (const name of ['getBuiltinModule', 'binding', 'dlopen', 'kill', 'report', 'loadEnvFile', 'stdout', 'stderr']) expect(PROCESS_WAYS_OUT, name).toContain(name);
    expect(NODE_GLOBAL_WAYS_OUT).toContain('fetch');
  });
});

describe("Pyodide's own ways to the host are given up too (attack 75, helper-147)", () => {
  it('each function on the public API, its internal API and the module does nothing, and the host file systems are gone', () => {
    const fn = (): string => 'reached';
    const filesystems = { MEMFS: {}, NODEFS: {}, NODESOCKFS: {}, NODERAWFS: {} };
    const pyodide = {
      runPython: fn,
      _api: { loadBinaryFile: fn, packageManager: { install: fn }, initializeNodeSockFS: fn, loadDynlib: fn, public_api: {} },
      _module: { __emscripten_system: fn, _emscripten_async_load_script: fn, _emscripten_async_call: fn, _emscripten_get_now_res: fn, FS: { filesystems }, FS_filesystems: filesystems, NODEFS: {}, HEAP8: {} },
      mountNodeFS: fn,
      useNodeSockFS: fn,
      mountNativeFS: fn,
      loadPackage: fn,
      loadPackagesFromImports: fn,
    } as Record<string, unknown> & { _api: Record<string, unknown>; _module: Record<string, unknown> };
    closePyodideWaysOut(pyodide);
    const call = (target: Record<string, unknown>, name: string): unknown => (typeof target[name] === 'function' ? (target[name] as () => unknown)() : target[name]);
    for (const name of PYODIDE_WAYS_OUT.pyodide) expect(call(pyodide, name), name).toBeUndefined();
    for (const name of PYODIDE_WAYS_OUT.api) expect(call(pyodide._api, name), `_api.${name}`).toBeUndefined();
    for (const name of PYODIDE_WAYS_OUT.module) expect(call(pyodide._module, name), `_module.${name}`).toBeUndefined();
    expect(Object.keys(filesystems)).toEqual(['MEMFS']);
    expect(pyodide._module.NODEFS).toBeUndefined();
    // What Loop Lab runs programs with stays.
    expect(call(pyodide, 'runPython')).toBe('reached');
    expect(pyodide._module.HEAP8).toBeDefined();
  });
});
