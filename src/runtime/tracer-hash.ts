/**
 * A SHA-256 of the tracer package's sources (src/runtime/python/_looplab/*.py): part of the
 * runtime's identity at build time (build/runtime-id.ts), and the name of the tests' snapshot
 * when code runs from source, without one (snapshot-file.ts). Node only.
 */
import { createHash, type Hash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Feeds each `.py` file of `dir` to `hash`, in name order: its name, a NUL, its bytes, a NUL. Throws if `dir` cannot be read. */
export function hashTracerSources(hash: Hash, dir: string): Hash {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.py')).sort()) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(dir, file)));
    hash.update('\0');
  }
  return hash;
}

/** SHA-256 (hex) of the tracer's sources in `dir` alone. */
export function tracerSourcesHash(dir: string): string {
  return hashTracerSources(createHash('sha256'), dir).digest('hex');
}
