/**
 * The snapshot's folder store (CLI cache folder, Electron's user-data folder): a snapshot made
 * by another build can never be restored, so a save clears other builds' snapshots left
 * unused for STALE_DAYS, and keeps the ones still in use. No Python here.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { FileSnapshotStore, gunzipWhole, STALE_DAYS, userCacheDir } from '../src/runtime/snapshot-file';
import { PackedSnapshot, packSnapshot, unpackSnapshot } from '../src/runtime/snapshot-pages';
import { inSharedMemory, sharedBytes } from '../src/runtime/shared-bytes';
import { spawnNodeWorker } from '../src/runtime/node-worker-spawn';
import { writeWhole } from '../src/runtime/cache-folder';

const DAY_MS = 24 * 3600 * 1000;
const folders: string[] = [];

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loop-lab-snapshot-file-'));
  folders.push(dir);
  return dir;
}

function aged(path: string, days: number): void {
  const when = new Date(Date.now() - days * DAY_MS);
  utimesSync(path, when, when);
}

/** What a store loaded (its packed form), unpacked. */
function unpacked(loaded: Uint8Array | null): Uint8Array | null {
  return loaded === null ? null : unpackSnapshot(loaded, 1 << 30);
}

afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('FileSnapshotStore', () => {
  it('a save removes other builds’ snapshots unused for STALE_DAYS, and nothing else', async () => {
    const dir = folder();
    const stale = join(dir, 'python-snapshot-314.0.7-aaaaaaaaaaaaaaaa.bin.gz');
    const recent = join(dir, 'python-snapshot-314.0.7-bbbbbbbbbbbbbbbb.bin.gz');
    const unrelated = join(dir, 'notes.txt');
    for (const path of [stale, recent, unrelated]) writeFileSync(path, 'x');
    aged(stale, STALE_DAYS + 1);
    aged(recent, STALE_DAYS - 1);
    aged(unrelated, STALE_DAYS + 30);

    const store = new FileSnapshotStore(dir, '314.0.7-cccccccccccccccc');
    await store.save(new Uint8Array([1, 2, 3]));

    expect(readdirSync(dir).sort()).toEqual(
      ['notes.txt', 'python-snapshot-314.0.7-bbbbbbbbbbbbbbbb.bin.gz', 'python-snapshot-314.0.7-cccccccccccccccc.pages1.gz'],
    );
    expect(unpacked(await store.load())).toEqual(new Uint8Array([1, 2, 3]));
  });

  it('loading a snapshot marks it used, so another build’s save keeps it', async () => {
    const dir = folder();
    const mine = new FileSnapshotStore(dir, '314.0.7-dddddddddddddddd');
    writeFileSync(mine.path, gzipSync(packSnapshot(new Uint8Array([7, 7]))));
    aged(mine.path, STALE_DAYS + 3);
    expect(unpacked(await mine.load())).toEqual(new Uint8Array([7, 7]));
    expect(Date.now() - statSync(mine.path).mtimeMs).toBeLessThan(DAY_MS);

    await new FileSnapshotStore(dir, '314.0.7-eeeeeeeeeeeeeeee').save(new Uint8Array([8]));
    expect(existsSync(mine.path)).toBe(true);
  });

  it('a missing or damaged file reads as no snapshot', async () => {
    const dir = folder();
    const store = new FileSnapshotStore(dir, '314.0.7-ffffffffffffffff');
    expect(await store.load()).toBeNull();
    writeFileSync(store.path, 'not gzip');
    expect(await store.load()).toBeNull();
    // A gzip of the snapshot as it is, not packed: what this store kept before snapshot-pages.ts.
    writeFileSync(store.path, gzipSync(new Uint8Array([1, 2, 3])));
    expect(await store.load()).toBeNull();
    // Packed, but cut short: checked as it is loaded, not left for the engine to find.
    const packed = packSnapshot(new Uint8Array(3 * 4096).fill(5));
    writeFileSync(store.path, gzipSync(packed.subarray(0, packed.length - 100)));
    expect(await store.load()).toBeNull();
  });

  it('loads the snapshot in its packed form, which the engine restores straight from', async () => {
    const dir = folder();
    const store = new FileSnapshotStore(dir, '314.0.7-9999999999999999');
    const raw = new Uint8Array(40 * 4096);
    raw.fill(3, 4096 * 5, 4096 * 6 + 17);
    await store.save(raw);
    const loaded = (await store.load())!;
    expect(PackedSnapshot.isPacked(loaded)).toBe(true);
    expect(loaded.length).toBe(packSnapshot(raw).length); // two pages of forty, and the head
    expect(Buffer.from(unpacked(loaded)!).equals(Buffer.from(raw))).toBe(true);
  });
});

