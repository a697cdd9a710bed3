/** The learner's edits (src/renderer/lib/drafts.ts): kept per program, across a restart, forgotten on reset. */
import { describe, expect, it } from 'vitest';
import { storedDrafts } from '../src/renderer/lib/drafts';
import { MemoryStorage } from './memory-storage';

describe('storedDrafts', () => {
  it('keeps each program’s edit apart, and across a restart', () => {
    const storage = new MemoryStorage();
    const drafts = storedDrafts(storage);
    drafts.save('lesson:a/main.py', 'print("a")\n');
    drafts.save('lesson:b/main.py', 'print("b")\n');
    const again = storedDrafts(storage);
    expect(again.load('lesson:a/main.py')).toBe('print("a")\n');
    expect(again.load('lesson:b/main.py')).toBe('print("b")\n');
    expect(again.load('lesson:c/main.py')).toBeNull();
  });

  it('forgets an edit when told (the code is back to the original)', () => {
    const storage = new MemoryStorage();
    const drafts = storedDrafts(storage);
    drafts.save('lesson:a/main.py', 'x = 1\n');
    drafts.save('lesson:a/main.py', null);
    expect(drafts.load('lesson:a/main.py')).toBeNull();
    expect(storedDrafts(storage).load('lesson:a/main.py')).toBeNull();
  });

  it('counts the programs with an edit, and forgets them all at once', () => {
    const storage = new MemoryStorage();
    const drafts = storedDrafts(storage);
    expect(drafts.count()).toBe(0);
    drafts.save('lesson:a/main.py', 'a = 1\n');
    drafts.save('lesson:b/main.py', 'b = 2\n');
    drafts.save('lesson:a/main.py', 'a = 3\n');
    expect(drafts.count()).toBe(2);
    drafts.clear();
    expect(drafts.count()).toBe(0);
    expect(drafts.load('lesson:b/main.py')).toBeNull();
    expect(storedDrafts(storage).count()).toBe(0);
  });

  it('leaves alone the programs it does not accept', () => {
    const storage = new MemoryStorage();
    const drafts = storedDrafts(storage, (key) => key !== 'scratchpad');
    drafts.save('scratchpad', 'y = 2\n');
    expect(drafts.load('scratchpad')).toBeNull();
    expect(storage.data.size).toBe(0);
  });

  it('keeps a huge edit for the session only', () => {
    const storage = new MemoryStorage();
    const drafts = storedDrafts(storage);
    const huge = '#'.repeat(300_000);
    drafts.save('lesson:a/main.py', huge);
    drafts.save('lesson:b/main.py', 'small = True\n');
    expect(drafts.load('lesson:a/main.py')).toBe(huge);
    const again = storedDrafts(storage);
    expect(again.load('lesson:a/main.py')).toBeNull();
    expect(again.load('lesson:b/main.py')).toBe('small = True\n');
  });

  it('survives storage that is full, missing, or holds rubbish', () => {
    const full = new MemoryStorage();
    full.full = true;
    const drafts = storedDrafts(full);
    expect(() => drafts.save('lesson:a/main.py', 'z = 3\n')).not.toThrow();
    expect(drafts.load('lesson:a/main.py')).toBe('z = 3\n');

    const none = storedDrafts(null);
    none.save('lesson:a/main.py', 'w = 4\n');
    expect(none.load('lesson:a/main.py')).toBe('w = 4\n');

    for (const rubbish of ['not json', '[1,2]', '{"lesson:a/main.py": 5}', 'null']) {
      const storage = new MemoryStorage();
      storage.data.set('loop-lab:drafts', rubbish);
      expect(storedDrafts(storage).load('lesson:a/main.py')).toBeNull();
    }
  });
});
