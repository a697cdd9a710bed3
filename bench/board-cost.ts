/**
 * The board's cost per event (src/trace/board-replay.ts), on traces of the shapes that once
 * made it O(board) per event (bench/board-shapes.ts, 50,000 tasks or timers each, built without
 * Python): the time to build a `BoardIndex` over the whole trace, to open its middle step from
 * step 0 and then the next step, and for `loop-lab trace --format text`'s rows and table
 * (src/trace/jsonl.ts, src/cli/table.ts) over the whole trace. Each is the least of 3 runs, in
 * milliseconds. Before the
 * indexed board (commit 84475ae) the builds took 131 s, 5.7 s and 939 s, and the CLI on the
 * cancelled timers 11 min 27 s. Run it with `BENCH_ONLY=board npx tsx bench/index.ts` (or
 * through `npm run bench`, which builds first).
 */
import { performance } from 'node:perf_hooks';
import { tableLines } from '../src/cli/table';
import type { Trace } from '../src/shared/trace';
import { BoardIndex } from '../src/trace/board';
import { atResolution } from '../src/trace/describe';
import { eachStepRow } from '../src/trace/jsonl';
import { cancelledTimers, readyAtOnce, reverseSleepers, sleepsOnOneHandle, wokenInTheMiddle } from './board-shapes';
import type { BenchRow } from './table';

/** Tasks or timers in each shape. */
const N = 50_000;
const RUNS = 3;

/** The least of `RUNS` timings of `work`, in milliseconds. */
function least(work: () => void): number {
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    work();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

function row(name: string, ms: number, goalMs: number, note: string): BenchRow {
  return { name, value: ms, unit: 'ms', goal: `≤ ${goalMs.toLocaleString('en')} ms`, ok: ms <= goalMs, note };
}

function indexRows(label: string, trace: Trace, before: string, rows: BenchRow[]): void {
  let index: BoardIndex | undefined;
  const build = least(() => {
    index = new BoardIndex(trace);
  });
  rows.push(row(`BoardIndex build: ${label}`, build, 1_000, `${trace.events.length.toLocaleString('en')} events, least of ${RUNS}; before: ${before}`));
  const middle = trace.events.length >> 1;
  const built = index!;
  // A far jump: from step 0 to the middle (its snapshot's indexes rebuilt, up to a gap replayed).
  let far = Infinity;
  for (let run = 0; run < RUNS; run++) {
    built.at(0);
    const started = performance.now();
    built.at(middle);
    far = Math.min(far, performance.now() - started);
  }
  rows.push(row(`open the middle step from step 0: ${label}`, far, 100, `at(${middle.toLocaleString('en')}) after at(0), least of ${RUNS}`));
  // Playing forward: each next step replays on from the board last opened, then copies it.
  let next = Infinity;
  for (let run = 1; run <= RUNS; run++) {
    const started = performance.now();
    built.at(middle + run);
    next = Math.min(next, performance.now() - started);
  }
  rows.push(row(`the next step: ${label}`, next, 30, `at(${middle.toLocaleString('en')} + 1) after at(${middle.toLocaleString('en')}): a plain copy of the board, least of ${RUNS}`));
}

export function benchBoard(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const cancelled = cancelledTimers(N);
  indexRows(`${N.toLocaleString('en')} call_later, then each cancelled`, cancelled, '131 s', rows);
  indexRows(`${N.toLocaleString('en')} tasks ready at once`, readyAtOnce(N), '5.7 s', rows);
  indexRows(`${N.toLocaleString('en')} sleepers, woken in reverse`, reverseSleepers(N), '939 s', rows);
  const tables: [string, Trace, string][] = [
    [`${N.toLocaleString('en')} cancelled timers`, cancelled, 'before: the CLI took 11 min 27 s with its run'],
    [`${N.toLocaleString('en')} tasks ready at once`, readyAtOnce(N), 'each row lists the ready queue and the tasks done'],
    [`${N.toLocaleString('en')} sleepers woken in reverse`, reverseSleepers(N), 'each row lists the waiting tasks'],
  ];
  for (const [label, trace, before] of tables) {
    let characters = 0;
    const table = least(() => {
      characters = 0;
      for (const line of tableLines((most) => eachStepRow(trace, atResolution, most))) characters += line.length;
    });
    rows.push(
      row(
        `loop-lab trace --format text's table: ${label}`,
        table,
        10_000,
        `rows made twice (sizing, then writing), ${characters.toLocaleString('en')} characters, no Python, least of ${RUNS}; ${before}`,
      ),
    );
  }
  forgedRows(rows);
  return Promise.resolve(rows);
}

/** Most a forged shape may cost against its control of the same size (a real run's shape). */
const FORGED_RATIO = 4;

/**
 * Forged traces the rules take as sound, that once cost the board O(board) per event where a
 * run's of the same size costs O(1) (helper-145): each timed against its control, in this run.
 */
function forgedRows(rows: BenchRow[]): void {
  const ratioRow = (name: string, forgedMs: number, controlMs: number, note: string): BenchRow => {
    const ratio = forgedMs / controlMs;
    return { name, value: ratio, unit: '×', goal: `≤ ${FORGED_RATIO}×`, ok: ratio <= FORGED_RATIO, note: `${forgedMs.toFixed(0)} ms against ${controlMs.toFixed(0)} ms, least of ${RUNS}; ${note}` };
  };
  const k = 20_000;
  const oneHandle = sleepsOnOneHandle(k, true);
  const handles = sleepsOnOneHandle(k, false);
  rows.push(
    ratioRow(
      `forged: one timer handle set ${k.toLocaleString('en')} times and slept on as often, indexed`,
      least(() => new BoardIndex(oneHandle).at(oneHandle.events.length - 1)),
      least(() => new BoardIndex(handles).at(handles.events.length - 1)),
      'against as many handles; before: 11.6 s against 1 s at 40,000',
    ),
  );
  const table = (trace: Trace): void => {
    for (const line of tableLines((most) => eachStepRow(trace, atResolution, most))) void line;
  };
  const middle = wokenInTheMiddle(3000, 6000, 2);
  const end = wokenInTheMiddle(3000, 6000, 1e10);
  rows.push(
    ratioRow(
      "forged: 3,000 waiting tasks woken from the middle of the order, then 6,000 steps: loop-lab trace --format text's table",
      least(() => table(middle)),
      least(() => table(end)),
      'against woken from the end; before: 81 s against 2 s at 10,000 and 20,000',
    ),
  );
}
