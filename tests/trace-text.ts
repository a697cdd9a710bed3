/**
 * What a program wrote, gathered from its trace. Side-effect free and imports only a type, so
 * the Playwright specs (e2e/) can use it as well as the vitest tests.
 */
import type { Trace } from '../src/shared/trace';

/** The text written to one stream, or to both (`'all'`: stdout and stderr in the order written). */
export function streamText(trace: Trace, stream: 'stdout' | 'stderr' | 'all'): string {
  let text = '';
  for (const event of trace.events) {
    if (event.kind === 'output' && (stream === 'all' || event.stream === stream)) text += event.text;
  }
  return text;
}
