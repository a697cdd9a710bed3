/**
 * A snapshot restored without writing its zero pages where the fresh memory is still zero
 * (src/runtime/sparse-restore.ts) leaves the interpreter's memory as Pyodide's own restore
 * does: byte for byte, but for the stack, which is dead while JavaScript restores.
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadPyodide } from 'pyodide';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine, type LoadPyodide } from '../src/runtime/engine';
import { testSnapshotStore } from '../src/runtime/node-host';
import { importedModuleMaker } from '../src/runtime/pyodide-code-cache';
import { PackedSnapshot, packSnapshot, unpackSnapshot } from '../src/runtime/snapshot-pages';
import { type RestorableModule, restoreSparsely } from '../src/runtime/sparse-restore';
import { ROOT } from './corpus/harness';

const stdLibURL = join(ROOT, 'out/pyodide/python_stdlib.zip');
let raw: Uint8Array;

beforeAll(async () => {
  const kept = await testSnapshotStore().load(); // packed, as the file store loads it
  if (kept) raw = unpackSnapshot(kept, 1 << 30);
  else raw = (await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, makeSnapshot: true })).snapshot!;
}, 120_000);

/** `snapshot` in Loop Lab's packed form, read in place. */
function packed(snapshot: Uint8Array): PackedSnapshot {
  return PackedSnapshot.of(packSnapshot(snapshot), 1 << 30);
}

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
    if (sparse) restoreSparsely(made, packed(raw));
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
  // Pyodide's private settings: a snapshot to restore (its size sizes the memory; the sparse
  // restore reads the packed form instead), and who makes its module.
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

/**
 * A module of a few pages, laid out as Emscripten lays one out (static data, then the stack,
 * then the heap), with bytes it wrote before the restore where a fresh module may have: its
 * data, the stack (dead), the heap below the break. Its "Pyodide" restore copies the image
 * whole, after Pyodide's header (magic, image offset).
 */
const PAGE = 4096;
const MAGIC = 0x2a;

function fakeModule(pages: number, layout: { stackLow: number; stackHigh: number; brk: number }): RestorableModule & { fullCopies: number } {
  const heap = new Uint8Array(pages * PAGE);
  // Written before the restore: a byte in every page of data, of the stack, and of the heap below the break.
  for (let at = 0; at < layout.brk; at += PAGE) heap[at + 7] = 0x55;
  const module = {
    HEAPU8: heap,
    fullCopies: 0,
    API: {
      restoreSnapshot(snapshot: Uint8Array): unknown {
        const view = new DataView(snapshot.buffer, snapshot.byteOffset, snapshot.length);
        if (snapshot.length < 16 || view.getUint32(0, true) !== MAGIC) throw new Error('Snapshot has invalid magic number');
        const body = snapshot.subarray(view.getUint32(4, true));
        if (body.length > 0) module.fullCopies++;
        heap.set(body);
        return { metadata: true };
      },
    },
    _emscripten_stack_get_end: () => layout.stackLow,
    _emscripten_stack_get_base: () => layout.stackHigh,
    _sbrk: (increment: number) => (increment === 0 ? layout.brk : -1),
  };
  return module;
}

/** An image of `bodyPages` pages after a `bodyAt`-byte header; `filled(page)` pages hold bytes, the rest are zero. */
function image(bodyAt: number, bodyPages: number, filled: (page: number) => boolean): Uint8Array {
  const snapshot = new Uint8Array(bodyAt + bodyPages * PAGE);
  const view = new DataView(snapshot.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, bodyAt, true);
  for (let page = 0; page < bodyPages; page++) if (filled(page)) snapshot.fill(page + 1, bodyAt + page * PAGE, bodyAt + (page + 1) * PAGE);
  return snapshot;
}

