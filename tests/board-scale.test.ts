/**
 * The board replayed over indexed structures (src/trace/board-replay.ts) is the board the array
 * code gave (tests/board-reference.ts, the event application as it was at commit 84475ae): at
 * EVERY step of every shipped lesson trace, of the player's fixture traces, of forged traces
 * (tests/board-forged.ts: several loops, repeated ids, cancels, reorders, eager steps, the
 * network) and of the three shapes that once cost O(board) per event, small; both what the
 * live board reads through its getters and what `BoardIndex.at(i)` hands out. And the cost per
 * event no longer grows with the board: the 50,000-cancel trace builds, and the work per event
 * of a growing board, counted, stays flat (no timings: the bench, bench/board-cost.ts, has them).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { TRACES_DIR } from '../build/trace-assets';
import { cancelledTimers, readyAtOnce, reverseSleepers, sleepsOnOneHandle, wokenInTheMiddle } from '../bench/board-shapes';
import { checkReferences, parseTraceFile, type Trace } from '../src/shared/trace';
import { type Board, BoardIndex, readyHead, readyOf, sleepingHead, timersOf } from '../src/trace/board';
import { ReplayBoard } from '../src/trace/board-replay';
import { CELL_ENTRIES, tableLines } from '../src/cli/table';
import { atResolution } from '../src/trace/describe';
import { eachStepRow } from '../src/trace/jsonl';
import { apply as referenceApply, cloneBoard as referenceClone, emptyBoard as referenceEmpty } from './board-reference';
import { forgedTrace } from './board-forged';
import { seeded } from './seeded-random';

/** Array methods that walk their array: what the reference board spent its time in. */
const WALKERS = ['filter', 'splice', 'findIndex', 'find', 'indexOf', 'includes', 'slice', 'map', 'sort', 'some', 'every', 'forEach', 'shift', 'reverse'] as const;

/** The array elements `run` walks through Array.prototype's walking methods (each call counts its array's length). */
function arrayWork(run: () => void): number {
  let work = 0;
  const originals = WALKERS.map((name) => [name, Reflect.get(Array.prototype, name) as (...args: unknown[]) => unknown] as const);
  for (const [name, original] of originals) {
    Object.defineProperty(Array.prototype, name, {
      configurable: true,
      writable: true,
      value(this: unknown[], ...args: unknown[]): unknown {
        work += this.length;
        return original.apply(this, args);
      },
    });
  }
  try {
    run();
  } finally {
    for (const [name, original] of originals) Object.defineProperty(Array.prototype, name, { configurable: true, writable: true, value: original });
  }
  return work;
}

/** Everything the UI reads of a board, read through the `Board` interface into plain data. */
function read(board: Board): unknown {
  const loops: Record<string, unknown> = {};
  for (const [id, q] of Object.entries(board.loops)) loops[id] = { ready: [...q.ready], timers: q.timers.map((t) => ({ ...t })), closed: q.closed };
  return {
    step: board.step,
    clock: board.clock,
    loop: board.loop,
    loops,
    running: board.running,
    paused: [...board.paused],
    sleeping: [...board.sleeping],
    done: [...board.done],
    lines: { ...board.lines },
    line: board.line,
    names: { ...board.names },
    outputs: board.outputs,
    end: board.end,
    chains: { ...board.chains },
    objects: { ...board.objects },
    woken: { ...board.woken },
    blocked: board.blocked,
    runningSince: board.runningSince,
    net: board.net,
    ready: [...readyOf(board)],
    timers: timersOf(board).map((t) => ({ ...t })),
  };
}

/** Holds `actual` to `expected`: a fast check, and vitest's diff when they differ. */
function same(actual: unknown, expected: unknown, where: string): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual, where).toEqual(expected);
}

/**
 * Replays `trace` on the new board and on the reference side by side, comparing them at every
 * step; then opens sampled steps with `BoardIndex` (snapshots every `every` events).
 */
