/**
 * Packs (snapshot-pages.ts) and gzips the interpreter snapshot (30 MB raw) off the page's main thread: the browser's
 * CompressionStream does its work on the thread that reads the stream, and on the page that
 * held up a frame for a second or more. A snapshot comes in pieces (snapshot-idb.ts: one
 * message of it all held the page for 40–60 ms): `{ id, at, total, piece }`, `at` its offset in
 * bytes, in order, or `{ id, abort: true }` if the page gave up sending it. Once every byte has
 * come: `{ id, blob }` (the gzip, as IndexedDB keeps it) or `{ id, error }`.
 *
 * And inflates one as kept: `{ id, inflate }` (the gzip's Blob) gets `{ id, blob }`, a Blob of
 * the packed form, or `{ id, error }` if it is not whole gzip or inflates past the engine's
 * memory cap. The page does this once, here, and hands every interpreter's worker the packed
 * form (snapshot-idb.ts): inflating it took a
 * warm start's worker 0.15 s alone and 0.4–0.5 s beside the rest of its start on a 2-core
 * machine, on the thread that then had to import Pyodide and make its module.
 */
import { DEFAULT_HEAP_LIMIT } from './heap-limit';
import { inflatedAtMost } from './capped-inflate';
import { packSnapshot } from './snapshot-pages';

/** One piece of snapshot `id`: bytes `at` to `at + piece.length` of its `total`; or the page gave up on it. */
export type CodecRequest =
  | { id: number; at: number; total: number; piece: Uint8Array<ArrayBuffer> }
  | { id: number; abort: true }
  | { id: number; inflate: Blob };

export interface CodecReply {
  id: number;
  blob?: Blob;
  error?: string;
}

/** Snapshots whose pieces are still coming, by id; null: it failed, and its later pieces are dropped. */
const gathering = new Map<number, { whole: Uint8Array<ArrayBuffer>; received: number } | null>();

self.onmessage = async (event: MessageEvent<CodecRequest>) => {
  const request = event.data;
  const { id } = request;
  if ('abort' in request) {
    gathering.delete(id);
    return;
  }
  if ('inflate' in request) {
    try {
      const blob = await new Response(inflatedAtMost(request.inflate, DEFAULT_HEAP_LIMIT)).blob();
      self.postMessage({ id, blob } satisfies CodecReply);
    } catch (error) {
      self.postMessage({ id, error: String(error) } satisfies CodecReply);
    }
    return;
  }
  const { at, total, piece } = request;
  const last = at + piece.length >= total;
  let state = gathering.get(id);
  if (state === null) {
    if (last) gathering.delete(id);
    return;
  }
  try {
    if (state === undefined) {
      if (at !== 0) throw new Error('the snapshot came out of order');
      state = { whole: new Uint8Array(total), received: 0 };
      gathering.set(id, state);
    }
    if (at !== state.received || at + piece.length > state.whole.length) throw new Error('the snapshot came out of order');
    state.whole.set(piece, at);
    state.received += piece.length;
    if (state.received < state.whole.length) return;
    gathering.delete(id);
    const packed = packSnapshot(state.whole) as Uint8Array<ArrayBuffer>;
    const blob = await new Response(new Blob([packed]).stream().pipeThrough(new CompressionStream('gzip'))).blob();
    self.postMessage({ id, blob } satisfies CodecReply);
  } catch (error) {
    if (last) gathering.delete(id);
    else gathering.set(id, null);
    self.postMessage({ id, error: String(error) } satisfies CodecReply);
  }
};
