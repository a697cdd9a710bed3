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
 * not be written where the memory is still zero. The kept pages are copied straight from the
 * packed form (snapshot-pages.ts), as the chunks it was inflated in: no unpacked copy of the
 * whole snapshot is made first (another 30 MB buffer, 14 MB of it written).
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

import type { PackedSnapshot } from './snapshot-pages';

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
 * Makes `module.API.restoreSnapshot(placeholder)` restore `snapshot` (a packed one, read in
 * place: snapshot-pages.ts) as Pyodide would restore its bytes, writing only the pages that can
 * differ from the fresh memory: every page of the snapshot that holds something (copied straight
 * from the packed form, with no unpacked copy of the whole between), and every page the module
 * may already have written (zeros, where the snapshot has a page left out). What Pyodide is
 * handed (`placeholder`: its `_loadSnapshot`, whose length sized the memory) is not read.
 * Pyodide's own checks (magic number, build id) and its reading of the snapshot's header are its
 * own: it is handed the header alone, and copies nothing. A header it would refuse, or an image
 * larger than the memory, goes to it whole, for its own error.
 */
export function restoreSparsely(module: RestorableModule, snapshot: PackedSnapshot): void {
  const pyodideRestore = module.API.restoreSnapshot.bind(module.API);
  const pageBytes = snapshot.pageBytes;
  module.API.restoreSnapshot = (): unknown => {
    // Once only: Pyodide's own is put back, and the snapshot is no longer held here. In the CLI
    // its memory is shared with every later interpreter of the process (shared-bytes.ts); held
    // on Pyodide's API for the worker's life, it was one reach away from a program that found
    // the API (helper-150).
    module.API.restoreSnapshot = pyodideRestore;
    const size = snapshot.size;
    const whole = (): unknown => pyodideRestore(snapshot.unpack());
    // Pyodide's header: magic, the offset of the memory's image (16-aligned), JSON length, …
    if (size < 16) return whole(); // its own error
    const start = new Uint8Array(16);
    snapshot.copy(start, 0, 0, 16);
    const bodyAt = new DataView(start.buffer).getUint32(4, true);
    const heap = module.HEAPU8;
    const bodyBytes = size - bodyAt;
    if (bodyAt < 16 || bodyAt > size || bodyBytes > heap.length) return whole(); // its own error
    const header = new Uint8Array(bodyAt);
    snapshot.copy(header, 0, 0, bodyAt);
    const metadata = pyodideRestore(header);
    const stackLow = module._emscripten_stack_get_end();
    const stackHigh = module._emscripten_stack_get_base();
    const brk = module._sbrk(0);
    /** True when the module may have written memory [from, to) before the restore: all but the stack and the heap above the break. */
    const written = (from: number, to: number): boolean => from < stackLow || (to > stackHigh && from < brk);
    // Page by page of the snapshot, in runs: a run of pages to write is copied in one call.
    let runFrom = -1;
    const flush = (to: number): void => {
      if (runFrom >= 0) snapshot.copy(heap, runFrom, bodyAt + runFrom, bodyAt + to);
      runFrom = -1;
    };
    for (let page = Math.floor(bodyAt / pageBytes); page * pageBytes < size; page++) {
      const from = Math.max(0, page * pageBytes - bodyAt);
      const to = Math.min(bodyBytes, (page + 1) * pageBytes - bodyAt);
      if (snapshot.keptPage(page) || written(from, to)) {
        if (runFrom < 0) runFrom = from;
      } else {
        flush(from);
      }
    }
    flush(bodyBytes);
    return metadata;
  };
}
