/** A StorageLike kept in memory, for the tests of what the app keeps in localStorage. */
import type { StorageLike } from '../src/lessons/progress';

export class MemoryStorage implements StorageLike {
  readonly data = new Map<string, string>();
  /** When set, setItem throws, as a full localStorage does. */
  full = false;
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    if (this.full) throw new Error('QuotaExceededError');
    this.data.set(key, value);
  }
  removeItem(key: string): void {
    this.data.delete(key);
  }
}
