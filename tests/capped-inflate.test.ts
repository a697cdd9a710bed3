/** A kept snapshot is inflated (for the page's later interpreters) only up to the engine's memory cap (src/runtime/capped-inflate.ts). */
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { inflatedAtMost } from '../src/runtime/capped-inflate';

const bytesOf = async (stream: ReadableStream<Uint8Array>): Promise<Uint8Array> => new Uint8Array(await new Response(stream).arrayBuffer());

describe('inflating a kept snapshot', () => {
  it('gives back what was gzipped, up to the cap', async () => {
    const original = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) % 251);
    const gzipped = new Blob([gzipSync(original)]);
    expect(await bytesOf(inflatedAtMost(gzipped, original.length))).toEqual(original);
  });

  it('refuses a gzip that inflates past the cap (a bomb: 64 MB of zeros in 64 kB), before it is all in memory', async () => {
    const bomb = new Blob([gzipSync(new Uint8Array(64 * 1024 * 1024), { level: 9 })]);
    expect(bomb.size).toBeLessThan(100_000);
    await expect(bytesOf(inflatedAtMost(bomb, 1024 * 1024))).rejects.toThrow(/inflates past 1048576 bytes/);
  });

  it('refuses what is not gzip', async () => {
    await expect(bytesOf(inflatedAtMost(new Blob(['not a snapshot']), 1024))).rejects.toThrow();
  });
});
