/**
 * One pass over a trace's events that several builders share (the board index, the narrator,
 * the timeline …), run either at once or in slices that give the UI thread back between them,
 * so that a 100,000-step trace arriving never holds up a frame for long.
 */
import type { Trace, TraceEvent } from '../shared/trace';
import { inSlices, nextTask } from '../shared/slices';

export { nextTask };

/** Something built from a trace by looking at each event once, in order. */
export interface TraceBuilder<T> {
  visit(event: TraceEvent, index: number): void;
  finish(): T;
}

/** Events between two chances to pause. */
const STRIDE = 1024;

/** Visits every event with every builder; pauses (yields) now and then. */
export function* passOver(trace: Trace, builders: readonly TraceBuilder<unknown>[]): Generator<void, void> {
  const events = trace.events;
  const count = builders.length;
  for (let i = 0; i < events.length; i++) {
    const event = events[i]!;
    for (let b = 0; b < count; b++) builders[b]!.visit(event, i);
    if (i % STRIDE === STRIDE - 1) yield;
  }
}

/** Runs a pass to its end, now. */
export function runNow(pass: Generator<void, void>): void {
  for (let step = pass.next(); !step.done; step = pass.next()) {
    // keep going
  }
}

/**
 * Runs a pass in slices of about `sliceMs`, letting the event loop run between slices. Resolves
 * with the number of times it did (0: the pass took one slice, all within this task).
 */
export async function runInSlices(pass: Generator<void, void>, sliceMs = 8): Promise<number> {
  return (await inSlices(pass, sliceMs))!.yields;
}

/** Builds one thing from a trace, now. */
export function buildNow<T>(trace: Trace, builder: TraceBuilder<T>): T {
  runNow(passOver(trace, [builder]));
  return builder.finish();
}
