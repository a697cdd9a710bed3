/** The browser's localStorage, where the page may use it (a locked-down browser may refuse it). */
import type { StorageLike } from '../../lessons';

export function browserStorage(): StorageLike | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage refused: what would be kept lasts this session
  }
}
