/**
 * The part of an unfinished run's trace that still holds together, found in pauses: what the
 * host keeps of a run it ended early (src/runtime/supervisor.ts, abandon). The steps kept end
 * before the first event that breaks a rule of a sound trace (src/shared/trace-rules.ts: the
 * decoder refuses such a chunk already, so this is the second look), the tasks kept are those
 * created before it, and if even that does not hold together, nothing is kept.
 *
 * A generator that pauses (yields) as `checkingReferences` does, every REFERENCE_STRIDE checks,
 * and every KEPT_STRIDE events it counts, so that the host runs it in slices (inSlices): in one
 * task, a runaway loop's million steps held the host's thread 52-69 ms (a Stop of 1,000,000
 * steps with a forged event in the middle, tsx on this 2-core machine; 40-55 ms a pass in
 * Chromium, a reviewer's), one or two passes.
 */
import { type CallbackInfo, checkingReferences, type TaskInfo, type Trace, type TraceEvent } from '../shared/trace';

/** What is kept of a run's trace, and what the run's end reports of it. */
export interface KeptSteps {
  tasks: TaskInfo[];
  callbacks: CallbackInfo[];
  events: TraceEvent[];
  /** Number of `line` events among `events`. */
  lineSteps: number;
  /** The virtual clock (seconds) where the last `clock` event of `events` left it; 0 if none. */
  clock: number;
}

/** Events counted between two pauses (a simple count per event: ~0.1 ms for this many here). */
const KEPT_STRIDE = 65_536;

/**
 * The longest sound part of `trace` (its `end` is not read), pausing now and then. The arrays
 * returned are `trace`'s own when all of it is kept, else new ones (`trace`'s are not changed).
 */
export function* keepingSound(trace: Trace): Generator<void, KeptSteps> {
  let { tasks, callbacks, events } = trace;
  const bad = yield* checkingReferences(trace);
  if (bad !== null) {
    events = events.slice(0, bad.at);
    tasks = bad.at === 0 ? [] : tasks.filter((t) => t.createdAt < bad.at);
    callbacks = bad.at === 0 ? [] : callbacks;
    if ((yield* checkingReferences({ ...trace, tasks, callbacks, events })) !== null) {
      events = [];
      tasks = [];
      callbacks = [];
    }
  }
  let lineSteps = 0;
  let clock = 0;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    if (event.kind === 'line') lineSteps++;
    else if (event.kind === 'clock') clock = event.time;
    if (i % KEPT_STRIDE === KEPT_STRIDE - 1) yield;
  }
  return { tasks, callbacks, events, lineSteps, clock };
}
