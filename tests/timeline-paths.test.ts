/**
 * A timeline row's shapes (src/renderer/lib/timeline-paths.ts), found by binary search among its
 * spans: the same drawing the timeline made before by looking at every span five times (a path
 * per state, then the marks, then the words for the tooltip), kept below as the reference; what
 * the drawing says, on spans small enough to check by hand; and the clock's marks, thinned to
 * the pixels, against the one pass over them the timeline made before.
 */
import { scaleLinear } from 'd3';
import { describe, expect, it } from 'vitest';
import { rowShapes, spacedMarks } from '../src/renderer/lib/timeline-paths';
import type { Wake } from '../src/shared/trace';
import { rowSpans, type Span, type SpanState } from '../src/trace/timeline';
import { seeded as random } from './seeded-random';

// The reference: the timeline's drawing before this module, as it was.
const WAKE_WORDS = { result: '', exception: 'an exception', cancelled: 'a cancellation', timeout: 'a timeout' } as const;
type Scale = ReturnType<typeof scaleLinear<number, number>>;
function path(spans: readonly Span[], state: SpanState, y: number, h: number, scale: Scale, until: number): string {
  const [d0] = scale.domain() as [number, number];
  const [r0, r1] = scale.range() as [number, number];
  const k = (r1 - r0) / (scale.domain()[1]! - d0);
  const yh = `${y.toFixed(1)}`;
  const hh = `v${h.toFixed(1)}`;
  const parts: string[] = [];
  let lastEnd = -Infinity;
  for (const s of spans) {
    if (s.state !== state || s.from > until) continue;
    const x0 = r0 + (s.from - d0) * k;
    const w = Math.max(1.5, (Math.min(s.to, until + 1) - s.from) * k);
    if (x0 + w <= lastEnd + 0.5) continue;
    const left = Math.round(x0 * 10) / 10;
    const width = Math.round(w * 10) / 10;
    parts.push(`M${left} ${yh}h${width}${hh}h${-width}z`);
    lastEnd = x0 + w;
  }
  return parts.join('');
}
function wokenMarks(spans: readonly Span[], y: number, size: number, scale: Scale, until: number): string {
  let d = '';
  let last = -Infinity;
  for (const s of spans) {
    if (s.state !== 'ready' || s.wake === undefined || s.wake === 'result' || s.from > until) continue;
    const at = scale(s.from);
    if (at - last < size) continue;
    d += `M${(at - size / 2).toFixed(1)} ${(y - size / 2).toFixed(1)}l${size} ${size}m0 ${-size}l${-size} ${size}`;
    last = at;
  }
  return d;
}
function reference(spans: readonly Span[], top: number, rowH: number, scale: Scale, until: number) {
  return {
    running: path(spans, 'running', top + rowH * 0.14, rowH * 0.72, scale, until),
    ready: path(spans, 'ready', top + rowH * 0.3, rowH * 0.4, scale, until),
    sleeping: path(spans, 'sleeping', top + rowH * 0.46, rowH * 0.08, scale, until),
    woken: wokenMarks(spans, top + rowH * 0.5, rowH * 0.5, scale, until),
    wokenBy: [...new Set(spans.filter((sp) => sp.wake && sp.wake !== 'result' && sp.from <= until).map((sp) => WAKE_WORDS[sp.wake!]))],
  };
}

/** A task's life as the timeline builder gives it: back-to-back spans of changing state. */
function life(count: number, next: () => number): Span[] {
  const states: SpanState[] = ['running', 'ready', 'sleeping'];
  const wakes: (Wake | undefined)[] = [undefined, undefined, 'result', 'exception', 'cancelled', 'timeout'];
  const spans: Span[] = [];
  let at = Math.floor(next() * 5);
  let last: SpanState | null = null;
  for (let i = 0; i < count; i++) {
    let state = states[Math.floor(next() * 3)]!;
    if (state === last) state = states[(states.indexOf(state) + 1) % 3]!;
    const length = 1 + Math.floor(next() * (next() < 0.1 ? 400 : 6));
    const wake = state === 'ready' ? wakes[Math.floor(next() * wakes.length)] : undefined;
    spans.push({ state, from: at, to: at + length, ...(wake ? { wake } : {}) });
    at += length;
    last = state;
  }
  return spans;
}

