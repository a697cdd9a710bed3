/**
 * The learner's progress: which lessons they finished and which checkpoints they passed, kept
 * across restarts in a Storage-like store (the app passes localStorage).
 *
 * Robust by design: a store that is missing, throws (private mode, quota), or holds text that
 * is not ours (corrupt JSON, a wrong shape, another version) gives empty progress, never an
 * error; progress still works in memory for the session.
 */

/** The part of the Web Storage interface the store uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem?(key: string): void;
}

/** The key the progress is kept under. A new format gets a new key. */
export const PROGRESS_KEY = 'loop-lab.progress.v1';

export interface ProgressData {
  version: 1;
  /** Slugs of finished lessons, in the order they were finished. */
  finished: string[];
  /** Lesson slug → ids of the checkpoints (stops) passed in it. */
  checkpoints: Record<string, string[]>;
}

function empty(): ProgressData {
  return { version: 1, finished: [], checkpoints: {} };
}

function strings(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return [...new Set(value.filter((v): v is string => typeof v === 'string' && v !== ''))];
}

/** Reads stored text into progress data; anything unexpected is dropped, never thrown. */
export function parseProgress(text: string | null): ProgressData {
  if (text === null) return empty();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return empty();
  }
  if (typeof raw !== 'object' || raw === null || (raw as { version?: unknown }).version !== 1) return empty();
  const record = raw as { finished?: unknown; checkpoints?: unknown };
  const checkpoints: Record<string, string[]> = {};
  if (typeof record.checkpoints === 'object' && record.checkpoints !== null && !Array.isArray(record.checkpoints)) {
    for (const [slug, ids] of Object.entries(record.checkpoints as Record<string, unknown>)) {
      const list = strings(ids);
      if (list.length > 0) checkpoints[slug] = list;
    }
  }
  return { version: 1, finished: strings(record.finished), checkpoints };
}

export class ProgressStore {
  private data: ProgressData;
  private readonly listeners = new Set<(data: ProgressData) => void>();

  constructor(private readonly storage: StorageLike | null = null) {
    let text: string | null = null;
    try {
      text = storage?.getItem(PROGRESS_KEY) ?? null;
    } catch {
      text = null;
    }
    this.data = parseProgress(text);
  }

  isFinished(slug: string): boolean {
    return this.data.finished.includes(slug);
  }

  markFinished(slug: string): void {
    if (this.isFinished(slug)) return;
    this.data.finished.push(slug);
    this.save();
  }

  hasPassed(slug: string, stopId: string): boolean {
    return this.data.checkpoints[slug]?.includes(stopId) ?? false;
  }

  markPassed(slug: string, stopId: string): void {
    if (this.hasPassed(slug, stopId)) return;
    (this.data.checkpoints[slug] ??= []).push(stopId);
    this.save();
  }

  /** Number of checkpoints passed in one lesson. */
  passedCount(slug: string): number {
    return this.data.checkpoints[slug]?.length ?? 0;
  }

  finishedCount(): number {
    return this.data.finished.length;
  }

  /** Forgets everything (one lesson's progress when `slug` is given). */
  reset(slug?: string): void {
    if (slug === undefined) this.data = empty();
    else {
      this.data.finished = this.data.finished.filter((s) => s !== slug);
      delete this.data.checkpoints[slug];
    }
    this.save();
  }

  /** A copy of the current progress. */
  snapshot(): ProgressData {
    return {
      version: 1,
      finished: this.data.finished.slice(),
      checkpoints: Object.fromEntries(Object.entries(this.data.checkpoints).map(([k, v]) => [k, v.slice()])),
    };
  }

  /** Calls `listener` after every change; returns a function that stops it. */
  subscribe(listener: (data: ProgressData) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private save(): void {
    try {
      this.storage?.setItem(PROGRESS_KEY, JSON.stringify(this.data));
    } catch {
      // Storage full or refused: keep the progress in memory for this session.
    }
    const copy = this.snapshot();
    for (const listener of this.listeners) listener(copy);
  }
}
