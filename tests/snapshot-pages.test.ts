/** The packed form of a snapshot (src/runtime/snapshot-pages.ts): zero pages left out, and put back. */
import { describe, expect, it } from 'vitest';
import { PackedSnapshot, PackedSnapshotReader, packSnapshot, unpackSnapshot } from '../src/runtime/snapshot-pages';
import { seeded as random } from './seeded-random';

/** Byte arrays compared at C speed (vitest's deep equality takes seconds over a megabyte). */
function expectSameBytes(actual: Uint8Array, expected: Uint8Array): void {
  expect(actual.length).toBe(expected.length);
  expect(Buffer.from(actual.buffer, actual.byteOffset, actual.length).equals(Buffer.from(expected.buffer, expected.byteOffset, expected.length))).toBe(true);
}

/** `size` bytes in runs of zeros and of noise, as an interpreter's memory is. */
function memoryLike(size: number, next: () => number): Uint8Array {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; ) {
    const run = Math.floor(next() * 20_000) + 1;
    if (next() < 0.5) for (let i = at; i < Math.min(size, at + run); i++) bytes[i] = Math.floor(next() * 256);
    at += run;
  }
  return bytes;
}

/** Reads `packed` from chunks of random sizes, as a DecompressionStream hands them on. */
function readInChunks(packed: Uint8Array, next: () => number): PackedSnapshot {
  const reader = new PackedSnapshotReader(1 << 30);
  for (let at = 0; at < packed.length; ) {
    const n = Math.max(1, Math.floor(next() * next() * 70_000));
    reader.push(packed.subarray(at, at + n));
    at += n;
  }
  return reader.finish();
}

describe('a packed snapshot', () => {
  it('gives back every byte, whatever the chunks it comes in, for sizes on and off a page boundary', () => {
    const next = random(7);
    for (const size of [1, 4095, 4096, 4097, 65_536 * 3 + 17, 1_000_003]) {
      const raw = memoryLike(size, next);
      const packed = packSnapshot(raw);
      expectSameBytes(readInChunks(packed, next).unpack(), raw);
      expectSameBytes(unpackSnapshot(packed, 1 << 30), raw);
    }
  });

  it('copies any range of the snapshot straight from its pages, zeros for pages left out, across the chunks it came in', () => {
    const next = random(19);
    const raw = memoryLike(300_007, next);
    const snapshot = readInChunks(packSnapshot(raw), next);
    for (let i = 0; i < 300; i++) {
      const from = Math.floor(next() * raw.length);
      const to = Math.min(raw.length, from + Math.floor(next() * next() * 120_000));
      const target = new Uint8Array(to - from + 20).fill(0xaa); // not zero: zeros must be written
      snapshot.copy(target, 10, from, to);
      expectSameBytes(target.subarray(10, 10 + to - from), raw.subarray(from, to));
      expect(target[9]).toBe(0xaa);
      expect(target[10 + to - from]).toBe(0xaa);
    }
    expect(() => snapshot.copy(new Uint8Array(10), 0, raw.length - 5, raw.length + 5)).toThrow(RangeError);
  });

  it('is told from Pyodide’s own snapshot by its magic number', () => {
    const raw = memoryLike(20_000, random(5));
    expect(PackedSnapshot.isPacked(packSnapshot(raw))).toBe(true);
    expect(PackedSnapshot.isPacked(raw)).toBe(false);
    expect(PackedSnapshot.isPacked(packSnapshot(raw).subarray(0, 8))).toBe(false);
  });

  it('leaves zero pages out (all of them, for memory that is only zeros)', () => {
    const zeros = new Uint8Array(4096 * 100);
    expect(packSnapshot(zeros).length).toBe(16 + Math.ceil(100 / 8));
    expectSameBytes(unpackSnapshot(packSnapshot(zeros), 1 << 30), zeros);
    const one = zeros.slice();
    one[4096 * 37 + 5] = 9;
    expect(packSnapshot(one).length).toBe(16 + 13 + 4096);
    expectSameBytes(unpackSnapshot(packSnapshot(one), 1 << 30), one);
  });

  it('knows its size as soon as its header has come', () => {
    const raw = memoryLike(50_000, random(3));
    const packed = packSnapshot(raw);
    const reader = new PackedSnapshotReader(1 << 30);
    reader.push(packed.subarray(0, 10));
    expect(reader.size).toBeNull();
    reader.push(packed.subarray(10, 16 + 2));
    expect(reader.size).toBe(50_000);
    expect(() => reader.finish()).toThrow(/shorter than its header says/);
  });

  const damaged: [string, (packed: Uint8Array) => Uint8Array, RegExp][] = [
    ['another format', (p) => new Uint8Array(p.length).fill(1), /not a Loop Lab snapshot/],
    ['cut short', (p) => p.subarray(0, p.length - 1), /shorter than its header says/],
    ['longer than it says', (p) => Uint8Array.from([...p, 0]), /longer than its header says/],
    ['a size over the cap', (p) => withWord(p, 8, 2 ** 31), /impossible size/],
    ['a size of nothing', (p) => withWord(p, 8, 0), /impossible size/],
    ['an impossible page size', (p) => withWord(p, 12, 3), /impossible page size/],
  ];

  it.each(damaged)('%s: refused, saying why', (_name, spoil, reason) => {
    const packed = packSnapshot(memoryLike(40_000, random(11)));
    expect(() => unpackSnapshot(spoil(packed), 1 << 30)).toThrow(reason);
  });

  it('a bitmap naming a page past the end is refused', () => {
    const packed = packSnapshot(new Uint8Array(4096 * 3).fill(1)); // 3 pages: bits 3–7 of the bitmap are spare
    packed[16]! |= 1 << 5;
    expect(() => unpackSnapshot(packed, 1 << 30)).toThrow(/past its end/);
  });
});

function withWord(packed: Uint8Array, offset: number, value: number): Uint8Array {
  const copy = packed.slice();
  new DataView(copy.buffer).setUint32(offset, value, true);
  return copy;
}
