/** The progress store (src/lessons/progress.ts): kept across restarts, never broken by bad data. */
import { describe, expect, it } from 'vitest';
import { parseProgress, PROGRESS_KEY, ProgressStore, type StorageLike } from '../src/lessons/progress';
import { MemoryStorage } from './memory-storage';

describe('ProgressStore', () => {
  it('starts empty and keeps what is marked, across a restart', () => {
    const storage = new MemoryStorage();
    const first = new ProgressStore(storage);
    expect(first.finishedCount()).toBe(0);
    first.markFinished('await');
    first.markPassed('await', 'greet-pauses');
    first.markPassed('await', 'greet-pauses');
    first.markPassed('queue', 'shelf-full');
    first.markFinished('await');

    const second = new ProgressStore(storage);
    expect(second.isFinished('await')).toBe(true);
    expect(second.isFinished('queue')).toBe(false);
    expect(second.hasPassed('await', 'greet-pauses')).toBe(true);
    expect(second.hasPassed('await', 'shelf-full')).toBe(false);
    expect(second.passedCount('await')).toBe(1);
    expect(second.finishedCount()).toBe(1);
    expect(second.snapshot()).toEqual({ version: 1, finished: ['await'], checkpoints: { await: ['greet-pauses'], queue: ['shelf-full'] } });
    expect(JSON.parse(storage.getItem(PROGRESS_KEY)!)).toEqual(second.snapshot());
  });

  it('uses a versioned key', () => {
    expect(PROGRESS_KEY).toMatch(/v1$/);
  });

  it('resets one lesson or everything', () => {
    const storage = new MemoryStorage();
    const store = new ProgressStore(storage);
    store.markFinished('a');
    store.markPassed('a', 'x');
    store.markFinished('b');
    store.reset('a');
    expect(store.snapshot()).toEqual({ version: 1, finished: ['b'], checkpoints: {} });
    store.reset();
    expect(new ProgressStore(storage).snapshot()).toEqual({ version: 1, finished: [], checkpoints: {} });
  });

  it('tells subscribers about changes, with a copy', () => {
    const store = new ProgressStore(new MemoryStorage());
    const seen: number[] = [];
    const stop = store.subscribe((data) => {
      seen.push(data.finished.length);
      data.finished.push('tampered');
    });
    store.markFinished('a');
    store.markFinished('a'); // no change, no call
    stop();
    store.markFinished('b');
    expect(seen).toEqual([1]);
    expect(store.snapshot().finished).toEqual(['a', 'b']);
  });

  it.each([
    ['not JSON', '{oops'],
    ['JSON null', 'null'],
    ['an array', '[1,2]'],
    ['another version', JSON.stringify({ version: 2, finished: ['a'], checkpoints: {} })],
    ['no version', JSON.stringify({ finished: ['a'] })],
  ])('treats %s as no progress, and recovers on the next change', (_what, text) => {
    const storage = new MemoryStorage();
    storage.setItem(PROGRESS_KEY, text);
    const store = new ProgressStore(storage);
    expect(store.snapshot()).toEqual({ version: 1, finished: [], checkpoints: {} });
    store.markFinished('a');
    expect(new ProgressStore(storage).isFinished('a')).toBe(true);
  });

  it('keeps only the well-formed parts of a damaged record', () => {
    const text = JSON.stringify({
      version: 1,
      finished: ['a', 3, null, 'a', '', 'b'],
      checkpoints: { a: ['x', 7, 'x'], b: 'not a list', c: [], d: ['y'] },
    });
    expect(parseProgress(text)).toEqual({ version: 1, finished: ['a', 'b'], checkpoints: { a: ['x'], d: ['y'] } });
    expect(parseProgress(JSON.stringify({ version: 1, checkpoints: ['a'] }))).toEqual({ version: 1, finished: [], checkpoints: {} });
  });

  it('works in memory when there is no storage, or it refuses to read or write', () => {
    const none = new ProgressStore(null);
    none.markFinished('a');
    expect(none.isFinished('a')).toBe(true);

    const hostile: StorageLike = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    const store = new ProgressStore(hostile);
    store.markPassed('a', 'x');
    expect(store.hasPassed('a', 'x')).toBe(true);
  });
});