describe('FileSnapshotStore with the snapshot the app ships', () => {
  /** A shipped snapshot file (read only to the store), holding `raw` packed and gzipped. */
  function shippedFile(raw: Uint8Array): string {
    const path = join(folder(), 'python-314.0.7-1111111111111111.pages1.gz');
    writeFileSync(path, gzipSync(packSnapshot(raw)));
    return path;
  }

  it('with none of its own, loads the shipped one; once it keeps one of its own, that one; the shipped file is never written or removed', async () => {
    const shipped = shippedFile(new Uint8Array([4, 2]));
    const before = statSync(shipped);
    const store = new FileSnapshotStore(folder(), '314.0.7-1111111111111111', 'own', shipped);
    expect(unpacked(await store.load())).toEqual(new Uint8Array([4, 2]));
    expect(readdirSync(store.dir)).toEqual([]); // nothing copied: the shipped file is read where it is
    await store.save(new Uint8Array([9]));
    expect(unpacked(await store.load())).toEqual(new Uint8Array([9]));
    await store.drop(); // its own, which was in use: the shipped one stands in again
    expect(unpacked(await store.load())).toEqual(new Uint8Array([4, 2]));
    const after = statSync(shipped);
    expect([after.size, after.mtimeMs, after.ino]).toEqual([before.size, before.mtimeMs, before.ino]);
  });

  it('a damaged snapshot of its own is removed, and the shipped one loaded in its place', async () => {
    const shipped = shippedFile(new Uint8Array([4, 2]));
    const store = new FileSnapshotStore(folder(), '314.0.7-2222222222222222', 'shared', shipped);
    writeFileSync(store.path, 'not gzip');
    const loaded = await store.load();
    expect(unpacked(loaded)).toEqual(new Uint8Array([4, 2]));
    expect(loaded!.buffer).toBeInstanceOf(SharedArrayBuffer); // as the store’s own would be, for worker threads
    expect(existsSync(store.path)).toBe(false);
  });

  it('a shipped snapshot dropped (an interpreter that restored it broke) is refused in that folder for good: none is handed out until it keeps its own', async () => {
    const shipped = shippedFile(new Uint8Array([4, 2]));
    const dir = folder();
    const store = new FileSnapshotStore(dir, '314.0.7-4444444444444444', 'own', shipped);
    expect(unpacked(await store.load())).toEqual(new Uint8Array([4, 2]));
    await store.drop();
    expect(await store.load()).toBeNull();
    // Another process, another store object (the CLI's first worker is handed its snapshot by one, the supervisor drops through another).
    expect(await new FileSnapshotStore(dir, '314.0.7-4444444444444444', 'own', shipped).load()).toBeNull();
    await store.save(new Uint8Array([9]));
    expect(unpacked(await store.load())).toEqual(new Uint8Array([9]));
    expect(existsSync(shipped)).toBe(true);
  });

  it('never rejects for its folder: a kept snapshot it cannot mark used, or a folder where the file goes, loads or reads as none', async () => {
    const shipped = shippedFile(new Uint8Array([4, 2]));
    const dir = folder();
    const store = new FileSnapshotStore(dir, '314.0.7-5555555555555555', 'own', shipped);
    mkdirSync(store.path); // not a file: unreadable, and cannot be removed with rmSync's force alone
    expect(unpacked(await store.load())).toEqual(new Uint8Array([4, 2]));
  });

  it('a shipped snapshot that is missing or damaged reads as none: the worker starts cold and keeps its own', async () => {
    const dir = folder();
    expect(await new FileSnapshotStore(dir, '314.0.7-3333333333333333', 'own', join(dir, 'not-there.gz')).load()).toBeNull();
    const damaged = join(dir, 'damaged.gz');
    const packed = packSnapshot(new Uint8Array(3 * 4096).fill(5));
    writeFileSync(damaged, gzipSync(packed.subarray(0, packed.length - 100)));
    expect(await new FileSnapshotStore(dir, '314.0.7-3333333333333333', 'own', damaged).load()).toBeNull();
  });
});

