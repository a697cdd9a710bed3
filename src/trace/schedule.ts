/**
 * A loop's timer heap, or the tasks waiting, as the board replays it: entries ordered by a key
 * (a deadline in virtual seconds, Infinity for never), equal keys in the order they were added,
 * and found or taken out by an id (a handle id for a timer, a task id for a waiting task). An id
 * may have several entries (a forged trace can set the same handle twice); taking an id out
 * takes them all, as `Array.prototype.filter` would.
 *
 * Shape: a sorted array (from a head index on) and a binary min-heap of the entries added since
 * it was made; a taken-out entry is marked dead and dropped when met, or by a sweep once dead
 * entries outnumber live ones. Adding costs O(log n), taking out O(1) (amortised); the whole
 * ordered list (`entries()`) is made only when asked for, O(n + k log k) for k entries added
 * since, and kept until the next change; its first `most` entries (`head`) cost
 * O(most log most) (plus dead entries met), however many there are. So replaying a trace that
 * sets 50,000 timers and cancels them never sorts anything, and 50,000 sleeps, longest first,
 * cost one sort when the whole board is shown.
 */

import { IdTable } from './id-table';

interface Slot<E> {
  entry: E;
  /** Virtual seconds, Infinity for never. */
  key: number;
  /** The order it was added in: the tie-break between equal keys. */
  seq: number;
  live: boolean;
}

/** Slots merged in order before `a` comes `b`: by key, then by the order they were added. */
function before<E>(a: Slot<E>, b: Slot<E>): boolean {
  return a.key < b.key || (a.key === b.key && a.seq < b.seq);
}

/**
 * The live slots of `sorted` from index `from` on, merged in order with `added` (in order, all
 * live): at most `most` of them.
 */
function mergeLive<E>(sorted: readonly Slot<E>[], from: number, added: readonly Slot<E>[], most = Infinity): Slot<E>[] {
  const merged: Slot<E>[] = [];
  let i = from;
  let j = 0;
  while (merged.length < most && (i < sorted.length || j < added.length)) {
    const a = sorted[i];
    if (a && !a.live) {
      i++;
      continue;
    }
    const b = added[j];
    if (a && (!b || before(a, b))) {
      merged.push(a);
      i++;
    } else {
      merged.push(b!);
      j++;
    }
  }
  return merged;
}

/** Below this many taken-out entries nothing is swept: a few dead slots cost nothing. */
const SWEEP_FLOOR = 64;

export class Schedule<E> {
  #seq = 0;
  #count = 0;
  /** Id -> its live slot (the usual case: one), or its live slots, the first in order (key, then seq) at index 0. */
  #byId = new IdTable<Slot<E> | Slot<E>[]>();
  /** In order (key, then seq) from `#head` on; may hold taken-out slots. */
  #sorted: Slot<E>[] = [];
  /** No live slot of `#sorted` lies before this index. */
  #head = 0;
  /** Added since `#sorted` was last made: a binary min-heap by (key, seq); may hold taken-out slots. */
  #pending: Slot<E>[] = [];
  /** Taken-out slots still in `#sorted` or `#pending`. */
  #dead = 0;
  #view: readonly E[] | null = null;

  /** Number of entries. */
  get size(): number {
    return this.#count;
  }

