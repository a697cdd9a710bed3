/**
 * `npm run bench`: runtime, UI and board benchmarks, printed as tables. Compare ratios within one
 * run. `BENCH_ONLY=board` runs only the board's rows (bench/board-cost.ts); other `BENCH_ONLY`
 * values are the player's (bench/ui.ts).
 */
import { benchBoard } from './board-cost';
import { benchRuntime } from './runtime';
import { benchUi } from './ui';
import { type BenchRow, formatBenchTable } from './table';

async function section(title: string, run: () => Promise<BenchRow[]>): Promise<void> {
  try {
    process.stdout.write(formatBenchTable(title, await run()));
  } catch (error) {
    process.stdout.write(`\n${title}: could not run (${error instanceof Error ? error.message : String(error)})\n`);
    process.exitCode = 1;
  }
}

const ONLY = process.env.BENCH_ONLY ?? '';

if (ONLY !== 'board') {
  await section('Runtime (Node, one process)', benchRuntime);
  await section('Player (browser edition in Chromium)', benchUi);
}
if (ONLY === '' || ONLY === 'board') await section('Board (Node, one process: the cost of applying events)', benchBoard);
