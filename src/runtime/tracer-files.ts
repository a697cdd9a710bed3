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

/** The tracer's fingerprint as the build computed it (build/runtime-id.ts: a SHA-256 of these very files); undefined for code run unbuilt. */
declare const __LOOPLAB_TRACER_FINGERPRINT__: string | undefined;

/**
 * A fingerprint of the tracer's sources, as hex: what a snapshot is checked against as it is
 * restored (engine.ts). A snapshot's file or storage key is named for the runtime that made it,
 * but a name is not its contents: a newcomer's snapshot of the build before, copied over this
 * build's name, was restored with the old tracer inside it (a `select.select` that moved no
 * clock).
 *
 * A build computes it once, as it bundles these files (a SHA-256 over each file's name and
 * text, in name order: build/runtime-id.ts); only code run unbuilt or by Vite's dev server
 * computes one here (FNV-1a, 32 bits, over the same). Computed here, it cost every
 * interpreter's start the hashing of ~350 kB of text in a fresh worker, where the loop runs
 * interpreted: 32 ms in a fresh Node process, and 69 ms of a warm browser start's worker thread
 * in a Chromium profile (2 cores, loaded), against 2.5 ms once V8 has optimised it.
 */
export function tracerFingerprint(): string {
  fingerprint ??=
    // Vite's dev server (`npm run dev`) reloads the tracer's files as they change, its define
    // never: there the fingerprint is of the files as they are now. (Vitest's is the build's: its
    // tests restore snapshots the built runtime made.)
    typeof __LOOPLAB_TRACER_FINGERPRINT__ !== 'undefined' && !(import.meta.env.DEV && import.meta.env.MODE !== 'test')
      ? __LOOPLAB_TRACER_FINGERPRINT__
      : fnv1a(Object.entries(TRACER_FILES).map(([name, text]) => `${name}\0${text}\0`));
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
