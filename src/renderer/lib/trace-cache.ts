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
import { nextTask } from '../../shared/slices';
import { packTrace, parseTraceFile, type RuntimeId, type Trace } from '../../shared/trace';

/** The most trace JSON the cache keeps, in characters (about bytes: trace JSON is mostly ASCII). */
export const TRACE_CACHE_BYTES = 64 * 1024 * 1024;

const DB_NAME = 'loop-lab-traces';
/**
 * Version 2 keeps each entry's bookkeeping apart from its JSON: finding the least recently
 * used, or marking one used, then reads and writes a few bytes, not the traces themselves
 * (version 1 read every trace kept, up to the cap, after every run: a 150 ms pause measured in
 * Chromium). Opening a version 1 cache drops it: it is only a cache.
 */
const DB_VERSION = 2;
/** `Entry` by `key`: the trace. */
const TRACES = 'traces';
/** `Meta` by `key`, indexed by `used`: what the trim and the LRU order need. */
const META = 'meta';

interface Entry {
  key: string;
  json: string;
}

interface Meta {
  key: string;
  /** Characters of `json`. */
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
    this.#db ??= openDB(this.#name, DB_VERSION, {
      upgrade(db) {
        for (const name of Array.from(db.objectStoreNames)) db.deleteObjectStore(name);
        db.createObjectStore(TRACES, { keyPath: 'key' });
        db.createObjectStore(META, { keyPath: 'key' }).createIndex('used', 'used');
      },
    });
    return this.#db;
  }

  /** The trace stored under `key`, or null (none, or one that no longer reads as a trace: dropped). */
  async get(key: string): Promise<Trace | null> {
    try {
      const db = await this.#open();
      const entry = (await db.get(TRACES, key)) as Entry | undefined;
      if (!entry) return null;
      let trace: Trace;
      try {
        trace = parseTraceFile(JSON.parse(entry.json));
      } catch {
        const tx = db.transaction([TRACES, META], 'readwrite');
        await Promise.all([tx.objectStore(TRACES).delete(key), tx.objectStore(META).delete(key), tx.done]);
        return null;
      }
      await db.put(META, { key, bytes: entry.json.length, used: this.#now() } satisfies Meta);
      return trace;
    } catch {
      return null; // no IndexedDB here (a private window): nothing is cached, nothing breaks
    }
  }

  /** Keeps a trace, then lets the least recently used go until the cache is within its cap. */
  async put(key: string, trace: Trace, runtime?: RuntimeId): Promise<void> {
    // Each part in a task of its own, after the one that shows the trace: packing and writing
    // the JSON, then IndexedDB's copy of it. In the task that showed it, for a traceback of a
    // 40 MB message (its 2 M characters of stderr), they made the frame 118 ms: 71 of them here
    // (a CPU profile of the app in Chromium).
    await nextTask();
    const json = JSON.stringify(packTrace(trace, runtime));
    if (json.length > this.#cap) return;
    await nextTask();
    try {
      const db = await this.#open();
      const tx = db.transaction([TRACES, META], 'readwrite');
      await Promise.all([
        tx.objectStore(TRACES).put({ key, json } satisfies Entry),
        tx.objectStore(META).put({ key, bytes: json.length, used: this.#now() } satisfies Meta),
        tx.done,
      ]);
      await this.#trim(db);
    } catch {
      // Full disk, or no IndexedDB: the trace is simply not kept.
    }
  }

  /** Characters of trace JSON kept now. */
  async size(): Promise<number> {
    const db = await this.#open();
    let total = 0;
    for (const meta of (await db.getAll(META)) as Meta[]) total += meta.bytes;
    return total;
  }

  async #trim(db: IDBPDatabase): Promise<void> {
    const tx = db.transaction([TRACES, META], 'readwrite');
    const traces = tx.objectStore(TRACES);
    let total = 0;
    let cursor = await tx.objectStore(META).index('used').openCursor(null, 'prev'); // newest first
    while (cursor) {
      const meta = cursor.value as Meta;
      total += meta.bytes;
      if (total > this.#cap) {
        await traces.delete(meta.key);
        await cursor.delete();
      }
      cursor = await cursor.continue();
    }
    await tx.done;
  }
}
