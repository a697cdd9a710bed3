/**
 * What the CLI's entry reads from the command line before the rest of the CLI has loaded
 * (src/cli/early.ts): the interpreter it starts early must be the one the command would start.
 */
import { describe, expect, it } from 'vitest';
import { earlyCommand } from '../src/cli/early';

describe('earlyCommand', () => {
  it('reads run and trace, and --no-cache wherever it stands', () => {
    expect(earlyCommand(['run', 'a.py'])).toEqual({ command: 'run', cached: true });
    expect(earlyCommand(['trace', 'a.py', '--format', 'text'])).toEqual({ command: 'trace', cached: true });
    for (const argv of [['--no-cache', 'run', 'a.py'], ['run', '--no-cache', 'a.py'], ['run', 'a.py', '--no-cache'], ['trace', '--no-cache', 'a.py', '--format', 'jsonl']]) {
      expect(earlyCommand(argv)).toEqual({ command: argv.includes('trace') ? 'trace' : 'run', cached: false });
    }
    expect(earlyCommand(['--timeout', '5', 'run', 'a.py', '--max-steps', '10'])).toEqual({ command: 'run', cached: true });
  });

  it('starts nothing for help, the version, other commands, a missing or extra file, or an option it does not know', () => {
    for (const argv of [[], ['--help'], ['run', 'a.py', '-h'], ['--version'], ['run', 'a.py', '-V'], ['lessons', 'check', 'pack'], ['run'], ['run', 'a.py', 'b.py'], ['run', 'a.py', '--frobnicate'], ['eval', 'a.py']]) {
      expect(earlyCommand(argv)).toBeNull();
    }
  });
});
