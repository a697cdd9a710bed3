import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Trace } from '../src/shared/trace';
import { buildTimeline, clockAt, nextSwitch, previousSwitch, type Span } from '../src/trace/timeline';

function fixture(name: string): Trace {
  return JSON.parse(readFileSync(new URL(`./fixtures/player/${name}.trace.json`, import.meta.url), 'utf8')) as Trace;
}

const states = (spans: readonly Span[]): string[] => spans.map((s) => `${s.state} ${s.from}-${s.to}`);

describe('timeline', () => {
  const trace = fixture('evenodd');
  const timeline = buildTimeline(trace);

  it('has one row per task, in creation order, each ended where the task ended', () => {
    expect(timeline.length).toBe(trace.events.length);
    expect(timeline.rows.map((r) => r.task)).toEqual([0, 1, 2, 3, 4]);
    for (const row of timeline.rows) {
      const done = trace.events.findIndex((e) => e.kind === 'done' && e.task === row.task);
      expect(row.done).toBe(done);
      expect(row.outcome).toBe('result');
      expect(row.created).toBe(trace.tasks[row.task]!.createdAt);
    }
  });

  it('gives each task its ready, running and sleeping spans, in order and without overlap', () => {
    const main = timeline.rows[0]!;
    expect(states(main.spans).slice(0, 3)).toEqual(['ready 7-9', 'running 9-17', 'sleeping 17-174']);
    const task1 = timeline.rows[1]!;
    expect(states(task1.spans).slice(0, 5)).toEqual([
      'ready 14-18',
      'running 18-25',
      'sleeping 25-40',
      'ready 40-45',
      'running 45-54',
    ]);
    for (const row of timeline.rows) {
      for (let i = 1; i < row.spans.length; i++) {
        expect(row.spans[i]!.from).toBeGreaterThanOrEqual(row.spans[i - 1]!.to);
      }
      for (const span of row.spans) expect(span.to).toBeGreaterThan(span.from);
      expect(row.spans.at(-1)!.to).toBe(row.done);
    }
  });

  it('counts the running spans as the task switches', () => {
    const running = timeline.rows.flatMap((r) => r.spans.filter((s) => s.state === 'running').map((s) => s.from));
    expect(timeline.switches.map((s) => s.step).sort((a, b) => a - b)).toEqual(running.sort((a, b) => a - b));
  });

  it('finds the next and previous task switch, optionally among some tasks only', () => {
    expect(nextSwitch(timeline, -1)).toBe(9);
    expect(nextSwitch(timeline, 9)).toBe(18);
    expect(nextSwitch(timeline, 18)).toBe(26);
    expect(previousSwitch(timeline, 26)).toBe(18);
    expect(previousSwitch(timeline, 25)).toBe(18);
    expect(previousSwitch(timeline, 9)).toBeNull();
    expect(nextSwitch(timeline, trace.events.length)).toBeNull();
    const learner = (task: number): boolean => task < 3;
    const last = timeline.switches.filter((s) => s.task < 3).at(-1)!.step;
    expect(nextSwitch(timeline, last, learner)).toBeNull();
    expect(nextSwitch(timeline, last)).not.toBeNull();
  });

  it('marks where the virtual clock moved', () => {
    expect(timeline.clock.map((c) => c.time)).toEqual([0.0001, 0.0002, 0.00030000000000000003, 0.0004, 0.0005]);
    expect(clockAt(timeline, -1)).toBe(0);
    expect(clockAt(timeline, 35)).toBe(0);
    expect(clockAt(timeline, 36)).toBe(0.0001);
    expect(clockAt(timeline, 1000)).toBe(0.0005);
  });

  it('treats a bare yield as waiting in the ready queue, and a cancelled task as ended', () => {
    const t = buildTimeline(fixture('cancel'));
    const sleeper = t.rows[2]!;
    expect(states(sleeper.spans).slice(0, 4)).toEqual(['ready 16-29', 'running 29-31', 'ready 31-33', 'running 33-36']);
    expect(sleeper.outcome).toBe('cancelled');
    const main = t.rows[0]!;
    expect(main.outcome).toBe('exception');
  });

  it('leaves a task that never ends open until the end of the trace', () => {
    const trace = fixture('deadlock');
    const t = buildTimeline(trace);
    expect(t.rows[0]!.done).toBeNull();
    expect(t.rows[0]!.spans.at(-1)).toEqual({ state: 'sleeping', from: 10, to: trace.events.length });
  });
});
