/**
 * The stream of `gzipped` inflated, refused (the stream errors) past `maxBytes`. For a kept
 * snapshot (snapshot-codec-worker.ts): a copy of an interpreter's memory is never larger than
 * its cap, and a gzip that inflates further is damage or a bomb (a few kB of gzip can inflate to
 * gigabytes), refused before it is all in memory.
 */
export function inflatedAtMost(gzipped: Blob, maxBytes: number): ReadableStream<Uint8Array> {
  let total = 0;
  return gzipped
    .stream()
    .pipeThrough(new DecompressionStream('gzip'))
    .pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          total += chunk.length;
          if (total > maxBytes) throw new Error(`the snapshot inflates past ${maxBytes} bytes`);
          controller.enqueue(chunk);
        },
      }),
    );
}
