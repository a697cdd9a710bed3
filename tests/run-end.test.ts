/**
 * The banner at a run's end (src/renderer/lib/run-end.ts): an uncaught exception's message is
 * shown whole up to BANNER_MESSAGE_CHARS, and cut with a mark past it (the traceback has more).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BANNER_MESSAGE_CHARS, runEndNote } from '../src/renderer/lib/run-end';
import { TraceView } from '../src/renderer/lib/trace-view';
import type { Trace, TraceEvent } from '../src/shared/trace';

const whole = JSON.parse(readFileSync(new URL('./fixtures/player/evenodd.trace.json', import.meta.url), 'utf8')) as Trace;

function endingWith(message: string): TraceView {
  const events: TraceEvent[] = [...whole.events, { kind: 'exception', type: 'ValueError', message, line: 3 }];
  return new TraceView({ ...whole, events, end: { ...whole.end, status: 'error' } });
}

describe('the run-end banner', () => {
  it('shows a short message whole', () => {
    expect(runEndNote(endingWith('boom'))?.text).toBe('ValueError: boom at line 3.');
  });

  it('cuts a long one, with a mark', () => {
    const note = runEndNote(endingWith('x'.repeat(2_000)));
    expect(note?.text).toBe(`ValueError: ${'x'.repeat(BANNER_MESSAGE_CHARS)}… at line 3.`);
  });
});
