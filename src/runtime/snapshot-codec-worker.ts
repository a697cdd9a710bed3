/**
 * Packs (snapshot-pages.ts) and gzips the interpreter snapshot (30 MB raw) off the page's main thread: the browser's
 * CompressionStream does its work on the thread that reads the stream, and on the page that
 * held up a frame for a second or more. A snapshot comes in pieces (snapshot-idb.ts: one
 * message of it all held the page for 40–60 ms): `{ id, at, total, piece }`, `at` its offset in
 * bytes, in order. Once the last has come: `{ id, blob }` (the gzip, as IndexedDB keeps it) or
 * `{ id, error }`. Inflating is the Python worker's job.
 */
import { packSnapshot } from './snapshot-pages';

/** One piece of snapshot `id`: bytes `at` to `at + piece.length` of its `total`. */
export interface CodecRequest {
  id: number;
  at: number;
  total: number;
  piece: Uint8Array<ArrayBuffer>;
}

export interface CodecReply {
  id: number;
  blob?: Blob;
  error?: string;
}

/** Snapshots whose pieces are still coming, by id. */
const gathering = new Map<number, Uint8Array<ArrayBuffer>>();

self.onmessage = async (event: MessageEvent<CodecRequest>) => {
  const { id, at, total, piece } = event.data;
  try {
    let whole = gathering.get(id);
    if (whole === undefined) {
      whole = new Uint8Array(total);
      gathering.set(id, whole);
    }
    whole.set(piece, at);
    if (at + piece.length < total) return;
    gathering.delete(id);
    const packed = packSnapshot(whole) as Uint8Array<ArrayBuffer>;
    const blob = await new Response(new Blob([packed]).stream().pipeThrough(new CompressionStream('gzip'))).blob();
    self.postMessage({ id, blob } satisfies CodecReply);
  } catch (error) {
    gathering.delete(id);
    self.postMessage({ id, error: String(error) } satisfies CodecReply);
  }
};
