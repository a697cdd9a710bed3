/**
 * What a learner or teacher is told when Pyodide's WebAssembly (pyodide.asm.wasm) does not
 * instantiate, in every shell: Pyodide's own loader only logs "wasm instantiation failed!" then
 * and waits for ever (`getInstantiateWasmFunc`, pyodide.mjs 314.0.7), so each shell ends the
 * start itself with a WasmNotLoaded (node-wasm.ts, page-pyodide.ts).
 */

/**
 * Python's WebAssembly did not load: the start cannot succeed in this interpreter, cold or
 * restored, so the engine does not try a cold start after a failed restore (engine.ts): the
 * snapshot is not what failed.
 */
export class WasmNotLoaded extends Error {
  override name = 'WasmNotLoaded';
}

/**
 * Why the WebAssembly at `where` did not instantiate, and what to do. A file that is not this
 * Pyodide's WebAssembly (damaged, cut short, another version's, an error page or nothing in its
 * place: a CompileError, a LinkError, or the TypeError a streaming compile gives for a response
 * that is not WebAssembly, "HTTP status code is not ok", "Incorrect response MIME type") gets
 * `reinstall`, how this shell gets it again. Memory that could not be had is the machine's
 * (V8's "Out of memory: Cannot allocate Wasm memory", a RangeError, measured under
 * `ulimit -v`). Anything else is said as it is.
 */
export function wasmNotLoaded(where: string, error: unknown, reinstall: string): string {
  const said = error instanceof Error ? error.message : String(error);
  if (error instanceof RangeError || /out of memory/i.test(said)) {
    return `Python's WebAssembly could not be given its memory (${said}): the machine has too little free. Close other programs and try again.`;
  }
  if (error instanceof WebAssembly.CompileError || error instanceof WebAssembly.LinkError || error instanceof TypeError) {
    return `Python's WebAssembly (${where}) could not be loaded (${said}). ${reinstall}`;
  }
  return `Python's WebAssembly (${where}) could not be loaded (${said}).`;
}
