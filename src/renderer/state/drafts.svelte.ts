/**
 * The learner's edits to the lessons' programs (src/renderer/lib/drafts.ts underneath), with
 * how many there are as reactive state, for "Reset progress" to offer putting them back.
 */
import { type DraftStore, storedDrafts } from '../lib/drafts';
import { browserStorage } from '../lib/storage';

export class Drafts implements DraftStore {
  readonly #store: DraftStore;
  #count = $state(0);

  /** Keeps the edits of the programs `accepts` lets through, in the browser's storage. */
  constructor(accepts: (key: string) => boolean) {
    this.#store = storedDrafts(browserStorage(), accepts);
    this.#count = this.#store.count();
  }

  load(key: string): string | null {
    return this.#store.load(key);
  }

  save(key: string, source: string | null): void {
    this.#store.save(key, source);
    this.#count = this.#store.count();
  }

  count(): number {
    return this.#count;
  }

  clear(): void {
    this.#store.clear();
    this.#count = 0;
  }
}
