/**
 * A Python worker's one `parts-wanted` is the page's to answer; every later one is forged and
 * goes to the supervisor with the rest (src/runtime/parts-wanted.ts).
 */
import { expect, it } from 'vitest';
import { firstPartsWanted } from '../src/runtime/parts-wanted';

it('takes the first parts-wanted only, and never another message', () => {
  const isPagesToAnswer = firstPartsWanted();
  expect(isPagesToAnswer({ type: 'ready' })).toBe(false);
  expect(isPagesToAnswer({ type: 'parts-wanted', extra: 1 })).toBe(false);
  expect(isPagesToAnswer({ type: 'parts-wanted' })).toBe(true);
  for (let i = 0; i < 3; i++) expect(isPagesToAnswer({ type: 'parts-wanted' })).toBe(false);
  // Each worker has its own.
  expect(firstPartsWanted()({ type: 'parts-wanted' })).toBe(true);
});
