/**
 * The shapes of one timeline row (TimelinePane.svelte draws them): an SVG path per task state
 * (running, ready, sleeping) and the ✕ marks where the task was woken by something other than a
 * result, made in one pass over the row's spans. LayerCake's split: this computes the shapes,
 * Svelte owns the DOM.
 *
 * A long run has tens of thousands of spans for a few hundred pixels: a span that adds nothing
 * visible (inside a pixel its state's path already covers) is skipped, and the scale is applied
 * as plain arithmetic. One pass, not one per state and one for the marks: for a runaway
 * program's trace (~25,000 spans in one row) the five passes were most of a first render of
 * 60–100 ms on the UI thread (a CPU profile of the bench's "endless virtual time" in Chromium).
 */
import type { Span, SpanState } from '../../trace/timeline';
import type { Wake } from '../../shared/trace';

/** The linear scale from steps to x pixels, as d3's `scaleLinear` gives it. */
export interface StepScale {
  (step: number): number;
  domain(): number[];
  range(): number[];
}

/** Where a row sits: its top and height (px). */
export interface RowBox {
  top: number;
  height: number;
}

export interface RowShapes {
  running: string;
  ready: string;
  sleeping: string;
  /** A small ✕ at the start of each ready span that began with a cancellation, timeout or exception. */
  woken: string;
  /** What woke the task, in the order first seen: the words for the row's tooltip. */
  wokenBy: string[];
}

/** Each state's band within the row: its top and height, as fractions of the row's height. */
const BANDS: Record<SpanState, { top: number; height: number }> = {
  running: { top: 0.14, height: 0.72 },
  ready: { top: 0.3, height: 0.4 },
  sleeping: { top: 0.46, height: 0.08 },
};

const WAKE_WORDS: Record<Wake, string> = { result: '', exception: 'an exception', cancelled: 'a cancellation', timeout: 'a timeout' };

interface Band {
  y: string;
  h: string;
  parts: string[];
  /** The right edge (px) of the last span drawn in this band. */
  lastEnd: number;
}

/** The shapes of a row whose spans are `spans`, drawn up to step `until` (Infinity: all of them). */
export function rowShapes(spans: readonly Span[], box: RowBox, scale: StepScale, until: number): RowShapes {
  const [d0, d1] = scale.domain() as [number, number];
  const [r0, r1] = scale.range() as [number, number];
  const k = (r1 - r0) / (d1 - d0);
  const band = (state: SpanState): Band => ({
    y: (box.top + box.height * BANDS[state].top).toFixed(1),
    h: `v${(box.height * BANDS[state].height).toFixed(1)}`,
    parts: [],
    lastEnd: -Infinity,
  });
  const bands: Record<SpanState, Band> = { running: band('running'), ready: band('ready'), sleeping: band('sleeping') };
  const markSize = box.height * 0.5;
  const markY = box.top + box.height * 0.5;
  let woken = '';
  let lastMark = -Infinity;
  const wokenBy = new Set<string>();
  for (const s of spans) {
    if (s.from > until) continue;
    if (s.state === 'ready' && s.wake !== undefined && s.wake !== 'result') {
      wokenBy.add(WAKE_WORDS[s.wake]);
      const at = scale(s.from);
      if (at - lastMark >= markSize) {
        woken += `M${(at - markSize / 2).toFixed(1)} ${(markY - markSize / 2).toFixed(1)}l${markSize} ${markSize}m0 ${-markSize}l${-markSize} ${markSize}`;
        lastMark = at;
      }
    }
    const b = bands[s.state];
    const x0 = r0 + (s.from - d0) * k;
    const w = Math.max(1.5, (Math.min(s.to, until + 1) - s.from) * k);
    if (x0 + w <= b.lastEnd + 0.5) continue;
    const left = Math.round(x0 * 10) / 10;
    const width = Math.round(w * 10) / 10;
    b.parts.push(`M${left} ${b.y}h${width}${b.h}h${-width}z`);
    b.lastEnd = x0 + w;
  }
  return {
    running: bands.running.parts.join(''),
    ready: bands.ready.parts.join(''),
    sleeping: bands.sleeping.parts.join(''),
    woken,
    wokenBy: [...wokenBy],
  };
}
