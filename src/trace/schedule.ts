/**
 * A loop's timer heap, or the tasks waiting, as the board replays it: entries ordered by a key
 * (a deadline in virtual seconds, Infinity for never), equal keys in the order they were added,
 * and found or taken out by an id (a handle id for a timer, a task id for a waiting task). An id
 * may have several entries (a forged trace can set the same handle twice); taking an id out
 * takes them all, as `Array.prototype.filter` would.
 *
 * Adding and taking out cost O(1) (amortised); the ordered list (`entries()`) is made only when
 * asked for, by sorting what was added since the last time it was made and merging it in:
 * O(n + k log k) for k entries added since, and kept until the next change. So replaying a
 * trace that sets 50,000 timers and cancels them never sorts anything, and entries added in
 * any order (50,000 sleeps, longest first) cost one sort when the board is shown.
 */

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

/** Below this many taken-out entries nothing is swept: a few dead slots cost nothing. */
const SWEEP_FLOOR = 64;

export class Schedule<E> {
  #seq = 0;
  #count = 0;
  /** Id -> its live slot (the usual case: one), or its live slots in the order they were added. */
  #byId = new Map<number, Slot<E> | Slot<E>[]>();
  /** In order (key, then seq); may hold taken-out slots. */
  #sorted: Slot<E>[] = [];
  /** Added since `#sorted` was last made, in the order added; may hold taken-out slots. */
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
    const held = this.#byId.get(id);
    if (held === undefined) this.#byId.set(id, slot);
    else if (Array.isArray(held)) held.push(slot);
    else this.#byId.set(id, [held, slot]);
    this.#pending.push(slot);
    this.#count++;
    this.#view = null;
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

  /** The first entry under `id` in the order `entries()` gives, if any: O(entries under that id). */
  first(id: number): E | undefined {
    const held = this.#byId.get(id);
    if (held === undefined) return undefined;
    if (!Array.isArray(held)) return held.entry;
    let best = held[0]!;
    for (const slot of held) if (before(slot, best)) best = slot;
    return best.entry;
  }

  /** Empties it. */
  clear(): void {
    this.#byId.clear();
    this.#sorted = [];
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

  /** Sorts the pending slots into the sorted ones, dropping every taken-out slot. */
  #settle(): void {
    if (this.#pending.length === 0 && this.#dead === 0) return;
    // Pending slots are in seq order, so a stable sort by key orders them by (key, seq).
    const added = this.#pending.filter((slot) => slot.live).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const merged: Slot<E>[] = [];
    const sorted = this.#sorted;
    let i = 0;
    let j = 0;
    while (i < sorted.length || j < added.length) {
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
    this.#sorted = merged;
    this.#pending = [];
    this.#dead = 0;
  }
}
