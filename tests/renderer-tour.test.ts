/** Where a learner is in a guided tour (src/renderer/lib/tour.ts), on a real lesson's run. */
import { describe, expect, it } from 'vitest';
import type { ResolvedStop } from '../src/lessons';
import { breaksAt, firstShowable, nextShowable, placeAt, revealFocus, stillOpen, tourEnded } from '../src/renderer/lib/tour';
import type { TourStop } from '../src/shared/lesson';
import type { Trace } from '../src/shared/trace';

function stop(id: string): TourStop {
  return { id, title: id, body: '', program: 'main.py', anchor: { when: 'end', occurrence: 1 }, checkpoint: null, line: 1 };
}

function resolved(id: string, step: number | null, problem: string | null = null): ResolvedStop {
  return { stop: stop(id), step, problem: step === null ? (problem ?? 'never happens') : problem };
}

describe('placeAt', () => {
  const stops = [resolved('a', 5), resolved('b', 9), resolved('gone', null), resolved('c', 9), resolved('d', 20)];

  it('is nowhere before the first stop', () => {
    expect(placeAt(stops, -1)).toBeNull();
    expect(placeAt(stops, 4)).toBeNull();
  });

  it('is at a stop on its step, and past it after', () => {
    expect(placeAt(stops, 5)).toEqual({ index: 0, exact: true });
    expect(placeAt(stops, 6)).toEqual({ index: 0, exact: false });
    expect(placeAt(stops, 25)).toEqual({ index: 4, exact: false });
  });

  it('opens the first of two stops on one step, or the one picked; past them, the last', () => {
    expect(placeAt(stops, 9)).toEqual({ index: 1, exact: true });
    expect(placeAt(stops, 9, 3)).toEqual({ index: 3, exact: true });
    expect(placeAt(stops, 9, 0)).toEqual({ index: 1, exact: true });
    expect(placeAt(stops, 10)).toEqual({ index: 3, exact: false });
  });

  it('skips stops that cannot be shown', () => {
    expect(placeAt([resolved('x', null), resolved('y', 3, 'comes before')], 10)).toBeNull();
    expect(nextShowable(stops, 1)).toBe(3);
    expect(nextShowable(stops, 4)).toBeNull();
    expect(firstShowable([resolved('x', null), resolved('y', 2)])).toBe(1);
    expect(breaksAt(stops, 9)).toBe(true);
    expect(breaksAt(stops, 10)).toBe(false);
  });
});

describe('revealFocus', () => {
  const trace = {
    events: [
      { kind: 'pop', loop: 0, item: { kind: 'task', task: 1 }, cancelled: false },
      { kind: 'push', loop: 0, item: { kind: 'task', task: 2 }, reason: 'wake' },
      { kind: 'output', stream: 'stdout', text: 'a\n' },
      { kind: 'clock', time: 1 },
      { kind: 'push', loop: 0, item: { kind: 'task', task: 3 }, reason: 'start' },
    ],
  } as unknown as Trace; // only the events are read

  it('points at the task taken to run, the task woken and the clock, or the text printed', () => {
    expect(revealFocus(trace, 0)).toEqual({ step: 0, task: 1, output: false, clock: false });
    expect(revealFocus(trace, 1)).toEqual({ step: 1, task: 2, output: false, clock: true });
    expect(revealFocus(trace, 2)).toEqual({ step: 2, task: null, output: true, clock: false });
    expect(revealFocus(trace, 3)).toEqual({ step: 3, task: null, output: false, clock: false });
    expect(revealFocus(trace, 4)).toEqual({ step: 4, task: 3, output: false, clock: false });
    expect(revealFocus(trace, 99)).toEqual({ step: 99, task: null, output: false, clock: false });
  });
});

describe('the end of a tour', () => {
  const ask = (id: string): TourStop => ({ ...stop(id), checkpoint: { kind: 'next-task', question: 'Who?' } });
  const stops = [ask('one'), stop('two'), ask('three'), ask('four')];

  it('ends at the last stop: by Continue there, or by going past it to the end of the run', () => {
    const last = stops.at(-1)!;
    expect(tourEnded(last, { stop: last, exact: true }, false, true)).toBe(true);
    expect(tourEnded(last, { stop: last, exact: false }, true, false)).toBe(true);
    // Standing on it without Continue, or past it but not yet at the end: not over.
    expect(tourEnded(last, { stop: last, exact: true }, false, false)).toBe(false);
    expect(tourEnded(last, { stop: last, exact: false }, false, false)).toBe(false);
    // Past an earlier stop at the end of its program's run: the tour goes on in the next program.
    expect(tourEnded(last, { stop: stops[2]!, exact: false }, true, false)).toBe(false);
    expect(tourEnded(undefined, null, true, true)).toBe(false);
  });

  it('names the stops whose question is not answered right, in order, with their numbers', () => {
    const passed = new Set(['one']);
    expect(stillOpen(stops, (id) => passed.has(id))).toEqual([
      { number: 3, stop: stops[2] },
      { number: 4, stop: stops[3] },
    ]);
    // A stop that asks nothing is never open; every question answered: none.
    expect(stillOpen(stops, () => true)).toEqual([]);
  });
});
