/**
 * A table of values by id (a task id, a handle id), for the board's indexes. The tracer numbers
 * tasks and handles from 0, so an id is kept in an array at its own index, where a Map's hashing
 * and growth made copying a board of 50,000 waiting tasks and timers (a far jump of the player,
 * BoardIndex.at) take ~25% longer (bench/board-cost.ts). The array grows to an id only while it
 * stays within twice the values set here or said to be coming (`expect`), and 16: any other
 * id (a forged trace may hold ids far apart, or negative) goes in a Map, so memory and time stay
 * O(what is set) either way. The slack is small because a board holds one table per loop (each
 * loop's timers): a slack of 1,024 let a forged trace of 100,000 loops, each given one timer of
 * handle 1,026 (5 MB of JSON), take 1.3 GB and 20 s to open at its end, where a Map took 256 MB.
 */

/** Slots the array may have beyond twice the values set or expected: paid per table, and a board has one per loop. */
const SLACK = 16;

export class IdTable<V> {
  /** Values by id, at their index (undefined: not here). */
  #dense: (V | undefined)[] = [];
  /** Ids the array did not take; one may be in both, the array's the newer. */
  #sparse: Map<number, V> | null = null;
  /** Values set so far, and expected: what the array may grow to (twice this, and SLACK). */
  #sets = 0;

  /** `count` values are about to be set (a board copied): the array may grow to hold them, in whatever order their ids come. */
  expect(count: number): void {
    this.#sets += count;
  }

  /** Slots the array has (ids kept at their index): at most twice the values set or expected, and 16. */
  get arraySlots(): number {
    return this.#dense.length;
  }

  get(id: number): V | undefined {
    const value = id >= 0 && id < this.#dense.length ? this.#dense[id] : undefined;
    return value !== undefined || this.#sparse === null ? value : this.#sparse.get(id);
  }

  set(id: number, value: V): void {
    this.#sets++;
    const dense = this.#dense;
    if (Number.isInteger(id) && id >= 0 && (id < dense.length || id <= 2 * this.#sets + SLACK)) {
      // Filled up to `id` first, so that the array stays a list (a sparse one is a dictionary).
      while (dense.length < id) dense.push(undefined);
      dense[id] = value;
    } else {
      (this.#sparse ??= new Map()).set(id, value);
    }
  }

  delete(id: number): void {
    if (id >= 0 && id < this.#dense.length) this.#dense[id] = undefined;
    this.#sparse?.delete(id);
  }

  clear(): void {
    this.#dense = [];
    this.#sparse = null;
    this.#sets = 0;
  }
}
