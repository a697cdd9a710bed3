/**
 * A gzipped snapshot given as a Blob, as the browser edition keeps it in IndexedDB: the engine
 * inflates it while Pyodide makes its module (into a buffer sized by gzip's trailer), and every
 * way the Blob can be damaged (not gzip, cut short, a trailer that lies) falls back to a cold
 * start that works, with the reason kept for the host's log (issue 10).
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadPyodide } from 'pyodide';
import { beforeAll, describe, expect, it } from 'vitest';
import { Engine, type LoadPyodide } from '../src/runtime/engine';
import { testSnapshotStore } from '../src/runtime/node-host';
import { ROOT } from './corpus/harness';

const stdLibURL = join(ROOT, 'out/pyodide/python_stdlib.zip');
/** Where pyodide.asm.mjs is: given, the engine inflates while Pyodide makes its module. */
const indexURL = `${join(ROOT, 'node_modules/pyodide')}/`;
let gz: Buffer;

beforeAll(async () => {
  // The snapshot the tests share (made by the supervisor tests, or now), made with the same stdlib.
  let raw = await testSnapshotStore().load();
  if (!raw) {
    const engine = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, makeSnapshot: true });
    raw = engine.snapshot!;
  }
  gz = gzipSync(raw);
}, 120_000);

/** A Blob of `bytes`, as IndexedDB hands one back. */
function blobOf(bytes: Uint8Array): Blob {
  return new Blob([Uint8Array.from(bytes)]);
}

function start(blob: Blob, overlap = true): Promise<Engine> {
  return Engine.start(loadPyodide as LoadPyodide, { stdLibURL, snapshot: blob, ...(overlap ? { indexURL } : {}) });
}

function withTrailer(size: number): Buffer {
  const bytes = Buffer.from(gz);
  bytes.writeUInt32LE(size, bytes.length - 4);
  return bytes;
}

describe('a gzipped snapshot in a Blob', () => {
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

  const damaged: [string, () => Buffer, RegExp][] = [
    ['not gzip at all', () => Buffer.from('this is not a snapshot, only words'), /./],
    ['cut short', () => gz.subarray(0, gz.length >> 1), /./],
    ['a trailer promising more bytes than it holds', () => withTrailer(gz.readUInt32LE(gz.length - 4) + 4096), /shorter than its trailer|length check/], // (zlib checks the trailer too)
    ['a trailer promising fewer bytes than it holds', () => withTrailer(gz.readUInt32LE(gz.length - 4) - 4096), /longer than its trailer|gzip/i],
    ['a trailer giving an impossible size (4 GB)', () => withTrailer(0xffff_fff0), /impossible size/],
  ];

  it.each(damaged)('%s: Python starts cold and works, and the reason is kept', async (_name, make, reason) => {
    const engine = await start(blobOf(make()));
    expect(engine.restored).toBe(false);
    expect(engine.snapshotRejected).toMatch(reason);
    expect(engine.runUntraced('print(1)\n', 'main.py')).toBeGreaterThanOrEqual(0);
  }, 60_000);
});
