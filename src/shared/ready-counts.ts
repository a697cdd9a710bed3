/**
 * How many of each item each loop's ready queue holds, as board.ts's queues would after the same
 * events (a `push` adds one, a `pop` takes one of that item out of its loop's queue, a `done`
 * takes every one of that task out of every queue, a `close` empties its loop's), kept as counts:
 * only whether a queue holds an item, and whether it is empty, are ever asked, and a forged flood
 * of pops or of dones cost a scan of the queue each as lists (an attacker's: 21 s of the host's
 * thread). Each operation is O(1), a `done` O(1) amortised (its entries are at most the pushes).
 * Keys are numbers: it runs once per event of every run (src/shared/trace-rules.ts).
 */
import type { QueueItem } from './trace';

export class ReadyCounts {
  /** Each loop's current queue, by a number of its own (a `close` starts a new one). */
  private readonly queues = new Map<number, number>();
  private nextQueue = 0;
  /** Items held per queue. */
  private readonly sizes = new Map<number, number>();
  /** Per item (itemKey), how many of it each queue holds (queues with none are dropped). */
  private readonly held = new Map<number, Map<number, number>>();

  private queue(loop: number): number {
    let queue = this.queues.get(loop);
    if (queue === undefined) {
      queue = this.nextQueue++;
      this.queues.set(loop, queue);
    }
    return queue;
  }

  push(loop: number, item: QueueItem): void {
    const queue = this.queue(loop);
    const key = itemKey(item);
    let counts = this.held.get(key);
    if (counts === undefined) {
      counts = new Map();
      this.held.set(key, counts);
    }
    counts.set(queue, (counts.get(queue) ?? 0) + 1);
    this.sizes.set(queue, (this.sizes.get(queue) ?? 0) + 1);
  }

  /** Whether `loop`'s queue holds at least one `item`. */
  holds(loop: number, item: QueueItem): boolean {
    const queue = this.queues.get(loop);
    return queue !== undefined && (this.held.get(itemKey(item))?.get(queue) ?? 0) > 0;
  }

  /** Takes one `item` out of `loop`'s queue, if it holds one. */
  pop(loop: number, item: QueueItem): void {
    this.take(itemKey(item), this.queue(loop));
  }

  done(task: number): void {
    const key = itemKey({ kind: 'task', task });
    const counts = this.held.get(key);
    if (counts !== undefined) for (const queue of [...counts.keys()]) this.take(key, queue);
  }

  close(loop: number): void {
    this.queues.delete(loop);
  }

  size(loop: number): number {
    const queue = this.queues.get(loop);
    return queue === undefined ? 0 : (this.sizes.get(queue) ?? 0);
  }

  private take(key: number, queue: number): void {
    const counts = this.held.get(key);
    const count = counts?.get(queue) ?? 0;
    if (counts === undefined || count === 0) return;
    if (count === 1) counts.delete(queue);
    else counts.set(queue, count - 1);
    if (counts.size === 0) this.held.delete(key);
    this.sizes.set(queue, (this.sizes.get(queue) ?? 0) - 1);
  }
}

/** A queue item as one number: tasks even, callbacks odd (their ids are the tracer's counters). */
const itemKey = (item: QueueItem): number => (item.kind === 'task' ? 2 * item.task : 2 * item.callback + 1);
