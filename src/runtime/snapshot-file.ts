/**
 * A SnapshotStore in a folder (Node: the CLI's cache folder, the tests' temporary one). The
 * snapshot is kept packed (its zero pages left out: snapshot-pages.ts) and gzipped (31.5 MB
 * raw, about 6 MB), and loaded packed (14 MB: the engine restores straight from it), named by
 * the runtime it was made with,
 * and written whole or not at all (a temporary file, then a rename), so two processes starting
 * at once never read half a file. A snapshot is only ever restored by the build that made it, so
 * each save also removes other builds' snapshots that have not been used for `STALE_DAYS` (an
 * upgrade leaves its predecessor's 6 MB behind once, not forever; two versions used side by
 * side keep theirs). Loading marks a snapshot used.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { markUsed, removeUnused, STALE_DAYS, writeWhole } from './cache-folder';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DEFAULT_HEAP_LIMIT } from './heap-limit';
import { RUNTIME_ID, RUNTIME_TAG } from './runtime-id';
import { PackedSnapshot, packSnapshot, SNAPSHOT_LAYOUT } from './snapshot-pages';
import { sharedBytes } from './shared-bytes';
import { SHIPPED_SNAPSHOT_DIR, shippedSnapshotName } from './shipped-snapshot';
import type { SnapshotStore } from './supervisor';
import { tracerSourcesHash } from './tracer-hash';

/** `$XDG_CACHE_HOME/loop-lab` (when that is an absolute path), else `~/.cache/loop-lab`. */
export function userCacheDir(): string {
  // A relative XDG_CACHE_HOME is ignored, as the XDG Base Directory spec asks.
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'loop-lab');
}

export { STALE_DAYS };
/** Any build's snapshot file, in any layout (`.bin.gz`: before snapshot-pages.ts), its marker, or one left half-written. */
const SNAPSHOT_FILE = /^python-snapshot-.+\.(gz|shipped-refused|tmp)$/;

/** Runs `act`, which may fail for reasons of the folder's (read-only, a folder in a file's place): then it did nothing. */
function bestEffort(act: () => void): void {
  try {
    act();
  } catch {
    // The snapshot is still used; the folder is left as it is.
  }
}

/**
 * Where a loaded snapshot's bytes are made: in an ArrayBuffer of their own (`own`), or in
 * shared memory (`shared`: shared-bytes.ts), for a host that hands them to Node worker threads.
 */
export type SnapshotMemory = 'own' | 'shared';

/**
 * The snapshot the build shipped (scripts/ship-snapshot.ts), as a built shell finds it: in
 * out/snapshot, beside out/node (the CLI) and out/main (the desktop app, which packages it:
 * electron-builder.ts); null when run unbuilt or when it is not there (an install that has
 * only built the CLI: `npm run build:node`).
 */
export function shippedSnapshotFile(): string | null {
  if (RUNTIME_ID.tracer === 'unbuilt') return null;
  const name = shippedSnapshotName(RUNTIME_TAG, SNAPSHOT_LAYOUT);
  // This module is built into out/node/assets/ (a chunk of the CLI's), or out/main/ (the desktop app's).
  const candidates = [`../../${SHIPPED_SNAPSHOT_DIR}/${name}`, `../${SHIPPED_SNAPSHOT_DIR}/${name}`].map((p) => fileURLToPath(new URL(p, import.meta.url)));
  return candidates.find((file) => existsSync(file)) ?? null;
}

/** The user's cache folder's store (userCacheDir), with the shipped snapshot to fall back on: the CLI's. */
export function userCacheSnapshotStore(memory: SnapshotMemory): FileSnapshotStore {
  return new FileSnapshotStore(userCacheDir(), RUNTIME_TAG, memory, shippedSnapshotFile());
}

export class FileSnapshotStore implements SnapshotStore {
  readonly path: string;

  /**
   * @param dir the folder it keeps its snapshot in
   * @param tag the runtime's tag (runtime-id.ts), in the file's name
   * @param memory where a loaded snapshot's bytes are made
   * @param shipped the app's own snapshot file (scripts/ship-snapshot.ts, in the same form), read
   *   only, used while `dir` holds none that reads: a first run restores it instead of booting
   *   Python cold. One that cannot be restored makes the worker start cold and keep its own in
   *   `dir`, which is used from then on. Null: none (the tests', `--no-cache`).
   */
  constructor(
    readonly dir: string,
    tag = RUNTIME_TAG,
    private readonly memory: SnapshotMemory = 'own',
    readonly shipped: string | null = null,
  ) {
    this.path = join(dir, `python-snapshot-${tag}.${SNAPSHOT_LAYOUT}.gz`);
  }

  /** The marker that says the shipped snapshot was refused here (an interpreter that restored it broke). */
  get refusedMarker(): string {
    return this.path.replace(/\.gz$/, '.shipped-refused');
  }

  /**
   * The snapshot in its packed form (snapshot-pages.ts), inflated and checked: the engine
   * restores it straight from its pages. The kept one, else the shipped one unless it was
   * refused here; null if neither is there and whole. A kept one that is damaged is removed
   * (the shipped one is used after). Never rejects: a folder it cannot read or write is as if
   * empty.
   */
  async load(): Promise<Uint8Array | null> {
    if (existsSync(this.path)) {
      const kept = this.read(this.path);
      if (kept !== null) {
        bestEffort(() => markUsed(this.path));
        return kept;
      }
      bestEffort(() => rmSync(this.path, { force: true }));
    }
    if (this.shipped === null || existsSync(this.refusedMarker)) return null;
    return this.read(this.shipped);
  }

