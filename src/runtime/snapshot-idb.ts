/**
 * A SnapshotStore in the page's IndexedDB (browser edition): the interpreter's memory snapshot,
 * gzipped with the browser's own CompressionStream (31.5 MB raw, about 6 MB stored), under the
 * runtime it was made with. Only the page touches it: the workers that run programs have no
 * storage at all.
 */
import { openDB } from 'idb';
import { RUNTIME_TAG } from './runtime-id';
import type { SnapshotStore } from './supervisor';

const DB_NAME = 'loop-lab-runtime';
const STORE = 'snapshots';

async function pipe(bytes: Uint8Array, transform: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(transform);
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export class IndexedDbSnapshotStore implements SnapshotStore {
  constructor(private readonly key = RUNTIME_TAG) {}

  private db() {
    return openDB(DB_NAME, 1, {
      upgrade(db) {
        db.createObjectStore(STORE);
      },
    });
  }

  async load(): Promise<Uint8Array | null> {
    try {
      const db = await this.db();
      const stored: unknown = await db.get(STORE, this.key);
      db.close();
      if (!(stored instanceof Uint8Array)) return null;
      return await pipe(stored, new DecompressionStream('gzip'));
    } catch {
      return null; // no IndexedDB (a private window), or a damaged entry: start cold
    }
  }

  async save(bytes: Uint8Array): Promise<void> {
    const packed = await pipe(bytes, new CompressionStream('gzip'));
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
