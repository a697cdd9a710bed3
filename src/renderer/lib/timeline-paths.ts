/**
 * The shapes of one timeline row (TimelinePane.svelte draws them): an SVG path per task state
 * (running, ready, sleeping) and the ✕ marks where the task was woken by something other than a
 * result; and the clock's marks along the top, thinned to what the pixels can show. LayerCake's
 * split: this computes the shapes, Svelte owns the DOM.
 *
 * A long run has tens of thousands of spans for a few hundred pixels. A span that adds nothing
 * visible (inside a pixel its state's path already covers) is never drawn, and it is not even
 * looked at: each state's spans are found by binary search on the pixel the last one drawn
 * ended at, so a row costs what it draws (a few hundred spans), not what it holds. For the
 * bench's "endless virtual time" (~75,000 spans in one row, 25,000 clock marks) one pass over
 * them, the clock's two passes with it, held the page's thread 60–100 ms when its trace was
 * first shown (CPU profiles of the app in Chromium).
 */
import type { RowSpans, Span, SpanState } from '../../trace/timeline';
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

/**
 * The shapes of a row whose spans are `row`, drawn up to step `until` (Infinity: all of them).
 * The same drawing as one pass over every span in step order would make (tests/timeline-paths
 * keeps that pass as the reference), given what the timeline builder guarantees: a state's
 * spans are in step order and never overlap.
 */
export function rowShapes(row: RowSpans, box: RowBox, scale: StepScale, until: number): RowShapes {
  const [d0, d1] = scale.domain() as [number, number];
  const [r0, r1] = scale.range() as [number, number];
  const k = (r1 - r0) / (d1 - d0);
  const path = (state: SpanState): string => {
    const spans = row[state];
    const y = (box.top + box.height * BANDS[state].top).toFixed(1);
    const h = `v${(box.height * BANDS[state].height).toFixed(1)}`;
    const parts: string[] = [];
    const end = firstIndex(spans, 0, (s) => s.from > until);
    let lastEnd = -Infinity;
    const draw = (s: Span): void => {
      const x0 = r0 + (s.from - d0) * k;
      const w = Math.max(1.5, (Math.min(s.to, until + 1) - s.from) * k);
      if (x0 + w <= lastEnd + 0.5) return;
      const l = Math.round(x0 * 10) / 10;
      const width = Math.round(w * 10) / 10;
      parts.push(`M${l} ${y}h${width}${h}h${-width}z`);
      lastEnd = x0 + w;
    };
    let i = 0;
    while (i < end) {
      // Every span that starts more than 1 px before the last one drawn ends is at least 1.5 px
      // wide, so it shows: drawn. Of those that start earlier, only the last can reach past that
      // end (each ends before the next begins): the rest are never looked at.
      const next = firstLeftOf(spans, i, end, r0, d0, k, lastEnd - 1);
      if (next > i) draw(spans[next - 1]!);
      if (next < end) draw(spans[next]!);
      i = next + 1;
    }
    return parts.join('');
  };
  const markSize = box.height * 0.5;
  const markY = box.top + box.height * 0.5;
  let woken = '';
  const wokenEnd = firstIndex(row.woken, 0, (s) => s.from > until);
  let lastMark = -Infinity;
  for (let i = firstIndex(row.woken, 0, (s) => scale(s.from) - lastMark >= markSize, wokenEnd); i < wokenEnd; ) {
    const at = scale(row.woken[i]!.from);
    woken += `M${(at - markSize / 2).toFixed(1)} ${(markY - markSize / 2).toFixed(1)}l${markSize} ${markSize}m0 ${-markSize}l${-markSize} ${markSize}`;
    lastMark = at;
    i = firstIndex(row.woken, i + 1, (s) => scale(s.from) - lastMark >= markSize, wokenEnd);
  }
  return {
    running: path('running'),
    ready: path('ready'),
    sleeping: path('sleeping'),
    woken,
    wokenBy: row.firstWoken.filter((s) => s.from <= until).map((s) => WAKE_WORDS[s.wake!]),
  };
}

/**
 * The marks to draw along the top (clock ticks, their labels, the guides): the first mark up to
 * step `until`, then each first one at least `gap` px right of the last one kept, and only those
 * `fits` accepts (after a refusal, the next candidate is the first mark a pixel further right).
 * Found by binary search: a runaway program's 25,000 clock marks for a few hundred pixels cost
 * what is drawn. `marks` are in step order.
 */
export function spacedMarks<M extends { step: number }>(
  marks: readonly M[],
  scale: StepScale,
  gap: number,
  until: number,
  fits: (mark: M, at: number) => boolean = () => true,
): { mark: M; at: number }[] {
  const end = firstIndex(marks, 0, (m) => m.step > until);
  const out: { mark: M; at: number }[] = [];
  let last = -Infinity;
  let from = -Infinity;
  for (let i = 0; (i = firstIndex(marks, i, (m) => scale(m.step) - last >= gap && scale(m.step) >= from, end)) < end; i++) {
    const mark = marks[i]!;
    const at = scale(mark.step);
    if (fits(mark, at)) {
      out.push({ mark, at });
      last = at;
    } else from = at + 1;
  }
  return out;
}

/**
 * The first index in [from, to) whose item `past` accepts, or `to`: `past` must be false and
 * then true along the list (a sorted list's "is past this point"). It gallops from `from` (1, 2,
 * 4, … items on) before it halves: the item wanted is most often a few items on, where a plain
 * binary search would take its ~16 looks over a long row every time.
 */
function firstIndex<T>(items: readonly T[], from: number, past: (item: T) => boolean, to: number = items.length): number {
  let lo = from;
  let hi = from;
  for (let reach = 1; hi < to; reach *= 2) {
    if (past(items[hi]!)) break;
    lo = hi + 1;
    hi = Math.min(to, from + reach * 2 - 1);
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (past(items[mid]!)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * `firstIndex` for the drawing's inner loop, written out: the first span in [from, to) whose
 * left edge (`r0 + (span.from - d0) * k` px, as `rowShapes` places it) lies right of `edge` px.
 */
function firstLeftOf(spans: readonly Span[], from: number, to: number, r0: number, d0: number, k: number, edge: number): number {
  let lo = from;
  let hi = from;
  for (let reach = 1; hi < to; reach *= 2) {
    if (r0 + (spans[hi]!.from - d0) * k > edge) break;
    lo = hi + 1;
    hi = Math.min(to, from + reach * 2 - 1);
  }
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (r0 + (spans[mid]!.from - d0) * k > edge) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
