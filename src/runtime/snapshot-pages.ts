/**
 * The packed form of an interpreter snapshot, as every store keeps it (before gzip): the pages
 * that hold only zeros are left out. A restored interpreter's memory is mostly zeros (Pyodide
 * 314.0.7 here: 4,224 of 7,681 pages of 4 KiB, 55%), and inflating them cost as much as
 * inflating the rest: in Node here, gunzip of the whole 31.5 MB took 77–152 ms, of the packed
 * 14.2 MB 48–69 ms; the gzip is no bigger (5.79 MB against 5.81 MB).
 *
 * Layout, little-endian:
 * - 16 bytes of header: `MAGIC`, `VERSION`, the snapshot's size in bytes, the page size in bytes;
 * - a bitmap of ceil(pages / 8) bytes, bit `i % 8` of byte `i >> 3` set when page `i` is kept;
 * - the kept pages, in order (the last page may be short: the snapshot's size need not be a
 *   whole number of pages).
 *
 * Unpacking works on a stream of chunks (a DecompressionStream's) into a buffer made at full
 * size as soon as the header is read, so that Pyodide can size its memory by it while the rest
 * comes in. Anything that does not fit this layout is damage, and says so (the engine then
 * starts cold, as for any snapshot it cannot use).
 */

/**
 * The name of this layout, part of every store's name for a snapshot (a file's name, an
 * IndexedDB key): builds that keep snapshots in other layouts, side by side on one computer,
 * each keep their own instead of taking each other's for damage and replacing it at every start.
 */
export const SNAPSHOT_LAYOUT = 'pages1';

/** "LLSP" read as a little-endian u32: Loop Lab Snapshot, Pages. */
const MAGIC = 0x50534c4c;
const VERSION = 1;
const HEADER_BYTES = 16;
/** Bytes per page: WebAssembly's memory is in 64 KiB pages, but 4 KiB finds twice as many zeros here. */
export const SNAPSHOT_PAGE_BYTES = 4096;

/** True when `bytes[from, to)` holds only zeros (four bytes at a time where it can). */
function allZero(bytes: Uint8Array, from: number, to: number): boolean {
  let at = from;
  if ((bytes.byteOffset + at) % 4 === 0) {
    const words = Math.floor((to - at) / 4);
    const asWords = new Uint32Array(bytes.buffer, bytes.byteOffset + at, words);
    for (let i = 0; i < words; i++) if (asWords[i] !== 0) return false;
    at += words * 4;
  }
  for (; at < to; at++) if (bytes[at] !== 0) return false;
  return true;
}

/** The packed form of `raw` (see the module's comment). */
export function packSnapshot(raw: Uint8Array): Uint8Array {
  const pageBytes = SNAPSHOT_PAGE_BYTES;
  const pages = Math.ceil(raw.length / pageBytes);
  const bitmapBytes = Math.ceil(pages / 8);
  const kept: number[] = [];
  let keptBytes = 0;
  for (let page = 0; page < pages; page++) {
    const from = page * pageBytes;
    const to = Math.min(raw.length, from + pageBytes);
    if (!allZero(raw, from, to)) {
      kept.push(page);
      keptBytes += to - from;
    }
  }
  const packed = new Uint8Array(HEADER_BYTES + bitmapBytes + keptBytes);
  const header = new DataView(packed.buffer);
  header.setUint32(0, MAGIC, true);
  header.setUint32(4, VERSION, true);
  header.setUint32(8, raw.length, true);
  header.setUint32(12, pageBytes, true);
  let at = HEADER_BYTES + bitmapBytes;
  for (const page of kept) {
    packed[HEADER_BYTES + (page >> 3)]! |= 1 << (page & 7);
    const from = page * pageBytes;
    const to = Math.min(raw.length, from + pageBytes);
    packed.set(raw.subarray(from, to), at);
    at += to - from;
  }
  return packed;
}

/**
 * Unpacks a packed snapshot from its chunks, as they come. `bytes` is the snapshot's buffer
 * once the header has come (null before), filled as chunks are pushed; `finish()` checks that
 * every kept page came.
 */
export class SnapshotUnpacker {
  /** The snapshot, at full size (zeros where pages were left out), once the header is read. */
  bytes: Uint8Array | null = null;
  /** Bytes of header and bitmap gathered so far, until they are whole. */
  #head = new Uint8Array(0);
  #pageBytes = 0;
  #bitmap: Uint8Array | null = null;
  /** The kept pages in order, and how far into them the data has come. */
  #pages: number[] = [];
  #page = 0;
  #intoPage = 0;

