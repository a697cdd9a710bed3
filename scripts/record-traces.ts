/**
 * Records the trace of every lesson program, and of the scratchpad's starting program, for
 * the app to ship: lessons then play the moment they open, before Python has started (and
 * whether or not it ever starts). Part of the build (`npm run build:traces`, which the web and
 * Electron builds run first); writes out/traces/<key>.json (packed TraceFiles) and
 * out/traces/index.json.
 *
 * Each key (src/shared/trace-key.ts) is a hash of the source, the file name, Pyodide's version
 * and the tracer's own source, so a trace can never be shown for anything but the program and
 * runtime it was recorded with. Each program is run twice, each time in a fresh interpreter,
 * and the build FAILS if the two traces differ (real time aside): a shipped trace is then the
 * trace any fresh run gives. tests/shipped-traces.test.ts checks the shipped files the same way.
 *
 *   npx tsx scripts/record-traces.ts          record what is missing or stale (quick when nothing changed)
 *   npx tsx scripts/record-traces.ts --force  record everything again
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runtimeIdentity } from '../build/runtime-id';
import { runtimeTag } from '../src/runtime/runtime-id';
import { loadCatalog } from '../src/lessons/loader';
import { SCRATCHPAD_STARTER } from '../src/lessons/scratchpad-starter';
import { createNodeRuntime, testSnapshotStore, workerThreadSnapshotStore } from '../src/runtime/node-host';
import { packTrace, type RuntimeId, sameRuntime, type Trace } from '../src/shared/trace';
import { traceKey } from '../src/shared/trace-key';
import * as v from 'valibot';
import { lessonProgramName, SCRATCHPAD_PROGRAM, type ShippedIndex, ShippedIndexSchema } from '../src/shared/shipped-traces';

const project = resolve(import.meta.dirname, '..');
export const TRACES_DIR = join(project, 'out', 'traces');
const INDEX = join(TRACES_DIR, 'index.json');
const force = process.argv.includes('--force');


export interface ShippedProgram {
  /** `lessons/09-numbers-and-letters/main.py`, or `scratchpad` */
  program: string;
  source: string;
  filename: string;
}

/** Every program the app ships a trace for. */
export function shippedPrograms(): ShippedProgram[] {
  const root = join(project, 'lessons');
  const files: Record<string, string> = {};
  for (const folder of readdirSync(root)) {
    const dir = join(root, folder);
    if (!existsSync(join(dir, 'lesson.md'))) continue;
    for (const file of readdirSync(dir)) files[`lessons/${folder}/${file}`] = readFileSync(join(dir, file), 'utf8');
  }
  const catalog = loadCatalog(files);
  const programs: ShippedProgram[] = catalog.lessons.flatMap((lesson) =>
    lesson.programs.map((p) => ({ program: lessonProgramName(lesson.slug, p.file), source: p.source, filename: p.file })),
  );
  const starter = files[`lessons/${SCRATCHPAD_STARTER.lessonFolder}/${SCRATCHPAD_STARTER.file}`];
  if (starter === undefined) throw new Error('the scratchpad starter program is missing');
  programs.push({ program: SCRATCHPAD_PROGRAM, source: starter, filename: SCRATCHPAD_STARTER.filename });
  return programs;
}

/** The trace as shipped: packed, with its runtime, real time left out (a measurement, not the program's). */
export function shippedForm(trace: Trace, runtime: RuntimeId): string {
  return JSON.stringify(packTrace({ ...trace, end: { ...trace.end, wallMs: 0 } }, runtime));
}

/** The index recorded before, or null if there is none or it is not one (an older form): all is recorded again. */
function readIndex(): ShippedIndex | null {
  try {
    const parsed = v.safeParse(ShippedIndexSchema, JSON.parse(readFileSync(INDEX, 'utf8')));
    return parsed.success ? parsed.output : null;
  } catch {
    return null;
  }
}

async function main(): Promise<void> {
  const runtime = runtimeIdentity();
  const programs = shippedPrograms();
  const keyed = programs.map((p) => ({ ...p, key: traceKey({ source: p.source, filename: p.filename }, runtime) }));
  const previous = readIndex();
  const recordedHere = previous !== null && sameRuntime(previous.runtime, runtime);
  const todo = keyed.filter((p) => force || !recordedHere || !existsSync(join(TRACES_DIR, `${p.key}.json`)));
  const index: ShippedIndex = { runtime, traces: {}, programs: {} };
  if (!recordedHere || force) rmSync(TRACES_DIR, { recursive: true, force: true });
  mkdirSync(TRACES_DIR, { recursive: true });
  if (todo.length > 0) {
    process.stdout.write(`record-traces: recording ${todo.length} of ${keyed.length} programs (each twice, fresh interpreters)\n`);
    // Generous limits: the build machine may be busy, and a lesson must never be cut short by it.
    // The snapshot is named by this runtime: run from source (tsx), RUNTIME_TAG is not defined
    // ('unknown-unbuilt'), and a snapshot of that name may hold another tracer's modules (an
    // older build's, another worktree's), which a restored interpreter would then run.
    const snapshots = workerThreadSnapshotStore(testSnapshotStore().dir, runtimeTag(runtime));
    const host = createNodeRuntime({ snapshots, stallMs: 60_000 });
    try {
      for (const [done, p] of todo.entries()) {
        // One line a program: the first build records them all, most of its time (a newcomer
        // sat through three silent minutes on a busy machine).
        process.stdout.write(`record-traces: ${done + 1}/${todo.length} ${p.program}\n`);
        const input = { source: p.source, filename: p.filename, options: { wallSeconds: 120 } };
        const first = shippedForm(await host.run(input), runtime);
        const second = shippedForm(await host.run(input), runtime);
        if (first !== second) throw new Error(`${p.program}: two fresh runs gave different traces: it cannot be shipped`);
        const parsed = JSON.parse(first) as { end: { status: string } };
        if (parsed.end.status === 'limit') throw new Error(`${p.program}: a lesson program must end by itself, not at a limit`);
        writeFileSync(join(TRACES_DIR, `${p.key}.json`), first);
      }
    } finally {
      host.dispose();
    }
  }
  for (const p of keyed) {
    const text = readFileSync(join(TRACES_DIR, `${p.key}.json`), 'utf8');
    const steps = (JSON.parse(text) as { end: { lineSteps: number } }).end.lineSteps;
    index.traces[p.key] = { steps, bytes: Buffer.byteLength(text) };
    index.programs[p.program] = p.key; // two lessons may share a program word for word, and its trace
  }
  // Traces of programs that are no longer shipped go.
  for (const file of readdirSync(TRACES_DIR)) {
    if (file !== 'index.json' && !(file.replace(/\.json$/, '') in index.traces)) rmSync(join(TRACES_DIR, file));
  }
  writeFileSync(INDEX, JSON.stringify(index, null, 1));
  const total = Object.values(index.traces).reduce((n, t) => n + t.bytes, 0);
  process.stdout.write(`record-traces: ${keyed.length} traces shipped, ${(total / 1024).toFixed(0)} kB in out/traces\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`record-traces: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
