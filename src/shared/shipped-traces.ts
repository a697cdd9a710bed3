/**
 * The traces the app ships for its lessons: where they are served and what their index says.
 * Written by scripts/record-traces.ts into out/traces (served at `traces/` beside the pages,
 * build/trace-assets.ts); read by the page (src/renderer/lib/shipped-fetch.ts, trace-store.ts).
 */
import * as v from 'valibot';
import { RuntimeIdSchema } from './trace';

/** One shipped trace, as its index lists it. */
export const ShippedTraceEntrySchema = v.strictObject({
  /** Events in the trace. */
  steps: v.pipe(v.number(), v.integer(), v.minValue(0)),
  /** Size of its file, in bytes. */
  bytes: v.pipe(v.number(), v.integer(), v.minValue(0)),
});
export type ShippedTraceEntry = v.InferOutput<typeof ShippedTraceEntrySchema>;

const TraceKey = v.pipe(v.string(), v.regex(/^[0-9a-f]{64}$/));

/**
 * `traces/index.json`: the runtime the traces were recorded with, each trace by its key
 * (src/shared/trace-key.ts), and each program's key, in the course's order (a lesson's first
 * program first): `lessons/<slug>/<file>` or {@link SCRATCHPAD_PROGRAM}. Two lessons may share
 * a program word for word, and so a trace.
 */
export const ShippedIndexSchema = v.pipe(
  v.strictObject({
    runtime: RuntimeIdSchema,
    traces: v.record(TraceKey, ShippedTraceEntrySchema),
    programs: v.record(v.string(), TraceKey),
  }),
  v.check((index) => Object.values(index.programs).every((key) => key in index.traces), 'every program names a trace the index lists'),
);
export type ShippedIndex = v.InferOutput<typeof ShippedIndexSchema>;

/** The index's path, relative to the app's base URL. */
export const SHIPPED_INDEX_PATH = 'traces/index.json';

/** The path of the trace with this key, relative to the app's base URL. */
export function shippedTracePath(key: string): string {
  return `traces/${key}.json`;
}

/** The index's name for the scratchpad's starting program. */
export const SCRATCHPAD_PROGRAM = 'scratchpad';

/** The index's name for a lesson's program. */
export function lessonProgramName(slug: string, file: string): string {
  return `lessons/${slug}/${file}`;
}
