/**
 * The `loop-lab` command's entry (bin/loop-lab.mjs loads it). For `run` and `trace` it starts
 * the interpreter first (early.ts), then loads the command itself (main.ts), which takes it.
 */
import { startEarly } from './early';

const argv = process.argv.slice(2);
const early = startEarly(argv);
const { runCommandLine } = await import('./main');
runCommandLine(argv, early);
