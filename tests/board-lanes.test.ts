/**
 * The board as the screen reads it (src/renderer/lib/board-view.ts, boardLanes): each lane's
 * cards are made only as far as the lane shows them, and what is made is what the full board
 * view gives, card for card; a card that reads as it did at the last step is kept as the same
 * object (src/renderer/lib/kept-cards.ts), so that the lane leaves its element alone.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { boardLanes, boardView, type CardModel } from '../src/renderer/lib/board-view';
import { keepUnchanged, sameCard } from '../src/renderer/lib/kept-cards';
import { TraceView } from '../src/renderer/lib/trace-view';
import type { Trace, TraceEvent } from '../src/shared/trace';

function fixture(name: string): Trace {
  return JSON.parse(readFileSync(new URL(`./fixtures/player/${name}.trace.json`, import.meta.url), 'utf8')) as Trace;
}

const LANES = ['running', 'ready', 'waiting', 'done'] as const;

describe('the board as the screen reads it', () => {
  it.each(['cancel', 'deadlock', 'evenodd', 'queue', 'taskgroup', 'wakes'])('%s: every lane’s first cards, at every step, are the full view’s', (name) => {
    const view = new TraceView(fixture(name));
    for (const internals of [false, true]) {
      for (let step = -1; step < view.length; step++) {
        const board = view.index.at(step);
        const full = boardView(view, board, internals);
        const lanes = boardLanes(view, board, internals);
        for (const lane of LANES) {
          expect(lanes[lane].length, `${lane} at ${step}`).toBe(full[lane].length);
          for (const count of [0, 1, 2, 9]) expect(lanes[lane].first(count), `${lane} at ${step}`).toEqual(full[lane].slice(0, count));
          expect(lanes[lane].first(Infinity)).toEqual(full[lane]);
        }
        expect(lanes.timers).toEqual(full.timers);
        expect(lanes.objects).toEqual(full.objects);
        expect({ ...lanes, running: 0, ready: 0, waiting: 0, done: 0, timers: 0, objects: 0 }).toEqual({ ...full, running: 0, ready: 0, waiting: 0, done: 0, timers: 0, objects: 0 });
      }
    }
  });

  it('gives the first cards of a lane whose keys repeat (a forged file) the keys the full view gives them', () => {
    const trace = structuredClone(fixture('wakes'));
    const loop = trace.events.find((e) => e.kind === 'push')!;
    const push = { ...loop, kind: 'push', item: { kind: 'task', task: 0 }, reason: 'yield' } as TraceEvent;
    trace.events.push(push, push, push);
    const view = new TraceView(trace);
    const board = view.index.at(trace.events.length - 1);
    const full = boardView(view, board, true);
    const lanes = boardLanes(view, board, true);
    expect(new Set(full.ready.map((c) => c.key)).size).toBe(full.ready.length);
    for (let count = 0; count <= full.ready.length; count++) expect(lanes.ready.first(count)).toEqual(full.ready.slice(0, count));
  });
});

describe('cards kept from the last step', () => {
  const view = new TraceView(fixture('evenodd'));
  const cardsAt = (step: number): CardModel[] => boardView(view, view.index.at(step), false).waiting;

  it('keeps a card that reads the same as the same object, and takes the new one where anything differs', () => {
    let kept = 0;
    let changed = 0;
    for (let step = 0; step + 1 < view.length; step++) {
      const before = new Map(cardsAt(step).map((c) => [c.key, c]));
      const next = cardsAt(step + 1);
      const now = keepUnchanged(next, before);
      expect(now).toEqual(next);
      now.forEach((card, i) => {
        const old = before.get(card.key);
        if (old !== undefined && JSON.stringify(old) === JSON.stringify(next[i])) {
          expect(card).toBe(old);
          kept++;
        } else {
          expect(card).toBe(next[i]);
          if (old !== undefined) changed++;
        }
      });
    }
    expect(kept, 'cards that stayed as they were').toBeGreaterThan(0);
    expect(changed, 'cards whose words changed').toBeGreaterThan(0);
  });

  it('compares every field', () => {
    const base: CardModel = {
      kind: 'task',
      key: '1:t2',
      label: 'Task-2, worker(1), sleeps until 0.1 s, 0.1 s left',
      name: 'Task-2',
      colour: '#0072b2',
      task: 2,
      coro: 'worker(1)',
      detail: 'sleeps until 0.1 s',
      extra: '0.1 s left',
      outcome: null,
      waits: 'sleeping',
      object: '',
      wake: null,
    };
    expect(sameCard(base, { ...base })).toBe(true);
    for (const field of Object.keys(base)) {
      expect(sameCard(base, { ...base, [field]: `${String((base as unknown as Record<string, unknown>)[field])}x` } as CardModel), field).toBe(false);
    }
    expect(sameCard(base, { ...base, more: 1 } as CardModel)).toBe(false);
  });
});
