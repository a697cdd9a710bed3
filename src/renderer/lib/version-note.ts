/**
 * The quiet note after an update: at a start where the app's version differs from the one
 * this computer last started, "Updated to x.y". The first start ever says nothing.
 */
import type { StorageLike } from '../../lessons';

const KEY = 'loop-lab:version';

/**
 * The note for this start (null when the version is the one last started, or on a first
 * start), and records this start's version so the next start says nothing.
 */
export function versionNoteAtStart(version: string, storage: StorageLike | null): string | null {
  let last: string | null = null;
  try {
    last = storage?.getItem(KEY) ?? null;
    if (last !== version) storage?.setItem(KEY, version);
  } catch {
    return null; // storage refused or full: no way to tell an update from a first start
  }
  return last !== null && last !== version ? `Updated to ${version}` : null;
}
