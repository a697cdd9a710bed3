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
 * The tracer's modules' bytecode: `.pyc` bytes by module file name (`runner.py`), with the
 * cache tag they are filed under; null when the build has none or it cannot be loaded (the
 * modules are then compiled from source: slower, the same in every other way).
 */
export async function tracerBytecode(): Promise<{ cacheTag: string; files: Map<string, Uint8Array> } | null> {
  const load = Object.values(built)[0];
  if (load === undefined) return null;
  try {
    const { cacheTag, files } = await load();
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
