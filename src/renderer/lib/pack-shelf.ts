/**
 * The browser edition keeps lesson packs in IndexedDB (database `loop-lab`, store `packs`, one
 * StoredPack per id), so they are there after a reload or a restart until "Remove pack". A
 * browser that refuses IndexedDB (some private modes) keeps them for the session only, and says
 * nothing worse than that.
 */
import type { StoredPack } from '../../shared/ipc';

const DATABASE = 'loop-lab';
const STORE = 'packs';

export interface PackShelf {
  list(): Promise<StoredPack[]>;
  put(pack: StoredPack): Promise<void>;
  remove(id: string): Promise<void>;
}

export function indexedDbShelf(): PackShelf {
  let opened: Promise<IDBDatabase> | null = null;
  const memory = new Map<string, StoredPack>();
  const database = (): Promise<IDBDatabase> =>
    (opened ??= new Promise((resolve, reject) => {
      const request = indexedDB.open(DATABASE, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error ?? new Error('IndexedDB refused'));
    }));
  const run = async <T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const db = await database();
    return new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = act(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error ?? new Error('IndexedDB failed'));
      transaction.onabort = () => reject(transaction.error ?? new Error('IndexedDB aborted'));
    });
  };
  return {
    async list() {
      try {
        const all = await run('readonly', (store) => store.getAll() as IDBRequest<StoredPack[]>);
        return all.filter((p) => typeof p?.id === 'string' && p.zip instanceof Uint8Array).sort((a, b) => a.savedAt - b.savedAt);
      } catch {
        return [...memory.values()];
      }
    },
    async put(pack) {
      memory.set(pack.id, pack);
      try {
        await run('readwrite', (store) => store.put(pack));
      } catch {
        // Kept in memory for this session.
      }
    },
    async remove(id) {
      memory.delete(id);
      try {
        await run('readwrite', (store) => store.delete(id));
      } catch {
        // Nothing kept to remove.
      }
    },
  };
}
