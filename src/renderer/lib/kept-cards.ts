/**
 * A lane's cards, each card that reads exactly as it did at the last step given back as the
 * same object: the keyed list then leaves that card's element alone. A step while playing
 * changes one or two cards of a lane of many (at 8× with 200 tasks, every card was written
 * again at every step); a far jump, most of them.
 */
import type { CardModel } from './board-view';

/** Whether two cards read the same: every field of a card is a string, a number or null. */
export function sameCard(a: CardModel, b: CardModel): boolean {
  const x = a as unknown as Record<string, unknown>;
  const y = b as unknown as Record<string, unknown>;
  const keys = Object.keys(x);
  if (keys.length !== Object.keys(y).length) return false;
  for (const key of keys) if (x[key] !== y[key]) return false;
  return true;
}

/** `cards`, with each card equal to the one of its key in `before` replaced by that one. */
export function keepUnchanged(cards: readonly CardModel[], before: ReadonlyMap<string, CardModel>): CardModel[] {
  return cards.map((card) => {
    const old = before.get(card.key);
    return old !== undefined && sameCard(old, card) ? old : card;
  });
}
