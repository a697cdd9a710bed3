/**
 * The scratchpad: a free program outside the lessons, for learners who want to experiment. It
 * starts as the tutorial's even/odd printers; what the learner runs there is kept (in
 * localStorage) for the next visit, and "Reset to original" brings the starter back.
 */
// The starter is lesson 2's program (the tutorial's printers), not a copy of it.
import starter from '../../../lessons/02-two-printers/main.py?raw';
import type { Program } from '../state/session.svelte';

export const SCRATCHPAD_KEY = 'scratchpad';
const STORAGE_KEY = 'loop-lab:scratchpad';

export const SCRATCHPAD: Program = {
  key: SCRATCHPAD_KEY,
  title: 'Scratchpad',
  summary:
    'Your own program, outside the lessons: change it, press Run, and watch the loop run it. ' +
    'It starts as the tutorial’s even and odd printers; what you run here is kept for next time.',
  filename: 'scratchpad.py',
  source: starter,
};

interface Saved {
  filename: string;
  source: string;
}

/** What the learner last ran in the scratchpad, if anything. */
export function savedScratchpad(): Saved | null {
  try {
    const raw = globalThis.localStorage?.getItem(STORAGE_KEY);
    const value: unknown = raw ? JSON.parse(raw) : null;
    if (typeof value !== 'object' || value === null) return null;
    const { filename, source } = value as Partial<Saved>;
    return typeof filename === 'string' && typeof source === 'string' ? { filename, source } : null;
  } catch {
    return null;
  }
}

export function saveScratchpad(filename: string, source: string): void {
  try {
    globalThis.localStorage?.setItem(STORAGE_KEY, JSON.stringify({ filename, source }));
  } catch {
    // Storage refused or full: the scratchpad lasts this session.
  }
}
