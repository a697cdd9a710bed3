/**
 * Python starts from a memory snapshot, and every way that can fail falls back to a working
 * cold start with nothing said to the learner (issue 10): a snapshot made by another Pyodide
 * build, a damaged file, and a restore that fails part-way. Each time the program still runs
 * right, the bad snapshot is replaced by a good one, and the next start is from it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeRuntime, FileSnapshotStore, testSnapshotStore } from '../src/runtime/node-host';
import { DEFAULT_HEAP_LIMIT } from '../src/runtime/heap-limit';
import { packSnapshot, unpackSnapshot } from '../src/runtime/snapshot-pages';
import { builtWorker, streamText } from './corpus/harness';

const PROGRAM = 'import asyncio, random\nasync def main():\n    await asyncio.sleep(1)\n    print("ran", type(random.random()).__name__)\nasyncio.run(main())\n';
let good: Uint8Array;
const dirs: string[] = [];

beforeAll(async () => {
  // A good snapshot to spoil: the one the tests share (made now if there is none yet).
  const shared = testSnapshotStore();
  const runtime = createNodeRuntime({ workerPath: builtWorker(), snapshots: shared, spare: false, stallMs: 60_000 });
  await runtime.run({ source: 'pass\n', filename: 'main.py' });
  runtime.dispose();
  good = unpackSnapshot((await shared.load())!, DEFAULT_HEAP_LIMIT); // loaded packed: spoiled below as Pyodide made it
  expect(good.length).toBeGreaterThan(1_000_000);
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function storeWith(bytes: Buffer | null): FileSnapshotStore {
  const dir = mkdtempSync(join(tmpdir(), 'loop-lab-snapshot-'));
  dirs.push(dir);
  const store = new FileSnapshotStore(dir);
  if (bytes) writeFileSync(store.path, bytes);
  return store;
}

/** Runs the program twice on a runtime using `store`; returns how the interpreters started. */
async function twoRuns(store: FileSnapshotStore) {
  const runtime = createNodeRuntime({ workerPath: builtWorker(), snapshots: store, spare: false, stallMs: 60_000 });
  try {
    const first = await runtime.run({ source: PROGRAM, filename: 'main.py' });
    const second = await runtime.run({ source: PROGRAM, filename: 'main.py' });
    return { first, second, starts: { ...runtime.starts } };
  } finally {
    runtime.dispose();
  }
}

function spoiled(change: (bytes: Uint8Array) => void): Buffer {
  const bytes = good.slice();
  change(bytes);
  return gzipSync(packSnapshot(bytes));
}

describe('a snapshot that cannot be used', () => {
  const cases: [string, () => Buffer | null][] = [
    // The header's words 4–11 hold the build id of the Pyodide that made it (pyodide.asm.mjs makeSnapshot).
    ['made by another Pyodide build', () => spoiled((b) => b.fill(0x41, 16, 48))],
    ['a damaged file (not gzip at all)', () => Buffer.from('this is not a snapshot')],
    ['a restore that fails part-way (its JavaScript state is garbage)', () => spoiled((b) => b.fill(0x7b, 64, 96))],
    ['an empty file', () => Buffer.alloc(0)],
  ];

  it.each(cases)('%s: Python starts cold, the program runs, and a good snapshot takes its place', async (_name, make) => {
    const store = storeWith(make());
    const { first, second, starts } = await twoRuns(store);
    for (const trace of [first, second]) {
      expect(trace.end.status).toBe('ok');
      expect(streamText(trace, 'stdout')).toBe('ran float\n');
    }
    expect(starts.cold).toBe(1);
    expect(starts.restored).toBe(1); // the second run's interpreter came from the new snapshot
    const replaced = readFileSync(store.path);
    expect(unpackSnapshot(gunzipSync(replaced), DEFAULT_HEAP_LIMIT).length).toBe(good.length);
  });
});

describe('a good snapshot', () => {
  it('every interpreter after the first is restored from it, and random numbers still differ between runs', async () => {
    const store = storeWith(Buffer.from(gzipSync(packSnapshot(good))));
    const runtime = createNodeRuntime({ workerPath: builtWorker(), snapshots: store, stallMs: 60_000 });
    try {
      const draws = new Set<string>();
      const hashes = new Set<string>();
      for (let i = 0; i < 3; i++) {
        const trace = await runtime.run({ source: 'import random\nprint(random.random(), hash("looplab"))\n', filename: 'main.py' });
        const [draw, hashed] = streamText(trace, 'stdout').trim().split(' ');
        draws.add(draw!);
        hashes.add(hashed!);
      }
      // A fresh draw in every interpreter, as in a new process; hash() the same in all of them,
      // as before (PYTHONHASHSEED=0).
      expect(draws.size).toBe(3);
      expect(hashes.size).toBe(1);
      expect(runtime.starts.cold).toBe(0);
      expect(runtime.starts.restored).toBeGreaterThanOrEqual(3);
    } finally {
      runtime.dispose();
    }
  });
});
