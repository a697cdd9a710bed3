/** The `loop-lab` command line's options, read one way by the entry (early.ts) and the command (main.ts). */
import { parseArgs } from 'node:util';

/** `argv` (without node and the script) read into options and positionals; throws on an unknown option. */
export function parseCommandLine(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
      format: { type: 'string' },
      'max-steps': { type: 'string' },
      timeout: { type: 'string' },
      'no-cache': { type: 'boolean' },
    },
  });
}
