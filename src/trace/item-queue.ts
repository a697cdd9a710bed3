/**
 * A loop's ready queue (or the stack of steps paused under an eager task) as the board replays
 * it: first in, first out, and any item taken out by its id in O(1) amortised, the order of the
 * rest kept. An item may be in it more than once (a forged trace can push a task twice); taking
 * it out takes its first (oldest) occurrence, as `Array.prototype.findIndex` + `splice` would.
 *
 * Shape: an array of slots, a taken item's slot left empty (a tombstone) and the array
 * compacted once it holds more empty slots than items; per item id, the slots it is in, oldest
 * first. The ordered list (`items()`) is made when asked for and kept until the queue changes.
 */
import type { QueueItem } from '../shared/trace';

/** The slots one item id occupies, oldest first, from `head` on. */
interface Occurrences {
  slots: number[];
  head: number;
}

/** An item's id: a task and a callback of the same number are different items (kept in different maps). */
function idOf(item: QueueItem): number {
  return item.kind === 'task' ? item.task : item.callback;
}

/** Below this many slots the array is never compacted: a small queue's tombstones cost nothing. */
const COMPACT_FLOOR = 32;

export class ItemQueue {
  #slots: (QueueItem | null)[] = [];
  /** No item lies before this slot. */
  #head = 0;
  #count = 0;
  /** Task id -> its slot (the usual case: in the queue once) or its occurrences; handle id -> a callback's. */
  #tasks = new Map<number, number | Occurrences>();
  #callbacks = new Map<number, number | Occurrences>();
  #view: readonly QueueItem[] | null = null;

  /** Number of items in the queue. */
  get size(): number {
    return this.#count;
  }

  /** Appends an item at the tail. */
  push(item: QueueItem): void {
    const at = this.#mapOf(item);
    const id = idOf(item);
    const slot = this.#slots.length;
    const held = at.get(id);
    if (held === undefined) at.set(id, slot);
    else if (typeof held === 'number') at.set(id, { slots: [held, slot], head: 0 });
    else held.slots.push(slot);
    this.#slots.push(item);
    this.#count++;
    this.#view = null;
  }

  /** Takes the item's first occurrence out; false when it is not in the queue. */
  remove(item: QueueItem): boolean {
    const at = this.#mapOf(item);
    const id = idOf(item);
    const held = at.get(id);
    if (held === undefined) return false;
    let slot: number;
    if (typeof held === 'number') {
      slot = held;
      at.delete(id);
    } else {
      slot = held.slots[held.head++]!;
      if (held.head === held.slots.length) at.delete(id);
    }
    this.#slots[slot] = null;
    this.#count--;
    this.#view = null;
    while (this.#head < this.#slots.length && this.#slots[this.#head] === null) this.#head++;
    if (this.#slots.length > COMPACT_FLOOR && this.#slots.length > 2 * this.#count) this.#compact();
    return true;
  }

  /** Empties the queue. */
  clear(): void {
    this.#slots = [];
    this.#head = 0;
    this.#count = 0;
    this.#tasks.clear();
    this.#callbacks.clear();
    this.#view = null;
  }

  /** The items, head first: an array of its own, unchanged by later changes to the queue. */
  items(): readonly QueueItem[] {
    if (this.#view === null) {
      const view: QueueItem[] = [];
      for (let i = this.#head; i < this.#slots.length; i++) {
        const item = this.#slots[i];
        if (item) view.push(item);
      }
      this.#view = view;
    }
    return this.#view;
  }

  /** The first `most` items, head first, without making the whole list: O(most + empty slots met). */
  head(most: number): QueueItem[] {
    if (this.#view !== null) return this.#view.slice(0, most);
    const first: QueueItem[] = [];
    for (let i = this.#head; i < this.#slots.length && first.length < most; i++) {
      const item = this.#slots[i];
      if (item) first.push(item);
    }
    return first;
  }

  #mapOf(item: QueueItem): Map<number, number | Occurrences> {
    return item.kind === 'task' ? this.#tasks : this.#callbacks;
  }

  /** Drops the empty slots and renumbers the occurrences: O(items), once per as many removals. */
  #compact(): void {
    const items = this.items();
    const view = this.#view;
    this.clear();
    for (const item of items) this.push(item);
    this.#view = view;
  }
}