function holdToReference(name: string, trace: Trace, every = 16): number {
  const board = new ReplayBoard();
  const reference = referenceEmpty();
  const kept = new Map<number, Board>();
  const random = seeded(trace.events.length);
  const sampled = (i: number): boolean => i < 3 || i % every === 0 || (i + 1) % every === 0 || random() < 0.02 || i === trace.events.length - 1;
  same(read(board), read(reference), `${name}: before the first event`);
  trace.events.forEach((event, i) => {
    board.apply(event, i);
    referenceApply(reference, event, i);
    same(read(board), read(reference), `${name}: step ${i} (${event.kind})`);
    if (sampled(i)) {
      kept.set(i, referenceClone(reference));
      // The live board compares as a plain board does (its lists are own, enumerable accessors).
      if (i % (every * 4) === 0) expect(board, `${name}: step ${i}, the live board`).toEqual(reference);
    }
  });
  const index = new BoardIndex(trace, every);
  same(index.at(-1), referenceEmpty(), `${name}: at(-1)`);
  // In order (each step replays on from the board last opened), then shuffled (far jumps back and forth).
  const order = [...kept.keys()];
  const shuffled = order.map((i) => [random(), i] as const).sort((a, b) => a[0] - b[0]).map(([, i]) => i);
  for (const i of [...order, ...shuffled]) {
    const expected = kept.get(i)!;
    const opened = index.at(i);
    same(opened, expected, `${name}: at(${i})`);
    // A plain board, as the UI has always had: its getters-free reading is the same.
    same(read(opened), read(expected), `${name}: at(${i}) read`);
  }
  return trace.events.length;
}

/** The shipped lessons' traces (out/traces, made by `npm run build`). */
function shippedTraces(): [string, Trace][] {
  if (!existsSync(join(TRACES_DIR, 'index.json'))) throw new Error('out/traces is missing: run `npm run build:traces` first');
  return readdirSync(TRACES_DIR)
    .filter((file) => file.endsWith('.json') && file !== 'index.json')
    .sort()
    .map((file) => [file.slice(0, 12), parseTraceFile(JSON.parse(readFileSync(join(TRACES_DIR, file), 'utf8')))]);
}

const FIXTURES = new URL('./fixtures/player/', import.meta.url);

describe('the indexed board is the reference board at every step', () => {
  it('on every shipped lesson trace', () => {
    const traces = shippedTraces();
    expect(traces.length).toBeGreaterThanOrEqual(19);
    let steps = 0;
    for (const [name, trace] of traces) steps += holdToReference(name, trace);
    expect(steps).toBeGreaterThan(1000);
  });

  it('on the player\'s fixture traces (cancel, deadlock, queue, taskgroup …)', () => {
    const files = readdirSync(FIXTURES).filter((f) => f.endsWith('.trace.json'));
    expect(files.length).toBeGreaterThanOrEqual(5);
    for (const file of files) holdToReference(file, JSON.parse(readFileSync(new URL(file, FIXTURES), 'utf8')) as Trace, 7);
  });

  it.each(Array.from({ length: 40 }, (_, seed) => seed + 1))('on forged trace %i (loops nested and closed, repeated ids, cancels, reorders, eager steps, the network)', (seed) => {
    const trace = forgedTrace(seed);
    holdToReference(`forged ${seed}`, trace, 1 + (seed % 9) * 8);
    // The forgeries do reach what they are for.
    const kinds = new Set(trace.events.map((e) => (e.kind === 'net' ? `net:${e.op}` : e.kind)));
    for (const kind of ['timer_cancel', 'eager_start', 'done', 'loop', 'net:connect', 'net:send', 'net:arrive']) expect(kinds).toContain(kind);
  });

  it('the forged traces reach a second loop met while the first holds work, which then leaves it', () => {
    // The board keeps which loops hold a task or a timer only from the second loop on
    // (board-replay.ts, #indexed): made then from what the loops hold. The forgeries above are
    // held to the reference through that moment, with work queued, and taken out after.
    let reached = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const reference = referenceEmpty();
      let heldWhenMet: Set<string> | null = null;
      let leftAfter = false;
      forgedTrace(seed).events.forEach((event, i) => {
        const before = Object.keys(reference.loops);
        const held = (): Set<string> => {
          const work = new Set<string>();
          for (const [loop, q] of Object.entries(reference.loops)) {
            for (const item of q.ready) work.add(`${loop} ${JSON.stringify(item)}`);
            for (const t of q.timers) work.add(`${loop} timer ${t.timer}`);
          }
          return work;
        };
        const was = heldWhenMet === null ? null : held();
        referenceApply(reference, event, i);
        if (heldWhenMet === null && before.length === 1 && Object.keys(reference.loops).length > 1) {
          const work = held();
          if ([...work].some((w) => w.startsWith(`${before[0]} `))) heldWhenMet = work;
        } else if (heldWhenMet !== null && was !== null) {
          const now = held();
          if ([...heldWhenMet].some((w) => was.has(w) && !now.has(w))) leftAfter = true;
        }
      });
      if (heldWhenMet !== null && leftAfter) reached++;
    }
    expect(reached).toBeGreaterThanOrEqual(5);
  });

  it.each([
    ['cancelled timers', cancelledTimers],
    ['tasks ready at once', readyAtOnce],
    ['sleepers woken in reverse', reverseSleepers],
  ] as const)('on the pathological shape "%s", 300 at a time', (_name, shape) => {
    holdToReference(_name, shape(300), 64);
  });

  it('on the forged shapes that once cost O(board) per event, taken as sound (their cost: the bench, bench/board-cost.ts)', () => {
    const shapes: [string, Trace][] = [
      ['one timer handle set 300 times, slept on as often', sleepsOnOneHandle(300, true)],
      ['150 waiting tasks woken from the middle, then 300 steps', wokenInTheMiddle(150, 300, 2)],
    ];
    for (const [name, trace] of shapes) {
      expect(checkReferences(trace), name).toBeNull();
      holdToReference(name, trace, 32);
    }
  });
});

