/**
 * The board at step i (src/trace/board.ts): BoardIndex opens any step from its snapshots, and
 * must give exactly what a fresh replay of events 0..i gives, on long real traces, at random
 * steps and at the snapshot edges; the boards it hands out are copies the caller may change.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import type { Trace } from '../src/shared/trace';
import { type Board, BoardIndex, emptyBoard, readyOf, replay } from '../src/trace/board';
import { ReplayBoard } from '../src/trace/board-replay';
import { CORPUS_DIR, runFile, startRuntime, TUTORIAL_DIR } from './corpus/harness';
import { seeded } from './seeded-random';

let runtime: RuntimeSupervisor;
const traces: [string, Trace][] = [];

const ENDLESS = `import asyncio

async def ticker(name, period):
    n = 0
    while True:
        await asyncio.sleep(period)
        n += 1
        if n % 7 == 0:
            print(name, n)

async def main():
    queue = asyncio.Queue(maxsize=2)
    async def producer():
        i = 0
        while True:
            await queue.put(i)
            i += 1
    async def consumer():
        while True:
            await queue.get()
            await asyncio.sleep(0.25)
    await asyncio.gather(ticker("a", 1), ticker("b", 0.5), producer(), consumer())

asyncio.run(main())
`;

beforeAll(async () => {
  runtime = startRuntime();
  await runtime.ready();
  traces.push(['endless (limit)', await runtime.run({ source: ENDLESS, filename: 'main.py', options: { maxSteps: 3000, wallSeconds: 40 } })]);
  for (const [dir, name] of [
    [CORPUS_DIR, '32-many-tasks-same-sleep.py'],
    [CORPUS_DIR, '30-hand-made-loop.py'],
    [CORPUS_DIR, '11-taskgroup-except-star.py'],
    [TUTORIAL_DIR, '12-loop-with-tasks.py'],
  ] as const) {
    traces.push([name, await runFile(runtime, join(dir, name))]);
  }
});

afterAll(() => runtime?.dispose());

/** The board after event `step`, replayed from nothing. */
function freshReplay(trace: Trace, step: number): Board {
  const board = new ReplayBoard();
  for (let i = 0; i <= step; i++) board.apply(trace.events[i]!, i);
  return board.toBoard();
}

describe('BoardIndex', () => {
  it('has long traces to work on', () => {
    expect(traces[0]![1].events.length).toBeGreaterThan(5000);
    expect(traces[0]![1].end.status).toBe('limit');
  });

  it.each([256, 64, 7])('at(i) equals a fresh replay to i, snapshots every %i events', (every) => {
    const random = seeded(every);
    for (const [name, trace] of traces) {
      const index = new BoardIndex(trace, every);
      const last = trace.events.length - 1;
      const steps = new Set([-1, 0, every - 1, every, every + 1, 2 * every, last - 1, last]);
      for (let k = 0; k < 40; k++) steps.add(Math.floor(random() * trace.events.length));
      for (const step of [...steps].filter((s) => s >= -1 && s <= last).sort((a, b) => a - b)) {
        expect(index.at(step), `${name}: step ${step}`).toEqual(freshReplay(trace, step));
      }
      expect(index.length).toBe(trace.events.length);
    }
  });

  it('a board that grows huge (a forged trace: 150,000 asyncio objects) is copied further apart, and at(i) still equals a fresh replay', () => {
    const objects = Array.from({ length: 150_000 }, (_, id) => ({ id, type: 'Queue', label: 'q' }));
    const events: Trace['events'] = [{ kind: 'output', stream: 'stdout', text: '', objects }];
    for (let i = 0; i < 300_000; i++) events.push({ kind: 'line', line: 1 + (i % 3), task: null, callback: null });
    const trace: Trace = { ...traces[0]![1], tasks: [], callbacks: [], events };
    // Copied every 256 events, that was 1,200 copies of 150,000 objects: gigabytes.
    const started = process.memoryUsage().heapUsed;
    const index = new BoardIndex(trace);
    expect(process.memoryUsage().heapUsed - started).toBeLessThan(500 * 2 ** 20);
    for (const step of [0, 255, 256, 149_999, 150_000, 150_001, 299_999, 300_000]) {
      expect(index.at(step), `step ${step}`).toEqual(freshReplay(trace, step));
    }
  });

  it('clamps steps outside the trace', () => {
    const [, trace] = traces[0]!;
    const index = new BoardIndex(trace);
    expect(index.at(-50)).toEqual(emptyBoard());
    expect(index.at(trace.events.length + 100)).toEqual(freshReplay(trace, trace.events.length - 1));
  });

  it('hands out copies: changing one board does not change the next', () => {
    const [, trace] = traces[0]!;
    const index = new BoardIndex(trace, 64);
    const step = 64 * 10; // exactly on a snapshot
    const board = index.at(step);
    const expected = freshReplay(trace, step);
    const loop = board.loop!;
    board.loops[loop]!.ready.push({ kind: 'task', task: 99 });
    board.loops[loop]!.timers.forEach((t) => (t.when = -1));
    board.sleeping.length = 0;
    board.done.push({ task: 99, outcome: 'result', text: 'x', line: null, step: 0 });
    board.lines[0] = -5;
    expect(index.at(step)).toEqual(expected);
    expect(index.at(step + 1)).toEqual(freshReplay(trace, step + 1));
  });

  it('replay() visits the same board as at(i) after every event', () => {
    const [, trace] = traces[1]!;
    const index = new BoardIndex(trace, 32);
    const final = replay(trace, (board, _event, i) => {
      if (i % 13 === 0) expect(board).toEqual(index.at(i));
    });
    expect(final).toEqual(index.at(trace.events.length - 1));
  });

  it('ends a finished program with every task done and nothing ready or running', () => {
    for (const [name, trace] of traces.slice(1)) {
      const board = new BoardIndex(trace).at(trace.events.length - 1);
      expect(board.running, name).toBeNull();
      expect(readyOf(board), name).toEqual([]);
      expect(board.sleeping, name).toEqual([]);
      expect(new Set(board.done.map((d) => d.task)).size, name).toBe(trace.tasks.length);
    }
  });
});
