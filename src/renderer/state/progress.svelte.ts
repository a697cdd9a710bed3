/**
 * The learner's progress (lessons finished, checkpoints passed) as reactive state: a
 * ProgressStore over localStorage underneath (src/lessons/progress.ts), so it survives a reload
 * and a restart, and a snapshot the navigator and the lesson pane read.
 */
import { type ProgressData, ProgressStore, type StorageLike } from '../../lessons';
import { browserStorage } from '../lib/storage';

export class Progress {
  readonly #store: ProgressStore;
  #data = $state.raw<ProgressData>({ version: 1, finished: [], checkpoints: {} });

  constructor(storage: StorageLike | null = browserStorage()) {
    this.#store = new ProgressStore(storage);
    this.#data = this.#store.snapshot();
    this.#store.subscribe((data) => (this.#data = data));
  }

  get data(): ProgressData {
    return this.#data;
  }

  isFinished(slug: string): boolean {
    return this.#data.finished.includes(slug);
  }

  hasPassed(slug: string, stopId: string): boolean {
    return this.#data.checkpoints[slug]?.includes(stopId) ?? false;
  }

  markPassed(slug: string, stopId: string): void {
    this.#store.markPassed(slug, stopId);
  }

  markFinished(slug: string): void {
    this.#store.markFinished(slug);
  }

  /** Forgets everything. */
  reset(): void {
    this.#store.reset();
  }

  /** Forgets one lesson's progress (its pack was removed). */
  forget(slug: string): void {
    this.#store.reset(slug);
  }
}
