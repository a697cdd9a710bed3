/**
 * A lesson as a printed handout (src/renderer/lib/handout.ts): its text, its code, and at each
 * stop the question without its answer and the board at that step, from the recorded run of
 * lesson 18's program (tests/fixtures/player/queue.trace.json); the answers last.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/lessons';
import { handoutOf } from '../src/renderer/lib/handout';
import { TraceView } from '../src/renderer/lib/trace-view';
import type { Trace } from '../src/shared/trace';
import { readLessonFiles } from './lesson-files';

const catalog = loadCatalog(readLessonFiles(resolve(import.meta.dirname, '..', 'lessons')));
const lesson = catalog.lessons.find((l) => l.slug === 'queue')!;
const trace = JSON.parse(readFileSync(new URL('./fixtures/player/queue.trace.json', import.meta.url), 'utf8')) as Trace;

describe('the printed handout', () => {
  it('has the lesson’s text and code, and the board at every stop', () => {
    expect(trace.source).toBe(lesson.programs[0]!.source);
    const handout = handoutOf(lesson, { 'main.py': new TraceView(trace) });
    expect(handout.title).toBe(lesson.title);
    expect(handout.programs[0]!.lines[2]).toBe('async def baker(queue):');
    expect(handout.stops.map((s) => s.title)).toEqual(lesson.stops.map((s) => s.title));
    for (const stop of handout.stops) {
      expect(stop.board, stop.title).not.toBeNull();
      expect(stop.missing).toBeNull();
    }
    const full = handout.stops[0]!.board!;
    expect(full.lanes.find((l) => l.name === 'Waiting')!.cards).toEqual([
      "Task-1 (main()): waits for Queue.put on shelf; Queue shelf: 2 of 2: 'apple pie', 'brownie' · 2 not yet task_done()",
    ]);
    expect(full.printed).toEqual(['baker put apple pie on the shelf', 'baker put brownie on the shelf']);
    expect(JSON.stringify(handout)).not.toMatch(/0x[0-9a-f]/);
  });

  it('asks each question without its answer, and lists the answers at the end', () => {
    const handout = handoutOf(lesson, { 'main.py': new TraceView(trace) });
    const asked = handout.stops.filter((s) => s.question);
    expect(asked).toHaveLength(lesson.stops.filter((s) => s.checkpoint).length);
    expect(handout.answers.map((a) => a.number)).toEqual(asked.map((s) => s.number));
    const first = asked[0]!;
    expect(first.question!.choices.length).toBeGreaterThan(1);
    // As on screen, the board at a question never says which task runs next, nor when the
    // task a wake-time question asks about wakes.
    for (const stop of asked) expect(JSON.stringify(stop.board)).not.toMatch(/runs next/);
    const bob = asked.find((s) => s.title === 'Everyone is busy')!;
    expect(bob.board!.lanes.find((l) => l.name === 'Waiting')!.cards.find((c) => c.startsWith('Bob'))).toMatch(/your prediction/);
  });

  it('says so where a program’s run is not at hand', () => {
    const handout = handoutOf(lesson, {});
    expect(handout.stops.every((s) => s.board === null && s.missing === 'The board at this stop: open main.py in Loop Lab.')).toBe(true);
    expect(handout.answers.length).toBe(0);
  });
});
