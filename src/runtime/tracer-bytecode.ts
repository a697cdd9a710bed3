/**
 * The tracer's bytecode as the build compiled it (out/pyodide/tracer-bytecode.json:
 * scripts/compile-tracer.ts), for an interpreter that starts cold. A chunk of its own, loaded
 * only then: a restored interpreter has the tracer imported already, and its start never
 * fetches these ~550 kB.
 */
import type { TracerBytecode } from './tracer-place';

// Made by every build and test configuration (build/runtime-id.ts); absent, the tracer is
// compiled from source as it is imported, as before.
const built = import.meta.glob<TracerBytecode>('../../out/pyodide/tracer-bytecode.json', { import: 'default' });

/**
 * How long a cold start waits for the bytecode's chunk once Python has loaded, before it
 * compiles the tracer from source instead (ms). Its load begins as Python's does and comes in a
 * few ms from the disk or the service worker; on a first visit it comes over the network, and
 * one that stalled held the start until the supervisor gave up on it (60 s: a reviewer's
 * finding, the kind HTTP_CACHE_WAIT_MS answers for the worker's script and the WebAssembly).
 */
export const BYTECODE_WAIT_MS = 3000;

/** The tracer's modules' `.pyc` bytes by module file name (`runner.py`), and the cache tag they are filed under. */
export interface TracerBytecodeFiles {
  cacheTag: string;
  files: Map<string, Uint8Array>;
}

/**
 * Begins loading the tracer's bytecode. Resolves with it, or null when the build has none or
 * it cannot be loaded or read (the modules are then compiled from source: slower, the same in
 * every other way); never rejects.
 */
export async function tracerBytecode(): Promise<TracerBytecodeFiles | null> {
  const load = Object.values(built)[0];
  if (load === undefined) return null;
  try {
    const { cacheTag, files } = await load();
    if (typeof cacheTag !== 'string') return null;
    const decoded = new Map<string, Uint8Array>();
    for (const [name, base64] of Object.entries(files)) {
      const text = atob(base64);
      const bytes = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
      decoded.set(name, bytes);
    }
    return { cacheTag, files: decoded };
  } catch {
    return null;
  }
}

/** What `pending` (a `tracerBytecode()`) gives within `waitMs` from now, else null. */
export async function bytecodeWithin(pending: Promise<TracerBytecodeFiles | null>, waitMs = BYTECODE_WAIT_MS): Promise<TracerBytecodeFiles | null> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), waitMs)));
  try {
    return await Promise.race([pending, late]);
  } finally {
    clearTimeout(timer);
  }
}