describe('the user’s cache folder', () => {
  it('is $XDG_CACHE_HOME/loop-lab when that is an absolute path; a relative one is ignored, as the XDG spec asks', () => {
    const saved = process.env.XDG_CACHE_HOME;
    try {
      process.env.XDG_CACHE_HOME = '/var/cache/learner';
      expect(userCacheDir()).toBe('/var/cache/learner/loop-lab');
      for (const ignored of ['cache', './cache', '']) {
        process.env.XDG_CACHE_HOME = ignored;
        expect(userCacheDir(), ignored).toBe(join(homedir(), '.cache', 'loop-lab'));
      }
    } finally {
      if (saved === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = saved;
    }
  });
});

describe('a snapshot for worker threads', () => {
  it('a store made for worker threads loads the snapshot into shared memory, which a worker thread then holds without a copy', async () => {
    const dir = folder();
    const store = new FileSnapshotStore(dir, '314.0.7-1111111111111111', 'shared');
    const raw = new Uint8Array(3 * 4096 + 10).map((_, i) => (i % 3 === 0 ? 0 : i % 251));
    await store.save(raw);
    const loaded = (await store.load())!;
    expect(loaded.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(Buffer.from(unpacked(loaded)!).equals(Buffer.from(raw))).toBe(true);
    // The default store keeps bytes of its own (Electron's IPC carries no shared memory).
    expect((await new FileSnapshotStore(dir, '314.0.7-1111111111111111').load())!.buffer).toBeInstanceOf(ArrayBuffer);

    // A worker thread given the snapshot writes into it: the host sees the write, so nothing was copied.
    const worker = new Worker(
      'const { parentPort } = require("node:worker_threads"); parentPort.once("message", (m) => { m.snapshot[1] = 99; parentPort.postMessage("done"); });',
      { eval: true },
    );
    try {
      const answered = new Promise((resolve) => worker.once('message', resolve));
      worker.postMessage({ type: 'restore', snapshot: loaded });
      await answered;
      expect(loaded[1]).toBe(99);
    } finally {
      await worker.terminate();
    }
  });

  it('spawnNodeWorker hands every worker thread one shared copy of a snapshot of the host’s own bytes', async () => {
    const dir = folder();
    const script = join(dir, 'worker.mjs');
    writeFileSync(
      script,
      'import { parentPort } from "node:worker_threads";\n' +
        'parentPort.on("message", (m) => { if (m.type === "restore") { m.snapshot[0] += 1; parentPort.postMessage(m.snapshot.buffer instanceof SharedArrayBuffer); } });\n',
    );
    const own = new Uint8Array(4096);
    const answers: unknown[] = [];
    for (let i = 0; i < 2; i++) {
      const handle = spawnNodeWorker(script);
      try {
        const answered = new Promise((resolve) => handle.onMessage(resolve));
        handle.post({ type: 'restore', snapshot: own });
        answers.push(await answered);
      } finally {
        handle.terminate();
      }
    }
    expect(answers).toEqual([true, true]);
    expect(inSharedMemory(own)[0]).toBe(2); // both wrote the one copy
    expect(own[0]).toBe(0); // the host's own bytes are not the workers'
  });

  it('with no shared memory to be had, a snapshot is still loaded and handed over, as bytes of its own', async () => {
    const dir = folder();
    const store = new FileSnapshotStore(dir, '314.0.7-2222222222222222', 'shared');
    await store.save(new Uint8Array([4, 0, 2]));
    const shared = Object.getOwnPropertyDescriptor(globalThis, 'SharedArrayBuffer')!;
    Reflect.deleteProperty(globalThis, 'SharedArrayBuffer'); // as under node --no-harmony-sharedarraybuffer
    try {
      const loaded = (await store.load())!;
      expect([...unpacked(loaded)!]).toEqual([4, 0, 2]);
      expect(loaded.buffer).toBeInstanceOf(ArrayBuffer);
      const own = new Uint8Array([1]);
      expect(inSharedMemory(own)).toBe(own);
      expect(sharedBytes(8).buffer).toBeInstanceOf(ArrayBuffer);
    } finally {
      Object.defineProperty(globalThis, 'SharedArrayBuffer', shared);
    }
  });

  it('bytes of their own are copied into shared memory once, however many workers are given them', () => {
    const own = new Uint8Array([1, 2, 3]);
    const copy = inSharedMemory(own);
    expect(copy.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...copy]).toEqual([1, 2, 3]);
    expect(inSharedMemory(own)).toBe(copy);
    expect(inSharedMemory(copy)).toBe(copy);
  });
});

describe('gunzipWhole', () => {
  const data = new Uint8Array(300_000).map((_, i) => (i * 7919) % 251);
  const same = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a).equals(Buffer.from(b));

  it('inflates into one buffer of the size the gzip trailer gives', () => {
    const inflated = gunzipWhole(gzipSync(data), 1 << 20);
    expect(same(inflated, data)).toBe(true);
    expect(inflated.buffer.byteLength).toBe(data.length + 1); // one buffer, not pieces joined
  });

  it('a trailer that lies about the size is damage, refused by zlib\'s own check: never wrong bytes', () => {
    for (const size of [1, 1000, 299_999, 300_001, 0xffffffff]) {
      const gzipped = gzipSync(data);
      new DataView(gzipped.buffer, gzipped.byteOffset).setUint32(gzipped.length - 4, size, true);
      // zlib checks the trailer's size itself: a lie there is damage, refused, never wrong bytes.
      let inflated: Uint8Array | null = null;
      try {
        inflated = gunzipWhole(gzipped, 1 << 20);
      } catch (error) {
        expect(String(error)).toMatch(/incorrect length check|unexpected end/i);
      }
      if (inflated !== null) expect(same(inflated, data)).toBe(true);
    }
  });

  it('refuses more than its limit', () => {
    expect(() => gunzipWhole(gzipSync(data), 100_000)).toThrow();
    expect(() => gunzipWhole(gzipSync(new Uint8Array(5_000_000)), 1 << 20)).toThrow();
  });
});

describe('a file written whole or not at all', () => {
  it('leaves no temporary file behind when it cannot be put in place (a folder where the file goes)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-lab-whole-'));
    const path = join(dir, 'python-snapshot-x.pages1.gz');
    mkdirSync(path);
    expect(() => writeWhole(path, new Uint8Array([1, 2, 3]))).toThrow();
    expect(readdirSync(dir)).toEqual(['python-snapshot-x.pages1.gz']);
    rmSync(dir, { recursive: true, force: true });
  });
});
