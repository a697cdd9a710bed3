/**
 * `npm run soak`: 500 programs back to back, normal, runaway and attacks mixed (tests/attacks,
 * issue 9), through the runtime
 * supervisor the app uses (src/runtime/supervisor.ts; here over Node worker threads). Prints
 * crashes (goal 0), runs that needed a runtime restart, host memory at start and end (goal:
 * flat: no growth over the second half of the runs) and the p95 time to a finished trace.
 *
 *   npm run soak            500 runs
 *   npm run soak -- 100     another count
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatBenchTable, percentile } from '../bench/table';
import { createNodeRuntime, testSnapshotStore } from '../src/runtime/node-host';
import type { Trace } from '../src/shared/trace';

const ROOT = join(import.meta.dirname, '..');
const COUNT = Number(process.argv[2] ?? 500);

function programsIn(dir: string): { name: string; source: string }[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.py'))
      .sort()
      .map((f) => ({ name: f, source: readFileSync(join(dir, f), 'utf8') }));
  } catch {
    return [];
  }
}

const NORMAL = [...programsIn(join(ROOT, 'tests/tutorial')), ...programsIn(join(ROOT, 'tests/corpus'))];
/** The sandbox's attack programs: each must fail, and its host must not notice. */
const ATTACKS = programsIn(join(ROOT, 'tests/attacks'));
const RUNAWAY = [
  { name: 'cpu-loop', source: 'while True: pass\n' },
  { name: 'virtual-time', source: 'import asyncio\nasync def main():\n    while True:\n        await asyncio.sleep(1)\nasyncio.run(main())\n' },
  { name: 'prints', source: 'while True:\n    print("spam" * 50)\n' },
  { name: 'memory', source: 'hoard = []\nwhile True:\n    hoard.append(" " * 10_000_000)\n' },
  { name: 'recursion', source: 'def f(n):\n    return f(n + 1)\nf(0)\n' },
  { name: 'deadlock', source: 'import asyncio\nasync def main():\n    await asyncio.Event().wait()\nasyncio.run(main())\n' },
  { name: 'c-hang', source: 'import re\nre.match(r"(a+)+$", "a" * 40 + "b")\n' },
  { name: 'syntax', source: 'def f(:\n    pass\n' },
  { name: 'raises', source: 'import asyncio\nasync def main():\n    raise ValueError("no")\nasyncio.run(main())\n' },
];

if (NORMAL.length === 0) throw new Error('no normal programs found (tests/tutorial, tests/corpus)');

function memoryMb(): { rss: number; heap: number } {
  global.gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss / 2 ** 20, heap: m.heapUsed / 2 ** 20 };
}

const runtime = createNodeRuntime({ snapshots: testSnapshotStore() });
await runtime.ready();
// Warm up, then take the starting memory.
for (const p of NORMAL.slice(0, 5)) await runtime.run({ source: p.source, filename: p.name });
const before = memoryMb();

const times: number[] = [];
/** Process RSS every SAMPLE_EVERY runs: twenty samples in all. */
const SAMPLE_EVERY = Math.max(1, Math.round(COUNT / 20));
const rssSeries: number[] = [];
let crashes = 0;
let limits = 0;
let errors = 0;
let seed = 7;
const random = (): number => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

let escapes = 0;
for (let i = 0; i < COUNT; i++) {
  const draw = random();
  // 55% normal, 25% runaway, 20% attacks.
  const pool = draw < 0.2 && ATTACKS.length > 0 ? ATTACKS : draw < 0.45 ? RUNAWAY : NORMAL;
  const program = pool[Math.floor(random() * pool.length)]!;
  const started = performance.now();
  let trace: Trace;
  try {
    trace = await runtime.run({ source: program.source, filename: `${program.name}` });
  } catch (error) {
    crashes++;
    console.error(`run ${i} (${program.name}) failed: ${String(error)}`);
    continue;
  }
  times.push(performance.now() - started);
  if (trace.events.some((e) => e.kind === 'output' && /^ESCAPED/m.test(e.text))) {
    escapes++;
    console.error(`run ${i} (${program.name}): an attack escaped`);
  }
  const last = trace.events[trace.events.length - 1];
  // An attack may break its own interpreter (that worker is gone after its run anyway): only a
  // normal or runaway program's broken interpreter counts as a crash.
  if (last?.kind === 'limit' && last.reason === 'crashed' && pool !== ATTACKS) {
    crashes++;
    console.error(`run ${i} (${program.name}): ${last.message}`);
  } else if (trace.end.status === 'limit') limits++;
  else if (trace.end.status === 'error') errors++;
  if ((i + 1) % SAMPLE_EVERY === 0) {
    const now = memoryMb();
    rssSeries.push(now.rss);
    process.stderr.write(`  ${i + 1}/${COUNT} runs, RSS ${now.rss.toFixed(0)} MB, JS heap ${now.heap.toFixed(1)} MB\n`);
  }
}

const after = memoryMb();
runtime.dispose();
const half = Math.ceil(rssSeries.length / 2);
const firstPeak = Math.max(before.rss, ...rssSeries.slice(0, half));
const secondPeak = Math.max(after.rss, ...rssSeries.slice(half));
const flat = secondPeak <= firstPeak * 1.1 && after.heap < before.heap * 1.5 + 20;

process.stdout.write(
  formatBenchTable(`Soak: ${COUNT} programs (${NORMAL.length} normal, ${RUNAWAY.length} runaway kinds, ${ATTACKS.length} attacks; 25% runaway, 20% attacks)`, [
    { name: 'crashes', value: crashes, unit: '', goal: '0', ok: crashes === 0 },
    { name: 'attacks that escaped', value: escapes, unit: '', goal: '0', ok: escapes === 0, note: `${ATTACKS.length} attack programs in the mix` },
    { name: 'runs that needed a runtime restart', value: runtime.restarts, unit: '', note: 'a run stuck inside C code is stopped by replacing its worker' },
    {
      name: 'interpreters started',
      value: runtime.starts.cold + runtime.starts.restored,
      unit: '',
      note: `one per run: ${runtime.starts.restored} from the snapshot, ${runtime.starts.cold} cold`,
    },
    { name: 'runs ended by a limit', value: limits, unit: '' },
    { name: 'runs ended by an exception', value: errors, unit: '' },
    {
      name: 'host memory at start (RSS)',
      value: before.rss,
      unit: 'MB',
      note: `after 5 warm-up runs; JS heap ${before.heap.toFixed(1)} MB`,
    },
    {
      name: 'host memory at end (RSS)',
      value: after.rss,
      unit: 'MB',
      goal: 'flat',
      ok: flat,
      note:
        `JS heap ${after.heap.toFixed(1)} MB; RSS every ${SAMPLE_EVERY} runs: ${rssSeries.map((m) => m.toFixed(0)).join(', ')} MB. ` +
        'RSS counts the Python workers\' WebAssembly memory, which grows on the first memory-hungry program and is ' +
        'given back when a worker is recycled; flat = the second half never exceeds the first half\'s peak by 10%, and the JS heap does not grow',
    },
    { name: 'p95 time to a finished trace', value: percentile(times, 95), unit: 'ms', note: `median ${percentile(times, 50).toFixed(1)} ms` },
  ]),
);
if (crashes > 0) process.exitCode = 1;