  /** Adds an entry under `id`, at `key` (virtual seconds; Infinity for never). */
  add(id: number, key: number, entry: E): void {
    const slot: Slot<E> = { entry, key, seq: this.#seq++, live: true };
    this.#hold(id, slot);
    this.#heapPush(slot);
    this.#count++;
    this.#view = null;
  }

  /**
   * Adds an entry under `id` at `key`, as `add` does, where every entry so far was added with
   * `addInOrder` and none had a later key (a board copied from its ordered lists, soonest
   * first): appended to the sorted array, O(1), where `add` pushes it onto the heap, sorted when
   * the order is next read. Falls back to `add` otherwise.
   */
  addInOrder(id: number, key: number, entry: E): void {
    const last = this.#sorted[this.#sorted.length - 1];
    if (this.#pending.length > 0 || this.#dead > 0 || this.#head > 0 || (last !== undefined && last.key > key)) {
      this.add(id, key, entry);
      return;
    }
    const slot: Slot<E> = { entry, key, seq: this.#seq++, live: true };
    this.#hold(id, slot);
    this.#sorted.push(slot);
    this.#count++;
    this.#view = null;
  }

  /**
   * Puts `change(entry)` in place of the first entry under `id` in the order `entries()` gives
   * (O(1)), keeping
   * its place in the order; does nothing if there is none. Entries are never changed in place,
   * so that lists handed out before (`entries()`, a board's copy) keep what they had.
   */
  replaceFirst(id: number, change: (entry: E) => E): void {
    const held = this.#byId.get(id);
    if (held === undefined) return;
    // The first is kept at index 0 (#hold): O(1), where finding it cost O(entries under the id),
    // and a forged trace setting one handle 40,000 times, then sleeping on it as often, took 11.6 s to index.
    const slot: Slot<E> = Array.isArray(held) ? held[0]! : held;
    slot.entry = change(slot.entry);
    this.#view = null;
  }

  /** `count` entries are about to be added (a board copied), their ids in any order. */
  expect(count: number): void {
    this.#byId.expect(count);
  }

  /** Takes out every entry under `id`; returns how many there were. */
  removeAll(id: number): number {
    const held = this.#byId.get(id);
    if (held === undefined) return 0;
    this.#byId.delete(id);
    const slots = Array.isArray(held) ? held : [held];
    for (const slot of slots) slot.live = false;
    this.#count -= slots.length;
    this.#dead += slots.length;
    this.#view = null;
    // Sweep once dead slots outnumber live ones, so memory stays O(entries) when nothing reads the order.
    if (this.#dead > SWEEP_FLOOR && this.#dead > this.#count) this.#settle();
    return slots.length;
  }

  /** Empties it. */
  clear(): void {
    this.#byId.clear();
    this.#sorted = [];
    this.#head = 0;
    this.#pending = [];
    this.#count = 0;
    this.#dead = 0;
    this.#view = null;
  }

  /** Every entry, soonest key first, equal keys in the order added: an array of its own. */
  entries(): readonly E[] {
    if (this.#view === null) {
      this.#settle();
      this.#view = this.#sorted.map((slot) => slot.entry);
    }
    return this.#view;
  }

  /**
   * The first `most` entries in the order `entries()` gives, without making the whole list:
   * the live slots from the sorted array's head, merged with the `most` smallest of the heap
   * (found by walking it from its root, a candidate heap of its indices).
   */
  head(most: number): E[] {
    if (this.#view !== null) return this.#view.slice(0, most);
    // Dead slots at the front of either are dropped for good.
    const sorted = this.#sorted;
    while (this.#head < sorted.length && !sorted[this.#head]!.live) {
      this.#head++;
      this.#dead--;
    }
    const pending = this.#pending;
    while (pending.length > 0 && !pending[0]!.live) {
      this.#heapPop();
      this.#dead--;
    }
    const added: Slot<E>[] = [];
    const candidates: number[] = pending.length > 0 ? [0] : [];
    const lower = (i: number, j: number): boolean => before(pending[i]!, pending[j]!);
    // Taken-out slots met on the way: past SWEEP_FLOOR, they are swept (#settle) and the head read
    // from what is left. Else each call walked them all again: a forged trace leaving 10,000 of
    // them among 10,000 waiting tasks made `loop-lab trace --format text` 81 s instead of 2 s.
    let met = 0;
    while (candidates.length > 0 && added.length < most) {
      const at = heapPop(candidates, lower);
      const slot = pending[at]!;
      if (slot.live) added.push(slot);
      else if (++met > SWEEP_FLOOR) return this.#settledHead(most);
      for (const child of [2 * at + 1, 2 * at + 2]) if (child < pending.length) heapPush(candidates, child, lower);
    }
    const merged: Slot<E>[] = [];
    for (let i = this.#head, j = 0; merged.length < most && (i < sorted.length || j < added.length); ) {
      const a = sorted[i];
      if (a && !a.live) {
        if (++met > SWEEP_FLOOR) return this.#settledHead(most);
        i++;
        continue;
      }
      const b = added[j];
      if (a && (!b || before(a, b))) (merged.push(a), i++);
      else (merged.push(b!), j++);
    }
    return merged.map((slot) => slot.entry);
  }

  /** The first `most` entries once every taken-out slot is swept: each sweep drops more than SWEEP_FLOOR of them, so sweeps are at most one per SWEEP_FLOOR removals. */
  #settledHead(most: number): E[] {
    this.#settle();
    return this.#sorted.slice(0, most).map((slot) => slot.entry);
  }

  /** Files `slot` under `id`; of several, the first in order (key, then seq) stays at index 0, as slots are only ever taken out all at once (removeAll). */
  #hold(id: number, slot: Slot<E>): void {
    const held = this.#byId.get(id);
    if (held === undefined) this.#byId.set(id, slot);
    else if (!Array.isArray(held)) this.#byId.set(id, before(slot, held) ? [slot, held] : [held, slot]);
    else if (before(slot, held[0]!)) held.push(held[0]!), (held[0] = slot);
    else held.push(slot);
  }

  /** Sorts the pending slots into the sorted ones, dropping every taken-out slot. */
  #settle(): void {
    if (this.#pending.length === 0 && this.#dead === 0 && this.#head === 0) return;
    const added = this.#pending.filter((slot) => slot.live).sort((a, b) => (before(a, b) ? -1 : 1));
    this.#sorted = mergeLive(this.#sorted, this.#head, added);
    this.#head = 0;
    this.#pending = [];
    this.#dead = 0;
  }

  #heapPush(slot: Slot<E>): void {
    heapPush(this.#pending, slot, before);
  }

  #heapPop(): void {
    heapPop(this.#pending, before);
  }
}

/** Pushes `value` onto a binary min-heap ordered by `lower`. */
function heapPush<T>(heap: T[], value: T, lower: (a: T, b: T) => boolean): void {
  let at = heap.push(value) - 1;
  while (at > 0) {
    const parent = (at - 1) >> 1;
    if (!lower(heap[at]!, heap[parent]!)) break;
    const swap = heap[at]!;
    heap[at] = heap[parent]!;
    heap[parent] = swap;
    at = parent;
  }
}

/** Takes the least value off a non-empty binary min-heap ordered by `lower`, and returns it. */
function heapPop<T>(heap: T[], lower: (a: T, b: T) => boolean): T {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      const right = left + 1;
      let least = at;
      if (left < heap.length && lower(heap[left]!, heap[least]!)) least = left;
      if (right < heap.length && lower(heap[right]!, heap[least]!)) least = right;
      if (least === at) break;
      const swap = heap[at]!;
      heap[at] = heap[least]!;
      heap[least] = swap;
      at = least;
    }
  }
  return top;
}