  /**
   * `maxBytes`: the largest snapshot that can be real (the engine's memory cap); a larger size
   * is damage. `allocate` makes the snapshot's buffer, zero-filled, once its size is known (by
   * default an ArrayBuffer of its own; snapshot-file.ts may ask for shared memory).
   */
  constructor(
    private readonly maxBytes: number,
    private readonly allocate: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes),
  ) {}

  push(chunk: Uint8Array): void {
    let data = chunk;
    if (this.#bitmap === null) {
      data = this.#readHead(data);
      if (this.#bitmap === null) return;
    }
    const bytes = this.bytes!;
    while (data.length > 0) {
      const page = this.#pages[this.#page];
      if (page === undefined) throw new Error('the snapshot is damaged (longer than its header says)');
      const from = page * this.#pageBytes + this.#intoPage;
      const room = Math.min(bytes.length, page * this.#pageBytes + this.#pageBytes) - from;
      const n = Math.min(room, data.length);
      bytes.set(data.subarray(0, n), from);
      data = data.subarray(n);
      this.#intoPage += n;
      if (n === room) {
        this.#page++;
        this.#intoPage = 0;
      }
    }
  }

  /**
   * True when page `page` (bytes `[page * SNAPSHOT_PAGE_BYTES, …)` of the snapshot) was kept:
   * it holds something. A page left out is all zeros. False for every page before the header
   * has come.
   */
  keptPage(page: number): boolean {
    const bitmap = this.#bitmap;
    return bitmap !== null && page >= 0 && (bitmap[page >> 3]! & (1 << (page & 7))) !== 0;
  }

  /** The snapshot, once every kept page has come; throws if some did not. */
  finish(): Uint8Array {
    if (this.bytes === null || this.#page !== this.#pages.length) throw new Error('the snapshot is damaged (shorter than its header says)');
    return this.bytes;
  }

  /** Gathers the header and bitmap; returns what of `data` comes after them. */
  #readHead(data: Uint8Array): Uint8Array {
    // The first chunk mostly holds the whole head (a file's always: 14 MB at once), so it is
    // read in place: gathering it into a new buffer copied all of it (18 ms here).
    let gathered = data;
    if (this.#head.length > 0) {
      gathered = new Uint8Array(this.#head.length + data.length);
      gathered.set(this.#head);
      gathered.set(data, this.#head.length);
    }
    const incomplete = (): Uint8Array => {
      this.#head = gathered.slice(); // under a page and a bitmap: a few kB
      return new Uint8Array(0);
    };
    if (gathered.length < HEADER_BYTES) return incomplete();
    const header = new DataView(gathered.buffer, gathered.byteOffset, HEADER_BYTES);
    if (header.getUint32(0, true) !== MAGIC || header.getUint32(4, true) !== VERSION) {
      throw new Error('the snapshot is damaged (not a Loop Lab snapshot of this version)');
    }
    const size = header.getUint32(8, true);
    const pageBytes = header.getUint32(12, true);
    if (size === 0 || size > this.maxBytes) throw new Error('the snapshot is damaged (its header gives an impossible size)');
    // One page size only: a tiny damaged file with 8-byte pages and a bitmap of all ones cost a
    // reviewer's test 6 s and 1.4 GB before its buffer was even made.
    if (pageBytes !== SNAPSHOT_PAGE_BYTES) throw new Error('the snapshot is damaged (its header gives an impossible page size)');
    const pages = Math.ceil(size / pageBytes);
    const bitmapBytes = Math.ceil(pages / 8);
    if (gathered.length < HEADER_BYTES + bitmapBytes) return incomplete();
    // A copy of its own: a view would keep the whole first chunk alive.
    const bitmap = gathered.slice(HEADER_BYTES, HEADER_BYTES + bitmapBytes);
    for (let page = 0; page < bitmapBytes * 8; page++) {
      if (bitmap[page >> 3]! & (1 << (page & 7))) {
        if (page >= pages) throw new Error('the snapshot is damaged (its bitmap names a page past its end)');
        this.#pages.push(page);
      }
    }
    this.#pageBytes = pageBytes;
    this.#bitmap = bitmap;
    this.bytes = this.allocate(size);
    this.#head = new Uint8Array(0);
    return gathered.subarray(HEADER_BYTES + bitmapBytes);
  }
}

/** The snapshot a packed form holds, in one piece (the file store's, after gunzip), in a buffer `allocate` makes. */
export function unpackSnapshot(packed: Uint8Array, maxBytes: number, allocate?: (bytes: number) => Uint8Array): Uint8Array {
  const unpacker = new SnapshotUnpacker(maxBytes, allocate);
  unpacker.push(packed);
  return unpacker.finish();
}