  /** The packed snapshot in the gzip file at `path`, checked; null if it is unreadable or damaged. */
  private read(path: string): Uint8Array | null {
    try {
      // In one piece: ~0.1 s here, while the worker boots (the supervisor spawns it first).
      // Node's asynchronous gunzip works in 64 kB turns of its thread pool and took 3× longer.
      const packed = gunzipWhole(readFileSync(path), DEFAULT_HEAP_LIMIT);
      PackedSnapshot.of(packed, DEFAULT_HEAP_LIMIT); // throws if it is damaged
      if (this.memory === 'own') return packed;
      const bytes = sharedBytes(packed.length);
      bytes.set(packed);
      return bytes;
    } catch {
      return null; // missing, unreadable or damaged: start cold and make a new one
    }
  }

  async save(bytes: Uint8Array): Promise<void> {
    writeWhole(this.path, gzipSync(packSnapshot(bytes), { level: 6 }));
    removeUnused(this.dir, SNAPSHOT_FILE, this.path);
  }

  /**
   * Forgets the snapshot in use: the kept one if there is one (`load` hands that out first),
   * else the shipped one, which is then refused here for good (a marker file): the next start
   * boots cold and keeps one of its own, which is used after. (Told by the files, not by what
   * this object last loaded: the CLI's first worker is handed its snapshot by another store.)
   */
  async drop(): Promise<void> {
    if (existsSync(this.path)) rmSync(this.path, { force: true });
    else if (this.shipped !== null) writeWhole(this.refusedMarker, new Uint8Array(0));
  }
}

/**
 * `gzipped` inflated into one buffer made at the size its gzip trailer gives (ISIZE: the last
 * four bytes, the inflated size modulo 2^32), rather than in Node's 16 kB pieces joined at the
 * end: 53–55 ms against 71–91 ms for the packed snapshot here (14 MB). A trailer that lies is
 * refused by zlib's own length check (one beyond reason sizes nothing); more than `maxBytes`
 * inflated is refused (damage).
 */
/** The largest piece inflated at once: twice a packed snapshot of today's size (14 MB). */
const WHOLE_PIECE_BYTES = 32 * 2 ** 20;

export function gunzipWhole(gzipped: Uint8Array, maxBytes: number): Uint8Array {
  const trailer = gzipped.length >= 18 ? new DataView(gzipped.buffer, gzipped.byteOffset + gzipped.length - 4, 4).getUint32(0, true) : 0;
  // Believed only within what deflate can give from this many bytes (at most ~1,032 times as
  // much): a damaged trailer of 1 would inflate in 64-byte pieces (0.24 s for the snapshot
  // here before zlib's own check refused it), one near the cap would make a buffer that size.
  const plausible = trailer >= gzipped.length / 2 && trailer <= gzipped.length * 1032 && trailer < maxBytes;
  // One byte more than the data: zlib's last pass must find room left to know it is done
  // (and zlib takes no chunk under 64 bytes). No piece over WHOLE_PIECE_BYTES: a lying trailer
  // near the cap made a buffer of that size before zlib's check refused it.
  const chunkSize = plausible ? Math.max(64, Math.min(trailer + 1, WHOLE_PIECE_BYTES)) : undefined;
  return gunzipSync(gzipped, { maxOutputLength: maxBytes, ...(chunkSize === undefined ? {} : { chunkSize }) });
}

/**
 * The store the tests and the bench share: a folder of the system's temporary directory. Code
 * run from source (tsx: the soak, the bench, scratch scripts) has no runtime id of its own, so
 * its snapshot is named by a SHA-256 of the tracer's sources it sits beside: under one shared
 * name, a snapshot made with another tracer (an older build's) was restored, and its sandbox
 * and limits were the ones tested (a reviewer found this).
 */
export function testSnapshotStore(): FileSnapshotStore {
  const tag = RUNTIME_ID.tracer === 'unbuilt' ? `unbuilt-${tracerSourceHash().slice(0, 16)}` : RUNTIME_TAG;
  return workerThreadSnapshotStore(join(tmpdir(), 'loop-lab-test-cache'), tag);
}

/**
 * The store for a host whose workers are Node worker threads (the CLI's, the tests', the trace
 * recorder's): it loads the snapshot into shared memory, which each worker then holds without a
 * copy (shared-bytes.ts).
 */
export function workerThreadSnapshotStore(dir: string, tag = RUNTIME_TAG): FileSnapshotStore {
  return new FileSnapshotStore(dir, tag, 'shared');
}

/** SHA-256 (hex) of the tracer's sources beside this file (it runs from source); a name of this
 * process's own if they cannot be read, never another's snapshot. */
function tracerSourceHash(): string {
  try {
    return tracerSourcesHash(join(dirname(fileURLToPath(import.meta.url)), 'python', '_looplab'));
  } catch {
    return `${process.pid}-${Date.now()}`;
  }
}
