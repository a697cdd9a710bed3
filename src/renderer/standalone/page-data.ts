/**
 * What an exported page (Export… → "A page that plays it") holds besides its player: the run
 * and what to call it. The app writes it into the page as JSON in a
 * `<script type="application/json" id="loop-lab-run">` (a data block: never run as script), and
 * the page's player reads it back, checked like any trace from outside (parseTraceFile).
 */
import * as v from 'valibot';
import { parseTraceFile, type Trace, type TraceFile } from '../../shared/trace';
import { ABORT_EARLY } from '../../shared/abort-early';

export const PAGE_DATA_ID = 'loop-lab-run';

export interface PageData {
  /** The page's format (1). */
  format: 1;
  title: string;
  /** The step the page opens at (-1: before the first). */
  step: number;
  trace: TraceFile;
}

const PageDataSchema = v.object({
  format: v.literal(1),
  title: v.pipe(v.string(), v.maxLength(500)),
  step: v.pipe(v.number(), v.safeInteger(), v.minValue(-1)),
  trace: v.unknown(),
});

/** The JSON for the data block, with `<` escaped so no `</script>` can end the block early. */
export function pageDataJson(data: PageData): string {
  return JSON.stringify(data).replace(/</g, '\\u003c');
}

/** Reads the data block back: the title, the step, and the checked trace. Throws in words. */
export function readPageData(json: string): { title: string; step: number; trace: Trace } {
  const result = v.safeParse(PageDataSchema, JSON.parse(json), ABORT_EARLY);
  if (!result.success) throw new Error('This page’s run could not be read: it was changed or damaged.');
  const trace = parseTraceFile(result.output.trace);
  return { title: result.output.title, step: Math.min(result.output.step, trace.events.length - 1), trace };
}
