/**
 * What a learner or teacher is told when Pyodide's WebAssembly (pyodide.asm.wasm) does not
 * instantiate, in every shell: Pyodide's own loader only logs "wasm instantiation failed!" then
 * and waits for ever (`getInstantiateWasmFunc`, pyodide.mjs 314.0.7), so each shell ends the
 * start itself with this (node-wasm.ts, page-pyodide.ts).
 */

/**
 * Why the WebAssembly at `where` did not instantiate, and what to do. A file that does not
 * compile or link is damaged or another version's: `reinstall` says how this shell gets it
 * again. Memory that could not be had is the machine's (V8's "Out of memory: Cannot allocate
 * Wasm memory", a RangeError, measured under `ulimit -v`). Anything else is said as it is.
 */
export function wasmNotLoaded(where: string, error: unknown, reinstall: string): string {
  const said = error instanceof Error ? error.message : String(error);
  if (error instanceof WebAssembly.CompileError || error instanceof WebAssembly.LinkError) {
    return `Python's WebAssembly (${where}) could not be loaded (${said}). ${reinstall}`;
  }
  if (error instanceof RangeError || /out of memory/i.test(said)) {
    return `Python's WebAssembly could not be given its memory (${said}): the machine has too little free. Close other programs and try again.`;
  }
  return `Python's WebAssembly (${where}) could not be loaded (${said}).`;
}
