/**
 * Keys a keyed `{#each}` can take: Svelte throws on a repeated key (`each_key_duplicate`), which
 * would stop the board from drawing at all. The tracer never repeats a task, timer, socket or
 * connection where the board lists them, and the host checks a live run; but a trace from a
 * shared link, an embed or an exported page is only a file, and a forged one can put a task in
 * the ready queue twice (a reviewer's did). Every item is still shown.
 */

/** `items` itself when no key repeats (what every real trace gives); else a copy in which the
 * second, third … item with a key gets `key#2`, `key#3` … (`#` is in no key the views make). */
export function distinctKeys<T extends { key: string }>(items: T[]): T[] {
  if (items.length < 2) return items;
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.key)) return renumbered(items);
    seen.add(item.key);
  }
  return items;
}

function renumbered<T extends { key: string }>(items: T[]): T[] {
  const count = new Map<string, number>();
  return items.map((item) => {
    const n = (count.get(item.key) ?? 0) + 1;
    count.set(item.key, n);
    return n === 1 ? item : { ...item, key: `${item.key}#${n}` };
  });
}
