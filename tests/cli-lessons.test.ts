/**
 * `loop-lab lessons check` and `loop-lab lessons record` (src/cli/lessons.ts, built into
 * out/node): the example pack checks clean (exit 0), as a folder and as a .zip; a broken pack
 * exits 1 with each problem as PATH:LINE: message; record writes what real CPython printed.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareOutput } from '../src/lessons/compare-output';
import { readPackFolder } from '../src/lessons/pack-folder';
import { zipPack } from '../src/lessons/pack-zip';
import { builtWorker, ROOT } from './corpus/harness';

const BIN = join(ROOT, 'bin/loop-lab.mjs');
const EXAMPLE = join(ROOT, 'examples', 'lesson-pack');
const BROKEN = join(ROOT, 'tests', 'fixtures', 'broken-pack');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  builtWorker(); // the CLI runs the built runtime: refuse to test a stale one
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 120_000, cwd: ROOT });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('loop-lab lessons check', () => {
  it('the example pack: every lesson ok, no problems, exit 0', () => {
    const result = cli('lessons', 'check', 'examples/lesson-pack');
    expect(result.stderr).toBe('');
    expect(result.stdout.trimEnd().split('\n')).toEqual([
      'ok    01-gather-keeps-order  gather keeps the order you asked in (1 program, 4 stops)',
      'ok    02-giving-up-with-wait-for  Giving up with wait_for (1 program, 3 stops)',
      'Asyncio extras: 2 lessons, 7 stops, 5 questions; no problems.',
    ]);
    expect(result.status).toBe(0);
  });

  it('a pack\'s own words reach the terminal with their control characters shown escaped, not obeyed', () => {
    // Before, a lesson title with ANSI and OSC escapes set the terminal's title and cleared the
    // screen (a second attacker's finding): `lessons check` is for packs from strangers.
    const dir = mkdtempSync(join(tmpdir(), 'loop-lab-cli-escapes-'));
    cpSync(join(EXAMPLE, '01-gather-keeps-order'), join(dir, '01-hello'), { recursive: true });
    const lessonFile = join(dir, '01-hello', 'lesson.md');
    const text = readFileSync(lessonFile, 'utf8');
    writeFileSync(lessonFile, text.replace(/^title: .*$/m, 'title: "Hello\\e]0;OWNED\\a\\e[2J\\e[1;31mINFECTED\\e[0m\\u202Eevil"'));
    writeFileSync(join(dir, 'pack.md'), readFileSync(join(EXAMPLE, 'pack.md'), 'utf8').replace(/^title: .*$/m, 'title: "Extras\\e[2J"'));
    const result = cli('lessons', 'check', dir);
    expect(result.stdout + result.stderr).not.toMatch(/[\u001b\u0007\u202e]/);
    expect(result.stdout).toContain('01-hello  Hello\\u{1b}]0;OWNED\\u{7}\\u{1b}[2J\\u{1b}[1;31mINFECTED\\u{1b}[0m\\u{202e}evil (1 program');
    expect(result.stdout).toContain('Extras\\u{1b}[2J: 1 lesson');
    rmSync(dir, { recursive: true, force: true });
  });

  it('the example pack as a .zip', async () => {
    const source = await readPackFolder(EXAMPLE);
    const dir = mkdtempSync(join(tmpdir(), 'loop-lab-cli-pack-'));
    const zip = join(dir, 'extras.zip');
    writeFileSync(zip, zipPack(source.files.map((f) => ({ path: `lesson-pack/${f.path}`, bytes: f.bytes }))));
    const result = cli('lessons', 'check', zip);
    expect(result.stdout).toContain('Asyncio extras: 2 lessons, 7 stops, 5 questions; no problems.');
    expect(result.status).toBe(0);
  });

  it('a broken pack: exit 1, each problem by file and line, the good lesson ok', () => {
    const result = cli('lessons', 'check', 'tests/fixtures/broken-pack');
    expect(result.status).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.slice(0, 5)).toEqual([
      'ok    01-good  A good lesson (1 program, 1 stop)',
      'FAIL  02-bad-frontmatter  cannot be loaded',
      'FAIL  03-never-reached  Stops that do not fit (1 program, 2 stops)',
      'FAIL  04-runaway  Too many steps (1 program, 0 stops)',
      'FAIL  05-not-utf8  cannot be loaded',
    ]);
    const problems = lines.slice(5, -1);
    const at = (file: string): string => `tests/fixtures/broken-pack/${file}`;
    expect(problems.map((p) => p.slice(0, p.indexOf(': ')))).toEqual([
      at('02-bad-frontmatter/lesson.md:2'),
      at('03-never-reached/tour.md:1'),
      at('03-never-reached/tour.md:9'),
      at('04-runaway/main.py:2'),
      at('05-not-utf8/main.py:1'),
    ]);
    expect(problems[0]).toContain('the value of "title" must be put in quotes');
    expect(problems[1]).toContain('the answer written for stop "main sleeps" is "2", but the run says "1"');
    expect(problems[2]).toContain('waits for the first time the program runs line 8, but in this run that never happens');
    expect(problems[3]).toContain('did not run to its end in Loop Lab: The program ran 1,000,000 lines, its step budget');
    expect(problems[4]).toContain('not UTF-8 text (byte 0xe9)');
    expect(lines.at(-1)).toBe('A broken pack: 5 lessons, 3 stops, 2 questions; 5 problems.');
    // Every problem line points at a file that is there.
    for (const line of problems) expect(existsSync(join(ROOT, line.slice(0, line.indexOf(':')))), line).toBe(true);
  });

  it('a pack that is not there, or a missing argument', () => {
    const missing = cli('lessons', 'check', 'no/such/pack');
    expect(missing.status).toBe(1);
    expect(missing.stdout).toMatch(/^no\/such\/pack: the folder could not be read: ENOENT\./m);
    const usage = cli('lessons', 'check');
    expect(usage.status).toBe(64);
    expect(usage.stderr).toMatch(/needs a PACK/);
  });
});

describe('loop-lab lessons record', () => {
  it('writes each program’s output next to it: what real CPython printed; a second run changes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-lab-cli-record-'));
    cpSync(EXAMPLE, join(dir, 'pack'), { recursive: true });
    const outs = ['01-gather-keeps-order/main.out', '02-giving-up-with-wait-for/main.out'];
    for (const out of outs) rmSync(join(dir, 'pack', out));
    const first = cli('lessons', 'record', join(dir, 'pack'));
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/2 programs, 2 recorded\.\n$/);
    for (const out of outs) {
      const recorded = readFileSync(join(dir, 'pack', out), 'utf8');
      // The example's own .out files were recorded with python3 (scripts/record-lessons.ts).
      expect(compareOutput(recorded, readFileSync(join(EXAMPLE, out), 'utf8'), 'main.py').same, out).toBe(true);
    }
    const again = cli('lessons', 'record', join(dir, 'pack'));
    expect(again.stdout).toMatch(/2 programs, 0 recorded\.\n$/);
    expect(again.stdout).toContain(`same     ${relative(ROOT, join(dir, 'pack', outs[0]!))}`);
  });

  it('does not record a program that does not run to its end', () => {
    const dir = mkdtempSync(join(tmpdir(), 'loop-lab-cli-record-'));
    cpSync(join(BROKEN, '04-runaway'), join(dir, 'pack', '04-runaway'), { recursive: true });
    const before = readFileSync(join(dir, 'pack', '04-runaway', 'main.out'), 'utf8');
    const result = cli('lessons', 'record', join(dir, 'pack'));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/04-runaway\/main\.py: not recorded: the program did not run to its end\. The program ran 1,000,000 lines/);
    expect(readFileSync(join(dir, 'pack', '04-runaway', 'main.out'), 'utf8')).toBe(before);
  });
});
