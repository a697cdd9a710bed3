/**
 * The tracer's Python package (src/runtime/python/_looplab), as text: the engine writes these
 * files into the interpreter's file system. Keyed by file name (`runner.py` …).
 */
const modules = import.meta.glob<string>('./python/_looplab/*.py', { query: '?raw', import: 'default', eager: true });

export const TRACER_FILES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(modules)
    .map(([path, text]) => [path.slice(path.lastIndexOf('/') + 1), text] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);

/**
 * A fingerprint of the tracer's sources (FNV-1a, 32 bits, over each file's name and text, in
 * name order), as hex: what a snapshot is checked against as it is restored (engine.ts). A
 * snapshot's file or storage key is named for the runtime that made it, but a name is not its
 * contents: a newcomer's snapshot of the build before, copied over this build's name, was
 * restored with the old tracer inside it (a `select.select` that moved no clock). Computed once,
 * ~1 ms for the package's ~250 kB of text.
 */
export function tracerFingerprint(): string {
  fingerprint ??= fnv1a(Object.entries(TRACER_FILES).map(([name, text]) => `${name}\0${text}\0`));
  return fingerprint;
}

let fingerprint: string | undefined;

function fnv1a(parts: string[]): string {
  let hash = 0x811c9dc5;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      hash ^= part.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
