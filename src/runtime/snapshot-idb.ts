/**
 * A SnapshotStore in the page's IndexedDB (browser edition): the interpreter's memory snapshot,
 * gzipped with the browser's own CompressionStream in a worker of its own (30 MB raw, about
 * 5 MB stored; on the page's main thread the compression held up a frame for seconds), under the
 * runtime it was made with, as a Blob. The page's first interpreter is handed that Blob and
 * inflates it itself, beside the rest of its start; once one has restored it, it is inflated
 * once for the page, in the same codec worker, into a Blob of the packed form (14 MB) that every
 * later interpreter (the spare after each run) is handed: a handle, whose bytes a worker reads
 * at once (a spare's start, measured here: 0.39–0.44 s against 0.6 s, when each inflated its
 * own). Only the page touches IndexedDB: the workers that run programs have no storage at all.
 */
import { openDB } from 'idb';
import { RUNTIME_ID, RUNTIME_TAG } from './runtime-id';
import { SNAPSHOT_LAYOUT } from './snapshot-pages';
import { SHIPPED_SNAPSHOT_DIR, shippedSnapshotName } from './shipped-snapshot';
import type { SnapshotStore } from './supervisor';
import type { CodecReply, CodecRequest } from './snapshot-codec-worker';

/** Where the snapshot is kept: the database, its version, and its one object store. */
export const SNAPSHOT_DB = { name: 'loop-lab-runtime', version: 1, store: 'snapshots' } as const;

let codec: Worker | null = null;
let nextRequest = 0;
const waiting = new Map<number, { resolve: (blob: Blob) => void; reject: (error: Error) => void }>();

/**
 * Bytes of the snapshot sent to the codec worker in one message. The snapshot goes in pieces,
 * each copied in a task of its own, and not as one message: structured-cloning all 30 MB at
 * once held the page's thread for 40–60 ms in Chromium here, and it is sent just after the
 * first cold start, when a learner's first run is often already drawing its trace. A piece of
 * 4 MB took ~2 ms on one machine and 36–49 ms on the 2-core machine of the bench, where fresh
 * memory is slow to touch: there, a run's trace arriving beside two of them made frames of
 * 96–133 ms. Pieces of 1 MB took 5–26 ms each there (measured in Chromium's long-animation-
 * frame reports), in 30 tasks instead of 8.
 */
const PIECE_BYTES = 1024 * 1024;

/**
 * Resolves in a task of its own. A message, not a timer: in a tab in the background a timer
 * waits a second or more (a minute, after five), and the pieces would take that long each.
 */
