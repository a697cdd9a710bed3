/**
 * A packed, gzipped snapshot given as a Blob, as the browser edition keeps it in IndexedDB: the
 * engine inflates it while Pyodide makes its module (into a buffer sized by the packed form's
 * header: src/runtime/snapshot-pages.ts), and every way the Blob can be damaged (not gzip, cut
 * short, a header that lies, the unpacked gzip an older build kept) falls back to a cold start
 * that works, with the reason kept for the host's log (issue 10).
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadPyodide } from 'pyodide';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine, type LoadPyodide } from '../src/runtime/engine';
import { packSnapshot, unpackSnapshot } from '../src/runtime/snapshot-pages';
import { testSnapshotStore } from '../src/runtime/node-host';
import { ROOT } from './corpus/harness';

const stdLibURL = join(ROOT, 'out/pyodide/python_stdlib.zip');
/** Where pyodide.asm.mjs is: given, the engine inflates while Pyodide makes its module. */
const indexURL = `${join(ROOT, 'node_modules/pyodide')}/`;
let raw: Uint8Array;
let gz: Buffer;

beforeAll(async () => {
  // The snapshot the tests share (made by the supervisor tests, or now), made with the same stdlib.
  const kept = await testSnapshotStore().load(); // packed, as the file store loads it
  if (kept) raw = unpackSnapshot(kept, 1 << 30);
  else {
    const engine = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, makeSnapshot: true });
    raw = engine.snapshot!;
  }
  gz = gzipSync(packSnapshot(raw));
}, 120_000);

/** A Blob of `bytes`, as IndexedDB hands one back. */
function blobOf(bytes: Uint8Array): Blob {
  return new Blob([Uint8Array.from(bytes)]);
}

function start(blob: Blob, overlap = true): Promise<Engine> {
  return Engine.start(loadPyodide as LoadPyodide, { stdLibURL, snapshot: blob, ...(overlap ? { indexURL } : {}) });
}

/** The packed form with `change` made to it, gzipped. */
function spoiled(change: (packed: Uint8Array, header: DataView) => void): Buffer {
  const packed = packSnapshot(raw);
  change(packed, new DataView(packed.buffer, packed.byteOffset, 16));
  return gzipSync(packed);
}

/** Bit `page` of the packed form's bitmap (after its 16-byte header). */
const BITMAP = 16;
function firstPage(packed: Uint8Array, kept: boolean): number {
  for (let page = 0; ; page++) if (Boolean(packed[BITMAP + (page >> 3)]! & (1 << (page & 7))) === kept) return page;
}

describe('a packed, gzipped snapshot in a Blob', () => {
  it('is restored, inflated while Pyodide makes its module, and runs Python', async () => {
    const engine = await start(blobOf(gz));
    expect(engine.restored).toBe(true);
    expect(engine.snapshotRejected).toBeNull();
    expect(engine.runUntraced('print(sum(range(10)))\n', 'main.py')).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('is restored too where pyodide.asm.mjs cannot be named (inflated first)', async () => {
    const engine = await start(blobOf(gz), false);
    expect(engine.restored).toBe(true);
  }, 60_000);

  it('is restored from its packed form not gzipped, as the page hands it to its later workers (inflated once)', async () => {
    const engine = await start(blobOf(packSnapshot(raw)));
    expect(engine.restored).toBe(true);
    expect(engine.snapshotRejected).toBeNull();
    expect(engine.runUntraced('print(sum(range(10)))\n', 'main.py')).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('falls back to a cold start from a packed form whose pages were cut short', async () => {
    const packed = packSnapshot(raw);
    const engine = await start(blobOf(packed.subarray(0, packed.length >> 1)));
    expect(engine.restored).toBe(false);
    expect(engine.snapshotRejected).toMatch(/./);
    expect(engine.runUntraced('print(1)\n', 'main.py')).toBeGreaterThanOrEqual(0);
  }, 60_000);

  const damaged: [string, () => Buffer, RegExp][] = [
    ['not gzip at all', () => Buffer.from('this is not a snapshot, only words'), /./],
    ['cut short', () => gz.subarray(0, gz.length >> 1), /./],
    ['the snapshot gzipped as it is, not packed (what an older build kept)', () => gzipSync(raw), /not a Loop Lab snapshot/],
    ['a bitmap promising a page it does not hold', () => spoiled((p) => {
      const page = firstPage(p, false);
      p[BITMAP + (page >> 3)]! |= 1 << (page & 7);
    }), /shorter than its header says/],
    ['a bitmap leaving out a page it holds', () => spoiled((p) => {
      const page = firstPage(p, true);
      p[BITMAP + (page >> 3)]! &= ~(1 << (page & 7));
    }), /longer than its header says/],
    ['a header giving an impossible size (4 GB)', () => spoiled((_p, header) => header.setUint32(8, 0xffff_fff0, true)), /impossible size/],
  ];

  it.each(damaged)('%s: Python starts cold and works, and the reason is kept', async (_name, make, reason) => {
    const engine = await start(blobOf(make()));
    expect(engine.restored).toBe(false);
    expect(engine.snapshotRejected).toMatch(reason);
    expect(engine.runUntraced('print(1)\n', 'main.py')).toBeGreaterThanOrEqual(0);
  }, 60_000);
});
