/**
 * Packs (snapshot-pages.ts) and gzips the interpreter snapshot (30 MB raw) off the page's main thread: the browser's
 * CompressionStream does its work on the thread that reads the stream, and on the page that
 * held up a frame for a second or more. One request per message: `{ id, bytes }` → `{ id, blob }`
 * (the gzip, as IndexedDB keeps it) or `{ id, error }`. Inflating is the Python worker's job.
 */
import { packSnapshot } from './snapshot-pages';

interface CodecRequest {
  id: number;
  bytes: Uint8Array<ArrayBuffer>;
}

self.onmessage = async (event: MessageEvent<CodecRequest>) => {
  const { id, bytes } = event.data;
  try {
    const packed = packSnapshot(bytes) as Uint8Array<ArrayBuffer>;
    const blob = await new Response(new Blob([packed]).stream().pipeThrough(new CompressionStream('gzip'))).blob();
    self.postMessage({ id, blob });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
};
