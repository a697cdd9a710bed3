/**
 * Records every lesson program's expected output with real CPython:
 *
 *   npx tsx scripts/record-lessons.ts            record all lessons
 *   npx tsx scripts/record-lessons.ts 07 queue   only folders whose name contains 07 or queue
 *   npx tsx scripts/record-lessons.ts --check    record nothing; exit 1 if a recording is stale
 *   npx tsx scripts/record-lessons.ts --dir tests/fixtures/lessons-broken 01-good
 *                                                another folder of lessons (test fixtures)
 *
 * Each program runs in its lesson folder as `python3 FILE.py 2>&1`, so the .out file holds
 * stdout and stderr interleaved as a terminal shows them (PYTHONUNBUFFERED=1 keeps the two
 * streams in the order the program wrote them, as on a terminal). Expected output must come
 * from real CPython, never from Loop Lab's own runtime.
 *
 * A recording that differs from the new output only in what compare-output normalizes (object
 * addresses, install paths, the program's folder) is left untouched, so re-recording on another
 * machine changes nothing that matters.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { compareOutput } from '../src/lessons/compare-output';

const project = resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const dirAt = args.indexOf('--dir');
const root = dirAt >= 0 && args[dirAt + 1] ? resolve(project, args[dirAt + 1]!) : join(project, 'lessons');
const check = args.includes('--check');
const filters = args.filter((a, i) => !a.startsWith('--') && !(dirAt >= 0 && i === dirAt + 1));
const python = process.env.PYTHON ?? 'python3';

const version = spawnSync(python, ['--version'], { encoding: 'utf8' });
if (version.status !== 0) {
  process.stderr.write(`record-lessons: cannot run ${python}: ${version.error?.message ?? version.stderr}\n`);
  process.exit(1);
}
process.stdout.write(`Recording with ${python} (${(version.stdout || version.stderr).trim()})\n`);

const folders = readdirSync(root)
  .filter((name) => statSync(join(root, name)).isDirectory())
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();

let written = 0;
let stale = 0;
for (const folder of folders) {
  const dir = join(root, folder);
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.py')).sort()) {
    const result = spawnSync('sh', ['-c', `exec ${python} "$0" 2>&1`, file], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, PYTHONUNBUFFERED: '1', PYTHONHASHSEED: '0', PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 60_000,
    });
    if (result.error) {
      process.stderr.write(`${folder}/${file}: ${result.error.message}\n`);
      process.exitCode = 1;
      continue;
    }
    const output = result.stdout;
    const outPath = join(dir, file.replace(/\.py$/, '.out'));
    const before = existsSync(outPath) ? readFileSync(outPath, 'utf8') : null;
    const status = result.status === 0 ? 'ok' : `exit ${result.status}`;
    // Addresses and install paths change from run to run and machine to machine; a recording
    // that differs only in those (see src/lessons/compare-output.ts) is left as it is.
    if (before !== null && compareOutput(output, before, file).same) {
      process.stdout.write(`  same     ${folder}/${file} (${status})\n`);
      continue;
    }
    if (check) {
      stale++;
      process.stdout.write(`  STALE    ${folder}/${file} (${status})\n`);
      continue;
    }
    writeFileSync(outPath, output);
    written++;
    process.stdout.write(`  written  ${folder}/${file} (${status})\n`);
  }
}
if (check && stale > 0) {
  process.stdout.write(`${stale} recording(s) differ from what ${python} prints now.\n`);
  process.exitCode = 1;
} else if (!check) {
  process.stdout.write(`${written} file(s) written.\n`);
}
