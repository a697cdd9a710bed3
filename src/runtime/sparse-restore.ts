/**
 * Restores an interpreter's memory from a snapshot without writing the pages that are zero in
 * the snapshot and still untouched in the fresh memory.
 *
 * Pyodide's own restore (`API.restoreSnapshot` in pyodide.asm.mjs, 314) copies the whole
 * snapshot into the WebAssembly memory it has just made: 30 MB, every page of it touched for
 * the first time. Fresh memory is slow to touch on the machines these numbers come from (a
 * Firecracker VM: ~4 ms a MB, written or read, measured here in Node), and the copy was the
 * largest single item of a warm start in the browser's Python worker (~190 ms of ~880 ms
 * after the module is made, in a Chromium profile here). Half the snapshot is zero pages
 * (snapshot-pages.ts leaves them out of the packed form), and a zero page of the snapshot need
 * not be written where the memory is still zero.
 *
 * What the fresh module has written before the restore is known by where it lies in
 * Emscripten's memory layout (measured for Pyodide 314: data from 0 to the stack's end, 4 MB;
 * the stack above it, 10 MB, up to `__heap_base`; the heap above that, of which the module had
 * taken 6 KB): the static data and the heap below the current break (`sbrk(0)`) are copied
 * whole, zeros and all. The stack is dead while JavaScript restores (no WebAssembly frame is
 * live: the restore is called from JavaScript, and the stack pointer is a global, not memory),
 * so its zero pages are skipped like the heap's above the break: whatever a frame left below
 * the stack pointer is never read before it is written again. The stack's cookie, at its end,
 * is in a page the snapshot keeps. (With Pyodide 314 no page the module wrote before the
 * restore is zero in the snapshot, so the whole-copy rule changes nothing there; it is for a
 * build where one is, and tests/sparse-restore.test.ts checks it on a module of a few pages.)
 * Skipped with Pyodide 314: 16 MB of the 30 MB image.
 */

/** The parts of Pyodide's module this uses (not in Pyodide's public types). */
export interface RestorableModule {
  HEAPU8: Uint8Array;
  API: { restoreSnapshot(snapshot: Uint8Array): unknown };
  /** The lowest address of the stack (it grows down to here); below it, static data. */
  _emscripten_stack_get_end(): number;
  /** The highest address of the stack, where it starts (`__heap_base`, with this layout). */
  _emscripten_stack_get_base(): number;
  /** Where the heap's break is now (with 0: moves nothing). */
  _sbrk(increment: number): number;
}

/**
 * Makes `module.API.restoreSnapshot(snapshot)` restore `snapshot` as Pyodide would, writing
 * only the pages that can differ from the fresh memory: every page of the snapshot that
 * `keptPage` says holds something (page `p`: bytes `[p * pageBytes, (p + 1) * pageBytes)` of
 * the snapshot, header included, as snapshot-pages.ts numbers them), and every page the module
 * may already have written. Pyodide's own checks (magic number, build id) and its reading of
 * the snapshot's header are its own: it is handed the header alone, and copies nothing.
 */
export function restoreSparsely(module: RestorableModule, keptPage: (page: number) => boolean, pageBytes: number): void {
  const pyodideRestore = module.API.restoreSnapshot.bind(module.API);
  module.API.restoreSnapshot = (snapshot: Uint8Array): unknown => {
    // Pyodide's header: magic, the offset of the memory's image (16-aligned), JSON length, …
    if (snapshot.length < 16) return pyodideRestore(snapshot); // its own error
    const bodyAt = new DataView(snapshot.buffer, snapshot.byteOffset, 16).getUint32(4, true);
    const heap = module.HEAPU8;
    const bodyBytes = snapshot.length - bodyAt;
    if (bodyAt < 16 || bodyAt > snapshot.length || bodyBytes > heap.length) return pyodideRestore(snapshot); // its own error
    const metadata = pyodideRestore(snapshot.subarray(0, bodyAt));
    const stackLow = module._emscripten_stack_get_end();
    const stackHigh = module._emscripten_stack_get_base();
    const brk = module._sbrk(0);
    /** True when the module may have written memory [from, to) before the restore: all but the stack and the heap above the break. */
    const written = (from: number, to: number): boolean => from < stackLow || (to > stackHigh && from < brk);
    // Page by page of the snapshot, in runs: a run of pages to write is copied in one `set`.
    let runFrom = -1;
    const flush = (to: number): void => {
      if (runFrom >= 0) heap.set(snapshot.subarray(bodyAt + runFrom, bodyAt + to), runFrom);
      runFrom = -1;
    };
    for (let page = Math.floor(bodyAt / pageBytes); page * pageBytes < snapshot.length; page++) {
      const from = Math.max(0, page * pageBytes - bodyAt);
      const to = Math.min(bodyBytes, (page + 1) * pageBytes - bodyAt);
      if (keptPage(page) || written(from, to)) {
        if (runFrom < 0) runFrom = from;
      } else {
        flush(from);
      }
    }
    flush(bodyBytes);
    return metadata;
  };
}
