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
import { readFileSync, rmSync } from 'node:fs';
import { markUsed, removeUnused, STALE_DAYS, writeWhole } from './cache-folder';
import { homedir, tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DEFAULT_HEAP_LIMIT } from './heap-limit';
import { RUNTIME_ID, RUNTIME_TAG } from './runtime-id';
import { PackedSnapshot, packSnapshot, SNAPSHOT_LAYOUT } from './snapshot-pages';
import { sharedBytes } from './shared-bytes';
import type { SnapshotStore } from './supervisor';
import { tracerSourcesHash } from './tracer-hash';

/** `$XDG_CACHE_HOME/loop-lab` (when that is an absolute path), else `~/.cache/loop-lab`. */
export function userCacheDir(): string {
  // A relative XDG_CACHE_HOME is ignored, as the XDG Base Directory spec asks.
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'loop-lab');
}

export { STALE_DAYS };
/** Any build's snapshot file, in any layout (`.bin.gz`: before snapshot-pages.ts), or one left half-written. */
const SNAPSHOT_FILE = /^python-snapshot-.+\.(gz|tmp)$/;

/**
 * Where a loaded snapshot's bytes are made: in an ArrayBuffer of their own (`own`), or in
 * shared memory (`shared`: shared-bytes.ts), for a host that hands them to Node worker threads.
 */
export type SnapshotMemory = 'own' | 'shared';

export class FileSnapshotStore implements SnapshotStore {
  readonly path: string;

  constructor(
    readonly dir: string,
    tag = RUNTIME_TAG,
    private readonly memory: SnapshotMemory = 'own',
  ) {
    this.path = join(dir, `python-snapshot-${tag}.${SNAPSHOT_LAYOUT}.gz`);
  }

  /**
   * The snapshot in its packed form (snapshot-pages.ts), inflated and checked: the engine
   * restores it straight from its pages. Null if it is missing, unreadable or damaged.
   */
  async load(): Promise<Uint8Array | null> {
    try {
      // In one piece: ~0.1 s here, while the worker boots (the supervisor spawns it first).
      // Node's asynchronous gunzip works in 64 kB turns of its thread pool and took 3× longer.
      const packed = gunzipWhole(readFileSync(this.path), DEFAULT_HEAP_LIMIT);
      PackedSnapshot.of(packed, DEFAULT_HEAP_LIMIT); // throws if it is damaged
      let bytes: Uint8Array = packed;
      if (this.memory === 'shared') {
        bytes = sharedBytes(packed.length);
        bytes.set(packed);
      }
      markUsed(this.path);
      return bytes;
    } catch {
      return null; // missing, unreadable or damaged: start cold and make a new one
    }
  }

  async save(bytes: Uint8Array): Promise<void> {
    writeWhole(this.path, gzipSync(packSnapshot(bytes), { level: 6 }));
    removeUnused(this.dir, SNAPSHOT_FILE, this.path);
  }

  async drop(): Promise<void> {
    rmSync(this.path, { force: true });
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
