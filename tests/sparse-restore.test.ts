/**
 * A snapshot restored without writing its zero pages where the fresh memory is still zero
 * (src/runtime/sparse-restore.ts) leaves the interpreter's memory as Pyodide's own restore
 * does: byte for byte, but for the stack, which is dead while JavaScript restores.
 */
import { join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine, type LoadPyodide } from '../src/runtime/engine';
import { testSnapshotStore } from '../src/runtime/node-host';
import { importedModuleMaker } from '../src/runtime/pyodide-code-cache';
import { packSnapshot, SNAPSHOT_PAGE_BYTES, SnapshotUnpacker } from '../src/runtime/snapshot-pages';
import { type RestorableModule, restoreSparsely } from '../src/runtime/sparse-restore';
import { ROOT } from './corpus/harness';

const stdLibURL = join(ROOT, 'out/pyodide/python_stdlib.zip');
let raw: Uint8Array;

beforeAll(async () => {
  const kept = await testSnapshotStore().load();
  if (kept) raw = kept;
  else raw = (await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, makeSnapshot: true })).snapshot!;
}, 120_000);

interface Restored {
  /** The memory as it was the moment the restore returned. */
  heap: Uint8Array;
  stackEnd: number;
  stackBase: number;
  /** Bytes the restore wrote into the memory (the sparse one's, counted through HEAPU8.set). */
  writtenBytes: number;
  run: (code: string) => unknown;
}

async function restore(sparse: boolean): Promise<Restored> {
  let heap: Uint8Array | null = null;
  let writtenBytes = 0;
  let module: RestorableModule | null = null;
  const maker = async (settings: object): Promise<RestorableModule> => {
    module = (await importedModuleMaker(settings)) as RestorableModule;
    const made = module;
    if (sparse) {
      const unpacker = new SnapshotUnpacker(raw.length + 1);
      unpacker.push(packSnapshot(raw));
      unpacker.finish();
      restoreSparsely(made, (page) => unpacker.keptPage(page), SNAPSHOT_PAGE_BYTES);
    }
    const restoreNow = made.API.restoreSnapshot.bind(made.API);
    made.API.restoreSnapshot = (snapshot) => {
      // Pyodide's own writes through HEAP8, the sparse restore through HEAPU8: both counted.
      const views = [made.HEAPU8, (made as unknown as { HEAP8: Int8Array }).HEAP8] as { set(bytes: ArrayLike<number>, offset?: number): void }[];
      for (const view of views) {
        const set = view.set.bind(view);
        view.set = (bytes, offset) => {
          writtenBytes += bytes.length;
          set(bytes, offset);
        };
      }
      try {
        return restoreNow(snapshot);
      } finally {
        for (const view of views) delete (view as { set?: unknown }).set; // the prototype's again
        heap = made.HEAPU8.slice();
      }
    };
    return made;
  };
  // Pyodide's private settings: a snapshot to restore, and who makes its module.
  const settings = { stdLibURL, _loadSnapshot: raw, createPyodideModule: maker };
  const pyodide = await loadPyodide(settings as unknown as Parameters<typeof loadPyodide>[0]);
  const restored = module as RestorableModule | null;
  if (heap === null || restored === null) throw new Error('the snapshot was not restored');
  return {
    heap,
    stackEnd: restored._emscripten_stack_get_end(),
    stackBase: restored._emscripten_stack_get_base(),
    writtenBytes,
    run: (code) => pyodide.runPython(code),
  };
}

describe('a sparse restore', () => {
  it('leaves the memory as Pyodide’s own restore does, but for the dead stack, and writes half as much', async () => {
    const full = await restore(false);
    const sparse = await restore(true);
    expect(sparse.heap.length).toBe(full.heap.length);
    expect([sparse.stackEnd, sparse.stackBase]).toEqual([full.stackEnd, full.stackBase]);
    let differing = 0;
    for (let at = 0; at < full.heap.length; at++) {
      if (full.heap[at] !== sparse.heap[at]) {
        differing++;
        // Only below where the stack starts and above where it may grow to.
        expect(at >= full.stackEnd && at < full.stackBase, `byte ${at} differs outside the stack`).toBe(true);
      }
    }
    expect(differing).toBeLessThan(64 * 1024);
    // The whole image went in, against less than two thirds of it (zero pages left out: about half).
    const body = full.writtenBytes;
    expect(body).toBeGreaterThan(25 * 2 ** 20);
    expect(sparse.writtenBytes).toBeLessThan(body * 0.65);
    expect(sparse.run('import sys; sum(range(10)) + len(sys.modules) * 0')).toBe(45);
  }, 120_000);
});
