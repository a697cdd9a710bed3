/** Where the player is, in words (src/renderer/lib/step-of.ts): thousands grouped as the counter groups them. */
import { expect, it } from 'vitest';
import { stepOf } from '../src/renderer/lib/step-of';

it('says the 1-based step of the run’s length, thousands grouped', () => {
  expect(stepOf(0, 3)).toBe('Step 1 of 3');
  expect(stepOf(1500, 13883)).toBe('Step 1,501 of 13,883');
  expect(stepOf(999_999, 1_000_006)).toBe('Step 1,000,000 of 1,000,006');
});
