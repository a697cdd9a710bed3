/**
 * Gzips and gunzips the interpreter snapshot (31.5 MB raw) off the page's main thread: the
 * browser's CompressionStream does its work on the thread that reads the stream, and on the
 * page that held up a frame for a second or more. One request per message:
 * `{ id, op: 'gzip' | 'gunzip', bytes }` → `{ id, bytes }` or `{ id, error }`.
 */
interface CodecRequest {
  id: number;
  op: 'gzip' | 'gunzip';
  bytes: Uint8Array<ArrayBuffer>;
}

self.onmessage = async (event: MessageEvent<CodecRequest>) => {
  const { id, op, bytes } = event.data;
  try {
    const transform = op === 'gzip' ? new CompressionStream('gzip') : new DecompressionStream('gzip');
    const out = new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(transform)).arrayBuffer());
    self.postMessage({ id, bytes: out }, { transfer: [out.buffer] });
  } catch (error) {
    self.postMessage({ id, error: String(error) });
  }
};