/**
 * Replays `trace` reading only the first entries of the ready queue and the waiting tasks (as
 * the text table does: no whole list is ever made, so the waiting tasks' heap of entries added
 * is walked, not sorted), held to the reference's whole lists cut, at every step.
 */
function holdHeadsToReference(name: string, trace: Trace): void {
  const board = new ReplayBoard();
  const reference = referenceEmpty();
  trace.events.forEach((event, i) => {
    board.apply(event, i);
    referenceApply(reference, event, i);
    for (const most of [1, 2, 5, CELL_ENTRIES.sleeping, CELL_ENTRIES.ready]) {
      same(readyHead(board, most), readyOf(reference).slice(0, most), `${name}: step ${i}, the ready queue's first ${most}`);
      same(sleepingHead(board, most), reference.sleeping.slice(0, most), `${name}: step ${i}, the first ${most} waiting`);
    }
  });
}

describe('the first entries of a list, read without making the whole list', () => {
  it('are the reference board\'s, at every step: shipped traces, forged ones, the pathological shapes', () => {
    for (const [name, trace] of shippedTraces()) holdHeadsToReference(name, trace);
    for (let seed = 1; seed <= 40; seed++) holdHeadsToReference(`forged ${seed}`, forgedTrace(seed));
    holdHeadsToReference('cancelled timers', cancelledTimers(300));
    holdHeadsToReference('tasks ready at once', readyAtOnce(300));
    holdHeadsToReference('sleepers woken in reverse', reverseSleepers(300));
  });

  it('make the same text table as the whole lists (loop-lab trace --format text)', () => {
    const traces: [string, Trace][] = [
      ...shippedTraces(),
      ['forged 3', forgedTrace(3)],
      ['tasks ready at once', readyAtOnce(200)],
      ['sleepers woken in reverse', reverseSleepers(200)],
    ];
    for (const [name, trace] of traces) {
      const cut = [...tableLines((most) => eachStepRow(trace, atResolution, most))];
      const whole = [...tableLines(() => eachStepRow(trace, atResolution))];
      same(cut, whole, name);
    }
  });
});

describe('the cost of an event does not grow with the board', () => {
  it('builds the index of 50,000 timers set and each cancelled, and opens its steps', () => {
    const trace = cancelledTimers(50_000);
    const index = new BoardIndex(trace);
    const middle = trace.events.length >> 1;
    expect(timersOf(index.at(middle)).length).toBeGreaterThan(49_000);
    expect(timersOf(index.at(trace.events.length - 3)).length).toBe(0);
    expect(timersOf(index.at(middle)).map((t) => t.timer)).toEqual(timersOf(index.at(middle)).map((_, i) => i));
  });

  it('touches a bounded number of array elements per event: counted, on each pathological shape', () => {
    // The reference spends its time in array scans (filter, findIndex, splice …) over the whole
    // board; the indexed board touches a few elements per event however large the board grows.
    const perEvent = (n: number, shape: (n: number) => Trace, replay: (trace: Trace) => void): number => {
      const trace = shape(n);
      return arrayWork(() => replay(trace)) / trace.events.length;
    };
    const indexed = (trace: Trace): void => {
      const board = new ReplayBoard();
      for (let i = 0; i < trace.events.length; i++) board.apply(trace.events[i]!, i);
    };
    const reference = (trace: Trace): void => {
      const board = referenceEmpty();
      for (let i = 0; i < trace.events.length; i++) referenceApply(board, trace.events[i]!, i);
    };
    for (const shape of [cancelledTimers, readyAtOnce, reverseSleepers]) {
      // The counter sees the defect: the reference's work per event grows with the board.
      expect(perEvent(2000, shape, reference), `${shape.name}: reference`).toBeGreaterThan(100);
      const small = perEvent(2000, shape, indexed);
      const large = perEvent(20_000, shape, indexed);
      expect(large, `${shape.name}: 20,000`).toBeLessThan(4);
      expect(large, `${shape.name}: 20,000 vs 2,000`).toBeLessThan(small + 1);
    }
  });
});
