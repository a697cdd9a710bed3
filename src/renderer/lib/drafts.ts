/**
 * The learner's unsaved edits to the lessons' programs, kept per program (its key) in
 * localStorage: opening another lesson, reloading or restarting the app loses nothing, and
 * "Reset to original" is what forgets an edit.
 */
import type { StorageLike } from '../../lessons/progress';

/** Where the session keeps and finds edits. */
export interface DraftStore {
  /** The edited source of a program, if the learner left one. */
  load(key: string): string | null;
  /** Keeps an edit; `null` forgets it (the code is back to the original). */
  save(key: string, source: string | null): void;
  /** How many programs have an edit kept. */
  count(): number;
  /** Forgets every edit. */
  clear(): void;
}

const STORAGE_KEY = 'loop-lab:drafts';
/** A draft longer than this is kept for the session only (storage is small and shared). */
const MAX_STORED_CHARS = 200_000;

type Drafts = Record<string, string>;

function parse(raw: string | null): Drafts {
  try {
    const value: unknown = raw ? JSON.parse(raw) : null;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
    const drafts: Drafts = {};
    for (const [key, source] of Object.entries(value)) if (typeof source === 'string') drafts[key] = source;
    return drafts;
  } catch {
    return {};
  }
}

/** Drafts in `storage` (localStorage in the app); in memory only where there is none. */
export function storedDrafts(storage: StorageLike | null, accepts: (key: string) => boolean = () => true): DraftStore {
  const drafts: Drafts = parse(readSafely(storage));
  const persist = (): void => {
    if (!storage) return;
    const small = Object.fromEntries(Object.entries(drafts).filter(([, source]) => source.length <= MAX_STORED_CHARS));
    try {
      storage.setItem(STORAGE_KEY, JSON.stringify(small));
    } catch {
      // Storage refused or full: the drafts last this session.
    }
  };
  return {
    load: (key) => (accepts(key) ? (drafts[key] ?? null) : null),
    save: (key, source) => {
      if (!accepts(key)) return;
      if (source === null) {
        if (!(key in drafts)) return;
        delete drafts[key];
      } else {
        if (drafts[key] === source) return;
        drafts[key] = source;
      }
      persist();
    },
    count: () => Object.keys(drafts).length,
    clear: () => {
      for (const key of Object.keys(drafts)) delete drafts[key];
      persist();
    },
  };
}

function readSafely(storage: StorageLike | null): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}
