/** A trace for a run that produced no events of its own (its host failed before it could). */
import type { RunInput } from '../shared/ipc';
import { DEFAULT_MAX_STEPS, type LimitReason, TRACE_VERSION, type Trace } from '../shared/trace';

export function failedTrace(input: RunInput, reason: LimitReason, message: string, wallMs = 0): Trace {
  return {
    version: TRACE_VERSION,
    filename: input.filename,
    source: input.source,
    tasks: [],
    callbacks: [],
    events: [{ kind: 'limit', reason, message }],
    end: { status: 'limit', exitCode: 2, clock: 0, wallMs, lineSteps: 0, maxSteps: input.options?.maxSteps ?? DEFAULT_MAX_STEPS },
  };
}