describe('a timeline row, drawn from the spans a pixel shows', () => {
  it('is the drawing the five passes made, for rows long and short, any width, zoom or horizon', () => {
    const next = random(7);
    for (const count of [0, 1, 5, 60, 3_000, 25_000]) {
      const spans = life(count, next);
      const length = spans.length ? spans[spans.length - 1]!.to : 1;
      for (const [width, zoom] of [[600, 1], [1440, 1.25], [320, 0.8]] as const) {
        const rowH = Math.round(24 * zoom);
        const labelW = Math.round(150 * zoom);
        const scale = scaleLinear().domain([-1, Math.max(1, length)]).range([labelW, Math.max(labelW + 40, width - 12)]);
        for (const until of [Infinity, Math.floor(length / 3), 0]) {
          const top = 2 * rowH;
          expect(rowShapes(rowSpans(spans), { top, height: rowH }, scale, until)).toEqual(reference(spans, top, rowH, scale, until));
        }
      }
    }
  });

  it('draws each state in its band, skips what a pixel already shows, and marks a task woken by a timeout', () => {
    const scale = scaleLinear().domain([0, 100]).range([0, 100]);
    const spans: Span[] = [
      { state: 'running', from: 0, to: 10 },
      { state: 'sleeping', from: 10, to: 40 },
      { state: 'ready', from: 40, to: 42, wake: 'timeout' },
      { state: 'running', from: 42, to: 60 },
      // Inside the pixel the running span above ends in: nothing new to draw.
      { state: 'running', from: 58, to: 58.5 },
    ];
    const shapes = rowShapes(rowSpans(spans), { top: 0, height: 20 }, scale, Infinity);
    expect(shapes.running).toBe('M0 2.8h10v14.4h-10zM42 2.8h18v14.4h-18z');
    expect(shapes.sleeping).toBe('M10 9.2h30v1.6h-30z');
    expect(shapes.ready).toBe('M40 6.0h2v8.0h-2z');
    expect(shapes.woken).toBe('M35.0 5.0l10 10m0 -10l-10 10');
    expect(shapes.wokenBy).toEqual(['a timeout']);
    // Up to step 20: the sleep is cut at the horizon, and nothing after it is drawn.
    const early = rowShapes(rowSpans(spans), { top: 0, height: 20 }, scale, 20);
    expect(early.sleeping).toBe('M10 9.2h11v1.6h-11z');
    expect(early.ready + early.woken).toBe('');
    expect(early.wokenBy).toEqual([]);
  });
});

/** The clock's marks as the timeline kept them before: one pass, each at least `gap` px after the last kept. */
function spacedReference(marks: readonly { step: number }[], scale: Scale, gap: number, until: number): number[] {
  const out: number[] = [];
  let last = -Infinity;
  for (const mark of marks) {
    if (mark.step > until) break;
    const at = scale(mark.step);
    if (at - last < gap) continue;
    out.push(mark.step);
    last = at;
  }
  return out;
}

describe('the clock marks along the top', () => {
  it('are the marks one pass kept, for clocks sparse and dense, any width or horizon', () => {
    const next = random(11);
    for (const count of [0, 1, 7, 400, 25_000]) {
      const marks: { step: number }[] = [];
      let step = 0;
      for (let i = 0; i < count; i++) marks.push({ step: (step += 1 + Math.floor(next() * (next() < 0.05 ? 300 : 8))) });
      const length = step + 1;
      for (const width of [320, 600, 1440]) {
        const scale = scaleLinear().domain([-1, length]).range([150, width - 12]);
        for (const gap of [2, 64, 80]) {
          for (const until of [Infinity, Math.floor(length / 2), 0]) {
            expect(spacedMarks(marks, scale, gap, until).map((m) => m.mark.step)).toEqual(spacedReference(marks, scale, gap, until));
          }
        }
      }
    }
  });

  it('skip a mark whose label would not fit, and try again a pixel further right', () => {
    const scale = scaleLinear().domain([0, 100]).range([0, 100]);
    const marks = [0, 10, 10.5, 11, 12.5, 30, 95].map((step) => ({ step }));
    const fits = (mark: { step: number }): boolean => mark.step !== 10 && mark.step < 90;
    // 10 does not fit; 10.5 is less than a pixel past it and is not tried; 11 is; 30 is 19 px
    // after it; 95 does not fit.
    expect(spacedMarks(marks, scale, 5, Infinity, fits).map((m) => m.mark.step)).toEqual([0, 11, 30]);
    expect(spacedMarks(marks, scale, 5, Infinity, fits)[1]!.at).toBe(11);
  });
});

