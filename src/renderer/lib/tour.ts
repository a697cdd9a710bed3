/**
 * Where a learner is in a lesson's guided tour, as pure functions of the resolved stops
 * (src/lessons resolveStops) and the player's step. The guide (state/guide.svelte.ts) keeps
 * the little state there is; everything it shows is computed here.
 *
 * A stop "can be shown" when its moment happens in this run (a step, no problem). Those stops
 * are in run order (resolveStops says so when they are not), so the stop the learner is at is
 * the last one whose step is not after the player's.
 */
import type { ResolvedStop } from '../../lessons';
import type { TourStop } from '../../shared/lesson';
import type { TaskId, Trace } from '../../shared/trace';

/**
 * The stops of a lesson whose question is still open when the tour ends: it asks something and
 * the learner has not answered it right (`passed`: the progress store's record). In tour order,
 * with their numbers (1-based).
 */
export function stillOpen(stops: readonly TourStop[], passed: (stopId: string) => boolean): { number: number; stop: TourStop }[] {
  return stops.flatMap((stop, i) => (stop.checkpoint !== null && !passed(stop.id) ? [{ number: i + 1, stop }] : []));
}

/**
 * Is the tour over? At the lesson's last stop, once the learner pressed Continue there
 * (`continued`), or once the player went past it to the end of its program's run.
 */
export function tourEnded(lastStop: TourStop | undefined, at: { stop: TourStop; exact: boolean } | null, atEnd: boolean, continued: boolean): boolean {
  if (!lastStop || !at || at.stop !== lastStop) return false;
  return continued || (!at.exact && atEnd);
}

export function showable(stop: ResolvedStop): stop is ResolvedStop & { step: number } {
  return stop.step !== null && stop.problem === null;
}

export interface TourPlace {
  /** Index (in the resolved stops) of the stop the learner is at or has last passed. */
  index: number;
  /** True when the player stands on that stop's very step (the stop is "open"). */
  exact: boolean;
}

/**
 * The stop at or before `step`. Several stops can share one step: `pick` says which of them is
 * open (Continue moves through them in order); by default the first of them, and once the
 * player has moved past their step, the last of them.
 */
export function placeAt(stops: readonly ResolvedStop[], step: number, pick: number | null = null): TourPlace | null {
  let last = -1;
  for (let i = 0; i < stops.length; i++) {
    const stop = stops[i]!;
    if (showable(stop) && stop.step <= step) last = i;
  }
  if (last < 0) return null;
  const at = stops[last]!.step!;
  if (at < step) return { index: last, exact: false };
  if (pick !== null && stops[pick] && showable(stops[pick]) && stops[pick].step === at) return { index: pick, exact: true };
  const first = stops.findIndex((s) => showable(s) && s.step === at);
  return { index: first, exact: true };
}

/** The next stop after `index` that can be shown, or null. */
export function nextShowable(stops: readonly ResolvedStop[], index: number): number | null {
  for (let i = index + 1; i < stops.length; i++) if (showable(stops[i]!)) return i;
  return null;
}

/** The first stop that can be shown, or null. */
export function firstShowable(stops: readonly ResolvedStop[]): number | null {
  return nextShowable(stops, -1);
}

/** Does a stop fall on this step (so that playing pauses there)? */
export function breaksAt(stops: readonly ResolvedStop[], step: number): boolean {
  return stops.some((s) => showable(s) && s.step === step);
}

/** What to point at on the board when an answer is revealed at `step`. */
export interface RevealFocus {
  step: number;
  /** The task whose card shows the answer (taken to run, woken …), if any. */
  task: TaskId | null;
  /** The console text written at this step is the answer. */
  output: boolean;
  /** The clock is the answer (a task woke at this time). */
  clock: boolean;
}

export function revealFocus(trace: Trace, step: number): RevealFocus {
  const event = trace.events[step];
  const focus: RevealFocus = { step, task: null, output: false, clock: false };
  if (!event) return focus;
  switch (event.kind) {
    case 'pop':
      if (event.item.kind === 'task') focus.task = event.item.task;
      break;
    case 'push':
      if (event.item.kind === 'task') focus.task = event.item.task;
      focus.clock = event.reason === 'wake' || event.reason === 'cancel';
      break;
    case 'output':
      focus.output = true;
      break;
    case 'done':
    case 'suspend':
    case 'eager_start':
      focus.task = event.task;
      break;
    default:
      break;
  }
  return focus;
}
