/**
 * The browser edition's snapshot store (src/runtime/snapshot-idb.ts) with the snapshot the app
 * ships: it stands in while IndexedDB keeps none, is kept there once an interpreter restored
 * it, and is refused for good once an interpreter that restored it broke; a snapshot the page
 * made is never replaced by it. IndexedDB is fake-indexeddb's; the codec worker (gzip and
 * inflate) and the network are stand-ins that say what they were given.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IndexedDbSnapshotStore, SNAPSHOT_DB } from '../src/runtime/snapshot-idb';

const SHIPPED_URL = 'https://loop-lab.test/snapshot/python-test.pages1.gz';
let fetched: string[] = [];
let nextKey = 0;

/** The codec worker's stand-in: "inflates" a Blob to `inflated:<its text>`, "gzips" pieces to `gzip:<bytes>`. */
class CodecStandIn {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: (() => void) | null = null;
  onmessageerror: (() => void) | null = null;
  #pieces: number[] = [];
  postMessage(message: { id: number; inflate?: Blob; at?: number; total?: number; piece?: Uint8Array }): void {
    if (message.inflate) {
      void message.inflate.text().then((text) => this.onmessage?.({ data: { id: message.id, blob: new Blob([`inflated:${text}`]) } }));
    } else if (message.piece && message.total !== undefined && message.at !== undefined) {
      this.#pieces.push(...message.piece);
      if (message.at + message.piece.length >= message.total) {
        const blob = new Blob([`gzip:${this.#pieces.join(',')}`]);
        this.#pieces = [];
        setTimeout(() => this.onmessage?.({ data: { id: message.id, blob } }), 0);
      }
    }
  }
  terminate(): void {}
}

const text = async (blob: Blob | null): Promise<string | null> => (blob === null ? null : blob.text());
/** A fresh store over a fresh database name: each test its own IndexedDB contents. */
function page(key: string, shipped: string | null = SHIPPED_URL): IndexedDbSnapshotStore {
  return new IndexedDbSnapshotStore(key, shipped);
}
async function settled(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 5));
}

beforeEach(() => {
  fetched = [];
  (globalThis as unknown as { Worker: unknown }).Worker = CodecStandIn;
  (globalThis as unknown as { fetch: unknown }).fetch = async (url: string) => {
    fetched.push(url);
    return new Response(new Blob(['shipped']));
  };
});

afterEach(async () => {
  indexedDB.deleteDatabase(SNAPSHOT_DB.name);
  await settled();
});

describe('IndexedDbSnapshotStore with the snapshot the app ships', () => {
  it('hands out the shipped one while it keeps none; once restored, keeps a copy, which the next page reads without asking the network', async () => {
    const key = `k${nextKey++}`;
    const first = page(key);
    expect(await text(await first.load())).toBe('shipped');
    expect(fetched).toEqual([SHIPPED_URL]);
    // What the supervisor asks once an interpreter has restored it: the form for later workers.
    expect(await text(await first.kept())).toBe('inflated:shipped');
    expect(fetched).toHaveLength(1); // fetched once for the page
    await settled();
    const next = page(key);
    expect(await text(await next.load())).toBe('shipped');
    expect(fetched).toHaveLength(1);
  });

  it('a shipped one whose interpreter broke is refused for good: this page and the next hand out nothing, and boot cold', async () => {
    const key = `k${nextKey++}`;
    const first = page(key);
    expect(await text(await first.load())).toBe('shipped');
    await first.drop();
    expect(await first.load()).toBeNull();
    expect(await first.kept()).toBeNull();
    const next = page(key);
    expect(await next.load()).toBeNull();
    expect(fetched).toEqual([SHIPPED_URL]);
  });

  it('a copy of the shipped one kept, then broken: dropped with it, and the shipped one refused', async () => {
    const key = `k${nextKey++}`;
    const first = page(key);
    await first.load();
    await first.kept();
    await settled();
    const second = page(key);
    expect(await text(await second.load())).toBe('shipped'); // the kept copy
    await second.drop();
    expect(await page(key).load()).toBeNull();
  });

  it('a snapshot the page made (the shipped one could not be used) is never replaced by the shipped one, even while its save is under way or with no IndexedDB', async () => {
    const key = `k${nextKey++}`;
    const store = page(key);
    expect(await text(await store.load())).toBe('shipped');
    // The worker refused it and started cold: the supervisor drops it and saves the new one;
    // meanwhile a kept() asked before the drop may still be on its way.
    const asked = store.kept();
    const saving = store.save(new Uint8Array([7, 8]));
    await store.drop();
    await saving;
    await asked;
    await settled();
    expect(await text(await store.kept())).toBe('inflated:gzip:7,8');
    expect(await text(await page(key).load())).toBe('gzip:7,8');
  });

  it('with no IndexedDB (a private window), a page that saved its own snapshot never falls back on the shipped one', async () => {
    const saved = globalThis.indexedDB;
    (globalThis as unknown as { indexedDB: unknown }).indexedDB = undefined;
    try {
      const store = page(`k${nextKey++}`);
      expect(await text(await store.load())).toBe('shipped');
      await store.save(new Uint8Array([1])).catch(() => undefined); // nowhere to keep it
      expect(await store.kept()).toBeNull();
      expect(await store.load()).toBeNull();
    } finally {
      (globalThis as unknown as { indexedDB: unknown }).indexedDB = saved;
    }
  });

  it('with nothing shipped (a development server), hands out only what it keeps', async () => {
    const store = page(`k${nextKey++}`, null);
    expect(await store.load()).toBeNull();
    expect(fetched).toEqual([]);
  });
});