function nextTaskUnthrottled(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/** The codec worker, made on first use (again if the last one failed). */
function codecWorker(): Worker {
  if (!codec) {
    codec = new Worker(new URL('./snapshot-codec-worker.ts', import.meta.url), { type: 'module', name: 'snapshot-codec' });
    codec.onmessage = (event: MessageEvent<CodecReply>) => {
      const request = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      if (event.data.blob) request?.resolve(event.data.blob);
      else request?.reject(new Error(event.data.error ?? 'the snapshot could not be packed'));
    };
    // A codec worker that fails to load or dies answers nothing: every request waiting on it
    // fails (the next one makes a new worker), rather than waiting forever.
    const fail = (): void => {
      for (const request of waiting.values()) request.reject(new Error('the snapshot codec worker failed'));
      waiting.clear();
      codec?.terminate();
      codec = null;
    };
    codec.onerror = fail;
    codec.onmessageerror = fail;
  }
  return codec;
}

/** The packed snapshot in `gzipped` (a Blob of its gzip, as kept), inflated in the codec worker: a Blob. Rejects if it is not whole gzip. */
function inflated(gzipped: Blob): Promise<Blob> {
  const worker = codecWorker();
  const id = nextRequest++;
  const blob = new Promise<Blob>((resolve, reject) => waiting.set(id, { resolve, reject }));
  worker.postMessage({ id, inflate: gzipped } satisfies CodecRequest);
  return blob;
}

/** A Blob of `bytes` gzipped, made in the codec worker (copies are sent: the caller keeps its bytes). */
async function gzip(bytes: Uint8Array): Promise<Blob> {
  const worker = codecWorker();
  const id = nextRequest++;
  const packed = new Promise<Blob>((resolve, reject) => waiting.set(id, { resolve, reject }));
  packed.catch(() => {}); // the caller awaits it once every piece is sent; it may fail before
  try {
    for (let at = 0; at < bytes.length || at === 0; at += PIECE_BYTES) {
      if (at > 0) await nextTaskUnthrottled();
      const piece = bytes.slice(at, at + PIECE_BYTES) as Uint8Array<ArrayBuffer>;
      const request: CodecRequest = { id, at, total: bytes.length, piece };
      worker.postMessage(request, [piece.buffer]);
    }
  } catch (error) {
    waiting.delete(id);
    worker.postMessage({ id, abort: true } satisfies CodecRequest);
    throw error;
  }
  return packed;
}

/**
 * Where a built browser edition serves the snapshot the build shipped (scripts/ship-snapshot.ts),
 * beside its pages; null where there is none to ask for (Vite's dev server, code run unbuilt).
 */
export function shippedSnapshotURL(): string | null {
  if (import.meta.env.DEV || RUNTIME_ID.tracer === 'unbuilt' || typeof document === 'undefined') return null;
  return new URL(`${SHIPPED_SNAPSHOT_DIR}/${shippedSnapshotName(RUNTIME_TAG, SNAPSHOT_LAYOUT)}`, document.baseURI).href;
}

/** The snapshot at `url` as a Blob (its gzip), or null if it cannot be had (missing, offline and not kept, an error page). */
async function fetchedSnapshot(url: string): Promise<Blob | null> {
  try {
    const response = await fetch(url);
    return response.ok ? await response.blob() : null;
  } catch {
    return null;
  }
}

export class IndexedDbSnapshotStore implements SnapshotStore {
  /** The kept snapshot as later workers are given it (packed, inflated once for this page), once asked for; null until then, and after a save or a drop. */
  #forWorkers: Promise<Blob | null> | null = null;
  /** The app's own snapshot, once fetched (a page asks for it at most once). */
  #shippedBlob: Promise<Blob | null> | null = null;
  /**
   * Whether the app's own snapshot may still stand in for a kept one: not once this page has
   * saved one of its own (it was made because the shipped one could not be used, or is newer)
   * or dropped one (the interpreter that restored it broke), nor once any page has refused it
   * (a marker kept beside the snapshot).
   */
  #shippedUsable: boolean;
  /** Where the last snapshot handed out came from (`shipped`: the app's own, or the copy of it kept here). */
  #lastFrom: 'kept' | 'shipped' | null = null;
  /** This store's writes, one after another (a save, a drop, the shipped one's copy): none interleave. */
  #writes: Promise<void> = Promise.resolve();

  /**
   * @param key the snapshot's name in the store: this runtime's and this layout's
   * @param shipped where the app's own snapshot is (shippedSnapshotURL), used while the store
   *   has none of its own: a first visit restores it instead of booting Python cold (about
   *   2.5 s). One that cannot be restored makes the worker start cold and keep its own
   *   snapshot here, which is used from then on; the shipped one is not asked for again.
   */
  constructor(
    private readonly key = `${RUNTIME_TAG}.${SNAPSHOT_LAYOUT}`,
    private readonly shipped: string | null = shippedSnapshotURL(),
  ) {
    this.#shippedUsable = shipped !== null;
  }

  /**
   * The key of what is known of the shipped snapshot, kept beside the snapshot's: `copy` (the
   * snapshot kept is a copy of it) or `refused` (an interpreter that restored it broke).
   */
  get #shippedKey(): string {
    return `${this.key}.shipped`;
  }

  private db() {
    return openDB(SNAPSHOT_DB.name, SNAPSHOT_DB.version, {
      upgrade(db) {
        db.createObjectStore(SNAPSHOT_DB.store);
      },
    });
  }

  /** The snapshot as kept, else the app's own (`shipped`) while it may stand in: a Blob of its gzip and where it came from, or null. */
  async #stored(): Promise<{ gzipped: Blob; from: 'kept' | 'shipped' } | null> {
    let stored: unknown = null;
    let shippedState: unknown = null;
    try {
      const db = await this.db();
      [stored, shippedState] = await Promise.all([db.get(SNAPSHOT_DB.store, this.key), db.get(SNAPSHOT_DB.store, this.#shippedKey)]);
      db.close();
    } catch {
      // No IndexedDB (a private window), or a damaged entry: the shipped one, else start cold.
    }
    if (stored instanceof Blob) return { gzipped: stored, from: shippedState === 'copy' ? 'shipped' : 'kept' };
    if (shippedState === 'refused') this.#shippedUsable = false;
    if (!this.#shippedUsable || this.shipped === null) return null;
    this.#shippedBlob ??= fetchedSnapshot(this.shipped);
    const shipped = await this.#shippedBlob;
    // Refused meanwhile (a save or a drop while it was on its way): not handed out.
    return shipped === null || !this.#shippedUsable ? null : { gzipped: shipped, from: 'shipped' };
  }

  /** Runs `write` after this store's earlier writes (whatever became of them). */
  #queued(write: () => Promise<void>): Promise<void> {
    const done = this.#writes.then(write);
    this.#writes = done.catch(() => undefined);
    return done;
  }

  /**
   * Keeps `gzipped` (a Blob of its gzip) as this runtime's snapshot; other builds' snapshots go
   * (an older build's can never be restored). `shippedCopy`: the app's own, kept only while it
   * may still stand in (not after a save or a drop queued before it) and not over one kept.
   */
  #put(gzipped: Blob, shippedCopy = false): Promise<void> {
    return this.#queued(async () => {
      if (shippedCopy && !this.#shippedUsable) return;
      const db = await this.db();
      try {
        const tx = db.transaction(SNAPSHOT_DB.store, 'readwrite');
        if (shippedCopy && (await tx.store.get(this.key)) instanceof Blob) return;
        for (const key of await tx.store.getAllKeys()) {
          if (key !== this.key && key !== this.#shippedKey) await tx.store.delete(key);
        }
        await tx.store.put(gzipped, this.key);
        if (shippedCopy) await tx.store.put('copy', this.#shippedKey);
        else if ((await tx.store.get(this.#shippedKey)) === 'copy') await tx.store.delete(this.#shippedKey);
        await tx.done;
      } finally {
        db.close();
      }
    });
  }

  /** The kept snapshot, a Blob of its gzip as kept: the first worker inflates it itself, beside the rest of its start. */
  load(): Promise<Blob | null> {
    return this.#stored().then((found) => {
      this.#lastFrom = found?.from ?? null;
      return found?.gzipped ?? null;
    });
  }

  /**
   * The kept snapshot for the workers after one has restored it: a Blob of its packed form,
   * inflated once for this page in the codec worker (the same Blob after). See SnapshotStore.kept.
   * If it does not inflate here, its gzip as kept (the worker says what is wrong with it).
   * The app's own snapshot, once an interpreter has restored it, is kept in IndexedDB too
   * (unless one is kept meanwhile): the next page reads it from there, as it reads one the
   * page made.
   */
  kept(): Promise<Blob | null> {
    this.#forWorkers ??= this.#stored().then((found) => {
      if (found === null) return null;
      if (found.from === 'shipped') void this.#put(found.gzipped, true).catch(() => undefined);
      return inflated(found.gzipped).catch(() => found.gzipped);
    });
    return this.#forWorkers;
  }

  async save(bytes: Uint8Array): Promise<void> {
    this.#forWorkers = null;
    this.#shippedUsable = false;
    await this.#put(await gzip(bytes));
  }

  /**
   * Forgets the snapshot in use (an interpreter that restored it broke, or refused it). If that
   * was the app's own, it is refused for good: this page and later ones boot cold and keep one
   * of their own (a marker says so; without IndexedDB, for this page).
   */
  drop(): Promise<void> {
    this.#forWorkers = null;
    const shippedBroke = this.#lastFrom === 'shipped';
    this.#shippedUsable = false;
    return this.#queued(async () => {
      const db = await this.db();
      try {
        const tx = db.transaction(SNAPSHOT_DB.store, 'readwrite');
        await tx.store.delete(this.key);
        if (shippedBroke) await tx.store.put('refused', this.#shippedKey);
        else if ((await tx.store.get(this.#shippedKey)) === 'copy') await tx.store.delete(this.#shippedKey);
        await tx.done;
      } finally {
        db.close();
      }
    });
  }
}
