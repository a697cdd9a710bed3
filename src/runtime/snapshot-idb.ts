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

const DB_NAME = 'loop-lab-runtime';
const STORE = 'snapshots';

let codec: Worker | null = null;
let nextRequest = 0;
const waiting = new Map<number, { resolve: (blob: Blob) => void; reject: (error: Error) => void }>();

/** A Blob of `bytes` gzipped, made in the codec worker (a copy is sent: the caller keeps its bytes). */
function gzip(bytes: Uint8Array): Promise<Blob> {
  if (!codec) {
    codec = new Worker(new URL('./snapshot-codec-worker.ts', import.meta.url), { type: 'module', name: 'snapshot-codec' });
    codec.onmessage = (event: MessageEvent<{ id: number; blob?: Blob; error?: string }>) => {
      const request = waiting.get(event.data.id);
      waiting.delete(event.data.id);
      if (event.data.blob) request?.resolve(event.data.blob);
      else request?.reject(new Error(event.data.error ?? 'the snapshot could not be packed'));
    };
  }
  const id = nextRequest++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    codec!.postMessage({ id, bytes });
  });
}

export class IndexedDbSnapshotStore implements SnapshotStore {
  constructor(private readonly key = `${RUNTIME_TAG}.${SNAPSHOT_LAYOUT}`) {}

  private db() {
    return openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore(STORE);
      },
    });
  }

  async load(): Promise<Blob | null> {
    try {
      const db = await this.db();
      const stored: unknown = await db.get(STORE, this.key);
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
    const tx = db.transaction(STORE, 'readwrite');
    await tx.store.clear();
    await tx.store.put(packed, this.key);
    await tx.done;
    db.close();
  }

  async drop(): Promise<void> {
    const db = await this.db();
    await db.delete(STORE, this.key);
    db.close();
  }
}
