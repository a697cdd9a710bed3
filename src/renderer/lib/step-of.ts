/**
 * "Step 1,501 of 13,883": where the player is, in the words the narration, its caption, an
 * export and a handout give it (the controls' counter says "step 1,501 / 13,883").
 * `step`: 0-based step index; `length`: the run's steps.
 */
import { thousands } from '../../shared/numbers';

export function stepOf(step: number, length: number): string {
  return `Step ${thousands(step + 1)} of ${thousands(length)}`;
}
