/**
 * Bytes that Node's worker threads share with the thread that made them, for the interpreter
 * snapshot (30 MB raw). Posting a view of a SharedArrayBuffer to a worker thread copies
 * nothing; a view of an ordinary ArrayBuffer is copied twice on the way, written out on the
 * sender's thread and read back on the worker's. On the 2-core machine this was written on,
 * where touching fresh memory is slow, posting the snapshot took 127 ms of the CLI's thread and
 * the worker had it ~90 ms after that, on the way to every start (see early.ts for the whole).
 *
 * Node only: a browser page shares memory with its workers only when cross-origin isolated
 * (the browser edition hands its workers a Blob instead: snapshot-idb.ts), and Electron's IPC
 * carries no shared memory (its main process keeps the snapshot in a FileSnapshotStore of the
 * default kind). Every later interpreter of the same process starts from this memory, and
 * nothing may write it (Pyodide 314.0.7's restore only reads it). That gives a program that
 * reached JavaScript in a Node worker thread no reach it did not have: such a thread is no
 * sandbox (the CLI's help says so); it could already run code on the host's own thread
 * (`node:inspector`'s connectToMainThread) or start processes (`child_process`).
 */

/**
 * `byteLength` zero-filled bytes in shared memory, or in an ArrayBuffer of their own where
 * there is none to be had (`node --no-harmony-sharedarraybuffer`, or an allocation refused):
 * posted, those are copied, as before shared memory was used, but the snapshot still arrives.
 */
export function sharedBytes(byteLength: number): Uint8Array {
  try {
    if (typeof SharedArrayBuffer === 'function') return new Uint8Array(new SharedArrayBuffer(byteLength));
  } catch {
    // Fall through: bytes of their own.
  }
  return new Uint8Array(byteLength);
}

/** Copies made by inSharedMemory, by the bytes they copy: one copy per snapshot, not per worker. */
const copies = new WeakMap<Uint8Array, Uint8Array>();

/** `bytes` themselves if they are in shared memory (or there is none), else a copy there (made once for these bytes). */
export function inSharedMemory(bytes: Uint8Array): Uint8Array {
  if (typeof SharedArrayBuffer !== 'function' || bytes.buffer instanceof SharedArrayBuffer) return bytes;
  let copy = copies.get(bytes);
  if (copy === undefined) {
    copy = sharedBytes(bytes.length);
    if (!(copy.buffer instanceof SharedArrayBuffer)) return bytes; // none to be had: posted as they are
    copy.set(bytes);
    copies.set(bytes, copy);
  }
  return copy;
}

/**
 * `bytes` themselves if they are in an ArrayBuffer (not shared memory), else a copy in one: for
 * Electron's IPC, which carries no shared memory (a store whose snapshot is in shared memory,
 * `workerThreadSnapshotStore`'s, handed to it by mistake would fail every restore there).
 */
export function inOwnMemory(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : bytes.slice();
}
