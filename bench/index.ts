/** `npm run bench`: runtime and UI benchmarks, printed as tables. Compare ratios within one run. */
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

await section('Runtime (Node, one process)', benchRuntime);
await section('Player (browser edition in Chromium)', benchUi);
