/**
 * A SnapshotStore in the page's IndexedDB (browser edition): the interpreter's memory snapshot,
 * gzipped with the browser's own CompressionStream in a worker of its own (30 MB raw, about
 * 5 MB stored; on the page's main thread the compression held up a frame for seconds), under the
 * runtime it was made with, as a Blob. Loading hands that Blob on as it is: the Python worker
 * inflates it itself while Pyodide loads (reading 5 MB of bytes out of IndexedDB and inflating
 * them in the codec worker took ~0.6 s of a 1.5 s warm start, measured here). Only the page
 * touches IndexedDB: the workers that run programs have no storage at all.
 */
import { openDB } from 'idb';
import { RUNTIME_TAG } from './runtime-id';
import { SNAPSHOT_LAYOUT } from './snapshot-pages';
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

/** A Blob of `bytes` gzipped, made in the codec worker (copies are sent: the caller keeps its bytes). */
async function gzip(bytes: Uint8Array): Promise<Blob> {
  if (!codec) {
    codec = new Worker(new URL('./snapshot-codec-worker.ts', import.meta.url), { type: 'module', name: 'snapshot-codec' });
    codec.onmessage = (event: MessageEvent<CodecReply>) => {
      const request = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      if (event.data.blob) request?.resolve(event.data.blob);
      else request?.reject(new Error(event.data.error ?? 'the snapshot could not be packed'));
    };
    // A codec worker that fails to load or dies answers nothing: every save waiting on it fails
    // (the next save makes a new worker), rather than waiting forever.
    const fail = (): void => {
      for (const request of waiting.values()) request.reject(new Error('the snapshot codec worker failed'));
      waiting.clear();
      codec?.terminate();
      codec = null;
    };
    codec.onerror = fail;
    codec.onmessageerror = fail;
  }
  const worker = codec;
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

export class IndexedDbSnapshotStore implements SnapshotStore {
  constructor(private readonly key = `${RUNTIME_TAG}.${SNAPSHOT_LAYOUT}`) {}

  private db() {
    return openDB(SNAPSHOT_DB.name, SNAPSHOT_DB.version, {
      upgrade(db) {
        db.createObjectStore(SNAPSHOT_DB.store);
      },
    });
  }

  async load(): Promise<Blob | null> {
    try {
      const db = await this.db();
      const stored: unknown = await db.get(SNAPSHOT_DB.store, this.key);
      db.close();
      return stored instanceof Blob ? stored : null;
    } catch {
      return null; // no IndexedDB (a private window), or a damaged entry: start cold
    }
  }

  /** The snapshot as kept (a Blob of its gzip), for the next workers: see SnapshotStore.kept. */
  kept(): Promise<Blob | null> {
    return this.load();
  }

  async save(bytes: Uint8Array): Promise<void> {
    const packed = await gzip(bytes);
    const db = await this.db();
    // Only this runtime's snapshot is worth keeping: an older build's can never be restored.
    const tx = db.transaction(SNAPSHOT_DB.store, 'readwrite');
    await tx.store.clear();
    await tx.store.put(packed, this.key);
    await tx.done;
    db.close();
  }

  async drop(): Promise<void> {
    const db = await this.db();
    await db.delete(SNAPSHOT_DB.store, this.key);
    db.close();
  }
}
