/**
 * The shared pass over a trace (src/trace/pass.ts): builders see every event once, in order,
 * and a pass run in slices gives back the event loop between slices and builds exactly what a
 * pass run at once builds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Trace, TraceEvent } from '../src/shared/trace';
import { BoardIndex } from '../src/trace/board';
import { Narrator } from '../src/trace/narrate';
import { passOver, runInSlices, runNow, type TraceBuilder } from '../src/trace/pass';
import { buildTimeline, timelineBuilder } from '../src/trace/timeline';

const evenodd = JSON.parse(readFileSync(new URL('./fixtures/player/evenodd.trace.json', import.meta.url), 'utf8')) as Trace;

/** The even/odd trace repeated until it is long: long enough to need many slices. */
function longTrace(times: number): Trace {
  const events: TraceEvent[] = [];
  for (let i = 0; i < times; i++) events.push(...evenodd.events.filter((e) => e.kind === 'line' || e.kind === 'output' || e.kind === 'clock'));
  return { ...evenodd, tasks: [], callbacks: [], events };
}

function recorder(): TraceBuilder<number[]> {
  const seen: number[] = [];
  return { visit: (_event, index) => seen.push(index), finish: () => seen };
}

describe('passOver', () => {
  it('shows every builder every event once, in order', () => {
    const a = recorder();
    const b = recorder();
    runNow(passOver(evenodd, [a, b]));
    const all = evenodd.events.map((_e, i) => i);
    expect(a.finish()).toEqual(all);
    expect(b.finish()).toEqual(all);
  });

  it('in slices, lets other work run between slices, and builds the same things', async () => {
    const trace = longTrace(60);
    expect(trace.events.length).toBeGreaterThan(5000);
    const index = BoardIndex.builder(trace);
    const narrator = Narrator.builder(trace);
    const timeline = timelineBuilder(trace);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 0);
    await runInSlices(passOver(trace, [index, narrator, timeline]), 0);
    clearInterval(ticker);
    expect(ticks).toBeGreaterThan(0);

    const sliced = index.finish();
    const direct = new BoardIndex(trace);
    for (const step of [0, 1000, 4321, trace.events.length - 1]) expect(sliced.at(step)).toEqual(direct.at(step));
    expect(timeline.finish()).toEqual(buildTimeline(trace));
    const n = narrator.finish();
    const m = new Narrator(evenodd);
    expect(n.narrate(5, direct.at(5))).toEqual(new Narrator(trace).narrate(5, direct.at(5)));
    expect(m.narrate(-1, direct.at(-1))).toMatch(/Nothing has run yet/);
  });
});
