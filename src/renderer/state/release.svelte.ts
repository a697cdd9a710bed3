/**
 * Which version of Loop Lab this is, whether it just changed ("Updated to x.y", until the
 * learner dismisses it), and whether the browser edition is kept for offline use.
 */
import { browserStorage } from '../lib/storage';
import { keepForOffline, type OfflineState } from '../lib/offline-cache';
import { versionNoteAtStart } from '../lib/version-note';

export class Release {
  readonly version: string = import.meta.env.LOOPLAB_VERSION;
  #note = $state<string | null>(null);
  #offline = $state<OfflineState>('not-needed');

  /** `startOver`: settles once the page's own start is done (see keepForOffline). */
  constructor(startOver?: Promise<unknown>) {
    this.#note = versionNoteAtStart(this.version, browserStorage());
    keepForOffline((state) => {
      this.#offline = state;
    }, startOver);
  }

  /** "Updated to x.y" after a start on a new version; null otherwise or once dismissed. */
  get note(): string | null {
    return this.#note;
  }

  get offline(): OfflineState {
    return this.#offline;
  }

  dismissNote(): void {
    this.#note = null;
  }
}
