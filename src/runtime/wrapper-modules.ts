/**
 * One compile per signature for the tiny WebAssembly modules Emscripten makes as Pyodide starts.
 *
 * Each JavaScript function Emscripten puts in the interpreter's function table (`addFunction`)
 * must be a WebAssembly function first, and without `WebAssembly.Function` (not in Chromium or
 * Node 20 by default) it makes one by compiling a module of a few dozen bytes that imports the
 * JavaScript function and exports it (`convertJsFunctionToWasm` in pyodide.asm.mjs), then
 * instantiating it. The module's bytes depend on the signature alone, and a start made 262 of
 * them from a handful of signatures: in a Chromium trace of a warm start, 32 ms of the Python
 * worker's thread went to `new WebAssembly.Module` for them (and 262 `wasm.SyncCompile`s).
 * While `shareWrapperModules` is in force, a module made again from the same small bytes is
 * the one made before (a WebAssembly.Module can be instantiated any number of times); each
 * function still gets its own instance, so nothing is shared but compiled code.
 *
 * Only bytes up to WRAPPER_MODULE_BYTES long are shared, while an interpreter starts: the
 * original constructor is back once the last start that overlaps it has ended, before any
 * program runs (a worker starts one interpreter).
 */

/** The longest module whose compile is shared (bytes): a wrapper is ~40, Python's own ~9.6 MB. */
export const WRAPPER_MODULE_BYTES = 256;

/** How many starts are sharing now, and the constructor to put back when none is. */
let sharing: { starts: number; original: typeof WebAssembly.Module } | null = null;

/**
 * Makes `new WebAssembly.Module(bytes)` of the same small bytes give one module until the
 * returned function is called (once), which puts the constructor back when no other start is
 * sharing (starts overlap in one process in tests and the bench, and end in any order).
 * Anything else (larger bytes, another kind of source, compile options) is compiled as ever.
 */
export function shareWrapperModules(): () => void {
  let undone = false;
  const undo = (): void => {
    if (undone || sharing === null) return;
    undone = true;
    if (--sharing.starts === 0) {
      WebAssembly.Module = sharing.original;
      sharing = null;
    }
  };
  if (sharing !== null) {
    sharing.starts++;
    return undo;
  }
  const original = WebAssembly.Module;
  const made = new Map<string, WebAssembly.Module>();
  function Module(this: unknown, bytes: BufferSource, ...rest: unknown[]): WebAssembly.Module {
    if (new.target === undefined) return Reflect.apply(original, this, [bytes, ...rest]) as WebAssembly.Module; // throws, as the original does
    if (rest.length === 0 && bytes instanceof Uint8Array && bytes.length <= WRAPPER_MODULE_BYTES) {
      const key = String.fromCharCode(...bytes);
      let module = made.get(key);
      if (module === undefined) {
        module = new original(bytes);
        made.set(key, module);
      }
      return module;
    }
    return Reflect.construct(original, [bytes, ...rest], new.target === Module ? original : new.target) as WebAssembly.Module;
  }
  const shared = Module as unknown as typeof WebAssembly.Module;
  // The statics (customSections, exports, imports) and `instanceof` answer as the original's.
  Object.setPrototypeOf(shared, original);
  Object.defineProperty(shared, 'prototype', { value: original.prototype });
  WebAssembly.Module = shared;
  sharing = { starts: 1, original };
  return undo;
}
