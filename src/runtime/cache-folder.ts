/**
 * Files kept in a cache folder (the CLI's `~/.cache/loop-lab`, the desktop app's user-data
 * folder, the tests' temporary one): written whole or not at all, marked when used, and other
 * versions' files removed once unused for a while. Used by the interpreter snapshot
 * (snapshot-file.ts) and the CLI's compiled code of Pyodide (pyodide-code-cache.ts).
 */
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { threadId } from 'node:worker_threads';

/** Days after its last use past which another build's file is removed. */
export const STALE_DAYS = 7;

/**
 * Writes `data` to `path` through a temporary file and a rename, so that two processes (or two
 * worker threads) starting at once never read half a file. The temporary file is named
 * `<path>.<pid>-<thread>-<ms>.tmp`: a `removeUnused` pattern for `path`'s kind should match it.
 */
export function writeWhole(path: string, data: Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}-${threadId}-${Date.now()}.tmp`;
  try {
    writeFileSync(temporary, data);
    renameSync(temporary, path);
  } catch (error) {
    // Nothing half-written is left behind (a newcomer's: with a folder where the snapshot
    // goes, every run left a 6 MB temporary file).
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** Marks a file used now (its modified time), so that another version's clean-up leaves it be. */
export function markUsed(path: string): void {
  const now = new Date();
  utimesSync(path, now, now);
}

/**
 * Removes the files of `dir` whose names match `pattern`, other than `keep`, unused for
 * STALE_DAYS (best effort: a file in use stays, an unreadable folder is left alone).
 */
export function removeUnused(dir: string, pattern: RegExp, keep: string): void {
  const before = Date.now() - STALE_DAYS * 24 * 3600 * 1000;
  try {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (!pattern.test(name) || path === keep) continue;
      if (statSync(path).mtimeMs < before) rmSync(path, { force: true });
    }
  } catch {
    // An unreadable folder or a file gone meanwhile: nothing to clean up now.
  }
}
