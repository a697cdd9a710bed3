/**
 * src/trace/id-table.ts: the board's table of values by id behaves as a Map does for any id a
 * trace may hold (numbered from 0, far apart, negative, fractional), and its array never grows
 * past twice what was set or expected (a forged trace's id of 4,000,000 is not 4 million slots).
 */
import { describe, expect, it } from 'vitest';
import { IdTable } from '../src/trace/id-table';
import { seeded } from './seeded-random';

describe('IdTable', () => {
  it('answers as a Map does, over random sets, deletes and clears of any ids', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seeded(seed);
      const ids = [0, 1, 2, 3, 5, 8, 100, 1023, 1024, 5000, 4_000_000, 2 ** 31 - 1, -1, -7, 1.5, -0];
      const id = (): number => (random() < 0.6 ? Math.floor(random() * 3000) : ids[Math.floor(random() * ids.length)]!);
      const table = new IdTable<number>();
      const reference = new Map<number, number>();
      for (let step = 0; step < 4000; step++) {
        const roll = random();
        const key = id();
        if (roll < 0.55) {
          table.set(key, step);
          reference.set(key, step);
        } else if (roll < 0.9) {
          table.delete(key);
          reference.delete(key);
        } else if (roll < 0.901) {
          table.clear();
          reference.clear();
        } else if (roll < 0.95) {
          table.expect(Math.floor(random() * 50));
        }
        const probe = id();
        expect(table.get(probe), `seed ${seed}, step ${step}, id ${probe}`).toBe(reference.get(probe));
        expect(table.get(key), `seed ${seed}, step ${step}, id ${key}`).toBe(reference.get(key));
      }
    }
  });

  it('keeps far-apart ids out of its array, and takes ids in any order once they are expected', () => {
    const far = new IdTable<string>();
    far.set(4_000_000, 'far');
    far.set(2 ** 31 - 1, 'farther');
    far.set(3, 'near');
    expect(far.arraySlots).toBeLessThanOrEqual(16 + 2 * 3);
    expect([far.get(4_000_000), far.get(2 ** 31 - 1), far.get(3), far.get(4)]).toEqual(['far', 'farther', 'near', undefined]);

    // A board's 50,000 waiting tasks copied soonest first: the highest ids come first.
    const copied = new IdTable<number>();
    copied.expect(50_000);
    for (let task = 50_000; task >= 1; task--) copied.set(task, task * 2);
    expect(copied.arraySlots).toBe(50_001);
    expect([copied.get(1), copied.get(50_000), copied.get(0)]).toEqual([2, 100_000, undefined]);

    const unexpected = new IdTable<number>();
    for (let task = 50_000; task >= 1; task--) unexpected.set(task, task);
    expect(unexpected.arraySlots).toBeLessThanOrEqual(2 * 50_000 + 16);
    expect(unexpected.get(50_000)).toBe(50_000);
  });

  it('gives a table holding one value a few slots, whatever its id: a board has a table per loop (atk1)', () => {
    // A forged trace of 100,000 loops, each with one timer of handle 1,026: with 1,024 slots of
    // slack per table, the board took 1.3 GB (a Map's took 256 MB).
    for (const id of [0, 17, 1026, 4_000_000]) {
      const one = new IdTable<number>();
      one.set(id, 1);
      expect(one.arraySlots, `id ${id}`).toBeLessThanOrEqual(2 * 1 + 16 + 1);
      expect(one.get(id)).toBe(1);
    }
  });
});
