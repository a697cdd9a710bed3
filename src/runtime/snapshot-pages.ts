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
 * A packed snapshot is read in place, from the chunks it came in (a DecompressionStream's, or a
 * file's one piece): its size is known as soon as its header has come, so that Pyodide can size
 * its memory by it while the rest comes in, and a restore copies the kept pages straight into
 * the interpreter's memory (sparse-restore.ts). Anything that does not fit this layout is
 * damage, and says so (the engine then starts cold, as for any snapshot it cannot use).
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
 * Reads a packed snapshot from its chunks, as they come (a DecompressionStream's, or one chunk:
 * a file's after gunzip). Nothing is copied: the chunks are kept as they are, and `finish()`
 * gives the snapshot they hold, read in place (PackedSnapshot). `size` is known as soon as
 * the header has come, so that Pyodide can size its memory by it while the rest comes in.
 */
export class PackedSnapshotReader {
  /** The snapshot's size in bytes, once the header is read (null before). */
  size: number | null = null;
  /** Bytes of header and bitmap gathered so far, until they are whole. */
  #head = new Uint8Array(0);
  #bitmap: Uint8Array | null = null;
  #keptPages = 0;
  /** The kept pages' bytes, in the chunks they came in. */
  #chunks: Uint8Array[] = [];
  #dataBytes = 0;

  /** `maxBytes`: the largest snapshot that can be real (the engine's memory cap); a larger size is damage. */
  constructor(private readonly maxBytes: number) {}

  push(chunk: Uint8Array): void {
    let data = chunk;
    if (this.#bitmap === null) {
      data = this.#readHead(data);
      if (this.#bitmap === null) return;
    }
    if (data.length === 0) return;
    this.#dataBytes += data.length;
    if (this.#dataBytes > this.#expectedDataBytes()) throw new Error('the snapshot is damaged (longer than its header says)');
    this.#chunks.push(data);
  }

  /**
   * True when page `page` (bytes `[page * SNAPSHOT_PAGE_BYTES, …)` of the snapshot) was kept:
   * it holds something. False for every page before the header has come.
   */
  keptPage(page: number): boolean {
    const bitmap = this.#bitmap;
    return bitmap !== null && page >= 0 && (bitmap[page >> 3]! & (1 << (page & 7))) !== 0;
  }

  /** The snapshot, once every kept page has come; throws if some did not. */
  finish(): PackedSnapshot {
    if (this.#bitmap === null || this.size === null || this.#dataBytes !== this.#expectedDataBytes()) {
      throw new Error('the snapshot is damaged (shorter than its header says)');
    }
    return new PackedSnapshot(this.size, this.#bitmap, this.#chunks);
  }

  /** Bytes of page data the header promises: every kept page whole, but a short last page. */
  #expectedDataBytes(): number {
    const size = this.size!;
    const pages = Math.ceil(size / SNAPSHOT_PAGE_BYTES);
    const lastShort = this.keptPage(pages - 1) ? pages * SNAPSHOT_PAGE_BYTES - size : 0;
    return this.#keptPages * SNAPSHOT_PAGE_BYTES - lastShort;
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
    // A copy of its own: a view would keep the whole first chunk's head alive for nothing.
    const bitmap = gathered.slice(HEADER_BYTES, HEADER_BYTES + bitmapBytes);
    let kept = 0;
    for (let page = 0; page < bitmapBytes * 8; page++) {
      if (bitmap[page >> 3]! & (1 << (page & 7))) {
        if (page >= pages) throw new Error('the snapshot is damaged (its bitmap names a page past its end)');
        kept++;
      }
    }
    this.size = size;
    this.#bitmap = bitmap;
    this.#keptPages = kept;
    this.#head = new Uint8Array(0);
    return gathered.subarray(HEADER_BYTES + bitmapBytes);
  }
}

/**
 * A whole packed snapshot, read in place: any range of the snapshot's bytes is copied straight
 * from the kept pages into where it is wanted (an interpreter's memory: sparse-restore.ts), with
 * no buffer of the snapshot's full size between (30 MB, half of it zeros, every byte of it a
 * fresh page to touch). Made by PackedSnapshotReader, which checked its shape.
 */
export class PackedSnapshot {
  /** Bytes per page (SNAPSHOT_PAGE_BYTES). */
  readonly pageBytes = SNAPSHOT_PAGE_BYTES;
  /** For each page, its place among the kept pages (its bytes start at that many pages into the data), or -1 if left out. */
  readonly #rank: Int32Array;
  readonly #chunks: Uint8Array[];
  /** Where each chunk starts in the data (the kept pages' bytes, end to end). */
  readonly #chunkStarts: number[];

  /** `size`: the snapshot's size in bytes; `chunks`: the kept pages' bytes, end to end, in pieces. */
  constructor(
    readonly size: number,
    bitmap: Uint8Array,
    chunks: Uint8Array[],
  ) {
    const pages = Math.ceil(size / SNAPSHOT_PAGE_BYTES);
    this.#rank = new Int32Array(pages);
    let kept = 0;
    for (let page = 0; page < pages; page++) this.#rank[page] = bitmap[page >> 3]! & (1 << (page & 7)) ? kept++ : -1;
    this.#chunks = chunks;
    this.#chunkStarts = [];
    let at = 0;
    for (const chunk of chunks) {
      this.#chunkStarts.push(at);
      at += chunk.length;
    }
  }

  /** A packed snapshot given whole (the file store's, after gunzip); throws if it is damaged. */
  static of(packed: Uint8Array, maxBytes: number): PackedSnapshot {
    const reader = new PackedSnapshotReader(maxBytes);
    reader.push(packed);
    return reader.finish();
  }

  /** True when `bytes` begin as a packed snapshot does (its magic number), not as Pyodide's own snapshot. */
  static isPacked(bytes: Uint8Array): boolean {
    return bytes.length >= HEADER_BYTES && new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true) === MAGIC;
  }

  /** True when page `page` of the snapshot holds something (a page left out is all zeros). */
  keptPage(page: number): boolean {
    return page >= 0 && page < this.#rank.length && this.#rank[page]! >= 0;
  }

  /**
   * Copies bytes `[from, to)` of the snapshot into `target` at `at` (zeros for pages left out).
   * Each run of kept pages is one range of the data, so one copy (or one per chunk it spans).
   */
  copy(target: Uint8Array, at: number, from: number, to: number): void {
    if (from < 0 || to > this.size || from > to) throw new RangeError(`no bytes [${from}, ${to}) in a snapshot of ${this.size}`);
    const pageBytes = SNAPSHOT_PAGE_BYTES;
    const lastPage = Math.ceil(to / pageBytes);
    let position = from;
    while (position < to) {
      const page = Math.floor(position / pageBytes);
      const rank = this.#rank[page]!;
      // The run of pages alike (all kept, or all left out) from this one.
      let end = page + 1;
      if (rank >= 0) while (end < lastPage && this.#rank[end] === rank + (end - page)) end++;
      else while (end < lastPage && this.#rank[end]! < 0) end++;
      const runTo = Math.min(to, end * pageBytes);
      if (rank < 0) target.fill(0, at + position - from, at + runTo - from);
      else this.#copyData(target, at + position - from, rank * pageBytes + (position - page * pageBytes), runTo - position);
      position = runTo;
    }
  }

  /** The whole snapshot, unpacked (zeros where pages were left out), in a buffer `allocate` makes zero-filled. */
  unpack(allocate: (bytes: number) => Uint8Array = (bytes) => new Uint8Array(bytes)): Uint8Array {
    const bytes = allocate(this.size);
    for (let page = 0; page < this.#rank.length; page++) {
      if (this.#rank[page]! < 0) continue;
      const end = Math.min(this.size, (page + 1) * SNAPSHOT_PAGE_BYTES);
      this.copy(bytes, page * SNAPSHOT_PAGE_BYTES, page * SNAPSHOT_PAGE_BYTES, end); // pages left out: already zero
    }
    return bytes;
  }

  /** Copies `length` bytes of the data (the kept pages, end to end) from `dataAt` into `target` at `at`. */
  #copyData(target: Uint8Array, at: number, dataAt: number, length: number): void {
    const starts = this.#chunkStarts;
    // The last chunk that starts at or before dataAt (binary search: a stream's chunks are many).
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= dataAt) low = middle;
      else high = middle - 1;
    }
    let written = 0;
    for (let index = low; written < length; index++) {
      const chunk = this.#chunks[index]!;
      const offset = dataAt + written - starts[index]!;
      const n = Math.min(chunk.length - offset, length - written);
      target.set(chunk.subarray(offset, offset + n), at + written);
      written += n;
    }
  }
}

/** The snapshot a packed form holds, in one piece, in a buffer `allocate` makes; throws if it is damaged. */
export function unpackSnapshot(packed: Uint8Array, maxBytes: number, allocate?: (bytes: number) => Uint8Array): Uint8Array {
  return PackedSnapshot.of(packed, maxBytes).unpack(allocate);
}
