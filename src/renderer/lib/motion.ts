/**
 * How cards move between lanes: one crossfade pair shared by every lane, keyed by card, so a
 * task's card travels from Ready to Running to Waiting. One card moves at a time; the others
 * simply take their new places (no flip of the whole lane: it would measure every card). The duration is set by the player
 * before each step: 300 ms at 1×, scaled by speed, and 0 for jumps and under reduced motion.
 */
import { cubicOut } from 'svelte/easing';
import { crossfade, fade, type TransitionConfig } from 'svelte/transition';

let duration = 0;

/** The duration the next moves take, in ms. */
export function setMotionDuration(ms: number): void {
  duration = Math.max(0, ms);
}

export function motionDuration(): number {
  return duration;
}

const [crossSend, crossReceive] = crossfade({
  duration: () => duration,
  easing: cubicOut,
  fallback: (node) => fade(node, { duration }),
});

type Transition = (node: Element, params: { key: string }) => () => TransitionConfig;

/**
 * A jump (scrubbing, Home/End, reduced motion) moves nothing: skip the crossfade entirely,
 * which would otherwise measure every card that comes and goes (a forced layout each).
 */
function unlessInstant(transition: Transition): (node: Element, params: { key: string }) => TransitionConfig | (() => TransitionConfig) {
  return (node, params) => (duration === 0 ? { duration: 0 } : transition(node, params));
}

/** The card leaves its lane here… */
export const send = unlessInstant(crossSend);
/** …and arrives in its new lane there. */
export const receive = unlessInstant(crossReceive);