describe('the sparse restore’s rules, on a module of a few pages', () => {
  const layout = { stackLow: 4 * PAGE, stackHigh: 8 * PAGE, brk: 9 * PAGE + 100 };
  // One page in four holds bytes: runs of zero pages fall in the data, the stack, and above the break.
  const snapshot = image(32, 14, (page) => page % 4 === 1);

  it('writes the image where it holds bytes and wherever the module may have written, not elsewhere; Pyodide’s own copies nothing', () => {
    const module = fakeModule(16, layout); // a memory larger than the image: the rest stays as it was
    restoreSparsely(module, packed(snapshot));
    // What Pyodide holds is not read: the packed form is.
    expect(module.API.restoreSnapshot(new Uint8Array(snapshot.length))).toEqual({ metadata: true });
    expect(module.fullCopies).toBe(0);
    const body = snapshot.subarray(32);
    for (let at = 0; at < module.HEAPU8.length; at++) {
      const expected = at < body.length ? body[at]! : 0;
      const inDeadStack = at >= layout.stackLow && at < layout.stackHigh;
      if (inDeadStack && expected === 0) continue; // left as it was: dead
      expect(module.HEAPU8[at], `byte ${at}`).toBe(expected);
    }
    // A zero page of the image above the break was not written (nothing to write: it stays zero),
    // and the stack's dead bytes under a zero page of the image are as the module left them.
    // (Body page 7 is zero, and so is the snapshot's page that holds it, 32 bytes later.)
    expect(module.HEAPU8[layout.stackLow + 3 * PAGE + 7]).toBe(0x55);
  });

  it('a snapshot Pyodide refuses is refused in its words: a bad magic number, one too short to hold a header', () => {
    const damaged = snapshot.slice();
    damaged[0] = 0;
    const module = fakeModule(16, layout);
    restoreSparsely(module, packed(damaged));
    expect(() => module.API.restoreSnapshot(snapshot)).toThrow('Snapshot has invalid magic number');
    const short = fakeModule(16, layout);
    restoreSparsely(short, packed(new Uint8Array(8)));
    expect(() => short.API.restoreSnapshot(snapshot)).toThrow('Snapshot has invalid magic number');
  });

  it('an image larger than the memory is left to Pyodide’s own restore (its error)', () => {
    const module = fakeModule(10, layout);
    restoreSparsely(module, packed(snapshot));
    expect(() => module.API.restoreSnapshot(snapshot)).toThrow(RangeError);
  });
});

/**
 * Bytes copied into any buffer at least the snapshot's size while `start` runs: the interpreter's
 * memory, and any unpacked copy of the whole snapshot (each would be counted).
 */
async function copiedWhile<T>(start: () => Promise<T>): Promise<{ result: T; copied: number }> {
  // Every typed array's `set` (Pyodide's own restore writes through an Int8Array, HEAP8).
  const typedArray = Object.getPrototypeOf(Uint8Array.prototype) as { set: (this: Uint8Array, source: ArrayLike<number>, offset?: number) => void };
  const set = typedArray.set;
  let copied = 0;
  typedArray.set = function (this: Uint8Array, source: ArrayLike<number>, offset?: number) {
    if (this.buffer instanceof ArrayBuffer && this.buffer.byteLength >= raw.length - 4096 && !(this.buffer as { resizable?: boolean }).resizable) copied += source.length;
    return set.call(this, source, offset);
  };
  try {
    return { result: await start(), copied };
  } finally {
    typedArray.set = set;
  }
}

describe('the engine restores a packed snapshot sparsely, straight from its pages', () => {
  // Less than two thirds of the image: the kept pages (under half) once. Unpacked first, they
  // would be written twice (into the unpacked copy, then into the memory).
  it('given a Blob of it gzipped and where pyodide.asm.mjs is (the browser edition)', async () => {
    const gz = gzipSync(packSnapshot(raw));
    const { result: engine, copied } = await copiedWhile(() =>
      Engine.start(loadPyodide as LoadPyodide, { stdLibURL, snapshot: new Blob([gz]), indexURL: `${join(ROOT, 'node_modules/pyodide')}/` }),
    );
    expect(engine.restored).toBe(true);
    expect(copied).toBeGreaterThan(raw.length * 0.2);
    expect(copied).toBeLessThan(raw.length * 0.65);
  }, 120_000);

  it('given its bytes and a module maker (a Node worker: the CLI’s, the tests’)', async () => {
    const bytes = packSnapshot(raw);
    const { result: engine, copied } = await copiedWhile(() =>
      Engine.start(loadPyodide as LoadPyodide, { stdLibURL, snapshot: bytes, moduleMaker: importedModuleMaker }),
    );
    expect(engine.restored).toBe(true);
    expect(engine.snapshotRejected).toBeNull();
    expect(copied).toBeGreaterThan(raw.length * 0.2);
    expect(copied).toBeLessThan(raw.length * 0.65);
    const output: string[] = [];
    const end = engine.run('import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print("woke")\nasyncio.run(main())\n', 'main.py', {}, (wire) => output.push(wire));
    output.push(end.wire);
    expect(output.join('')).toContain('woke');
    expect(end.clock).toBe(1);
  }, 120_000);

  it('given its bytes and no way to hold the module back: unpacked, and restored by Pyodide whole', async () => {
    const { result: engine, copied } = await copiedWhile(() => Engine.start(loadPyodide as LoadPyodide, { stdLibURL, snapshot: packSnapshot(raw) }));
    expect(engine.restored).toBe(true);
    expect(copied).toBeGreaterThan(raw.length * 1.2); // the kept pages into the unpacked copy, then all of it into the memory
  }, 120_000);
});
