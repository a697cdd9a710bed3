/**
 * The notice after a pack opens (src/renderer/state/packs.svelte.ts openedNotice): a pack with
 * problems never opens with a plain green "Opened": it says how many problems, and where.
 */
import { describe, expect, it } from 'vitest';
import { openedNotice } from '../src/renderer/state/packs.svelte';

describe('the notice after a pack opens', () => {
  const opened = { verb: 'Opened', id: 'p1', title: 'A broken pack', lessons: 5 };

  it('is green with the lessons while no problem is known', () => {
    expect(openedNotice(opened, 0)).toEqual({ tone: 'ok', text: 'Opened “A broken pack”: 5 lessons.', problems: [] });
    expect(openedNotice({ ...opened, lessons: 1, verb: 'Reloaded' }, 0).text).toBe('Reloaded “A broken pack”: 1 lesson.');
  });

  it('is a warning that counts the problems once there are any', () => {
    expect(openedNotice(opened, 5)).toEqual({
      tone: 'warn',
      text: 'Opened “A broken pack” (5 lessons) with 5 problems: see the list below.',
      problems: [],
    });
    expect(openedNotice(opened, 1).text).toBe('Opened “A broken pack” (5 lessons) with 1 problem: see the list below.');
  });
});
