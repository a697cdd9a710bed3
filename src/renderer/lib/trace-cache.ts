/**
 * Traces already seen, kept on this computer so that a run is never done twice: going back to
 * a lesson, Reset to original, or Run on unchanged code shows the trace at once. Least recently
 * used first out, within `TRACE_CACHE_BYTES` (see the README). Kept in the page's IndexedDB, in
 * both shells (Electron keeps the learner window's IndexedDB in the app's user-data folder).
 *
 * An entry is a packed TraceFile's JSON under its trace key (src/shared/trace-key.ts). One that
 * cannot be read back as a trace is dropped without a word, and the program simply runs.
 */
import { type IDBPDatabase, openDB } from 'idb';
import { packTrace, parseTraceFile, type RuntimeId, type Trace } from '../../shared/trace';

/** The most trace JSON the cache keeps, in characters (about bytes: trace JSON is mostly ASCII). */
export const TRACE_CACHE_BYTES = 64 * 1024 * 1024;

const DB_NAME = 'loop-lab-traces';
const STORE = 'traces';

interface Entry {
  key: string;
  json: string;
  bytes: number;
  /** When it was last stored or read (ms since 1970): the least recent goes first. */
  used: number;
}

export interface TraceCacheOptions {
  capBytes?: number;
  /** The IndexedDB database's name (tests use their own). */
  name?: string;
  /** The clock, in ms (tests move it by hand). */
  now?: () => number;
}

export class TraceCache {
  readonly #cap: number;
  readonly #name: string;
  readonly #now: () => number;
  #db: Promise<IDBPDatabase> | null = null;

  constructor(options: TraceCacheOptions = {}) {
    this.#cap = options.capBytes ?? TRACE_CACHE_BYTES;
    this.#name = options.name ?? DB_NAME;
    this.#now = options.now ?? Date.now;
  }

  #open(): Promise<IDBPDatabase> {
    this.#db ??= openDB(this.#name, 1, {
      upgrade(db) {
        const store = db.createObjectStore(STORE, { keyPath: 'key' });
        store.createIndex('used', 'used');
      },
    });
    return this.#db;
  }

  /** The trace stored under `key`, or null (none, or one that no longer reads as a trace: dropped). */
  async get(key: string): Promise<Trace | null> {
    try {
      const db = await this.#open();
      const entry = (await db.get(STORE, key)) as Entry | undefined;
      if (!entry) return null;
      let trace: Trace;
      try {
        trace = parseTraceFile(JSON.parse(entry.json));
      } catch {
        await db.delete(STORE, key);
        return null;
      }
      await db.put(STORE, { ...entry, used: this.#now() });
      return trace;
    } catch {
      return null; // no IndexedDB here (a private window): nothing is cached, nothing breaks
    }
  }

  /** Keeps a trace, then lets the least recently used go until the cache is within its cap. */
  async put(key: string, trace: Trace, runtime?: RuntimeId): Promise<void> {
    const json = JSON.stringify(packTrace(trace, runtime));
    if (json.length > this.#cap) return;
    try {
      const db = await this.#open();
      await db.put(STORE, { key, json, bytes: json.length, used: this.#now() } satisfies Entry);
      await this.#trim(db);
    } catch {
      // Full disk, or no IndexedDB: the trace is simply not kept.
    }
  }

  /** Characters of trace JSON kept now. */
  async size(): Promise<number> {
    const db = await this.#open();
    let total = 0;
    for (const entry of (await db.getAll(STORE)) as Entry[]) total += entry.bytes;
    return total;
  }

  async #trim(db: IDBPDatabase): Promise<void> {
    const tx = db.transaction(STORE, 'readwrite');
    let total = 0;
    let cursor = await tx.store.index('used').openCursor(null, 'prev'); // newest first
    while (cursor) {
      const entry = cursor.value as Entry;
      total += entry.bytes;
      if (total > this.#cap) await cursor.delete();
      cursor = await cursor.continue();
    }
    await tx.done;
  }
}
