/**
 * The interpreter snapshot the app ships (out/snapshot, made by scripts/ship-snapshot.ts at
 * build time), which a first visit, a fresh browser profile or a new user restores instead of
 * booting Python cold: an interpreter restored from it, with nothing of its own kept yet, is
 * restored (not cold), keeps nothing, and gives every shipped program the very trace the build
 * recorded; and a program prints what python3 prints.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runtimeIdentity } from '../build/runtime-id';
import { SNAPSHOT_OUT_DIR } from '../build/snapshot-asset';
import { TRACES_DIR } from '../build/trace-assets';
import { shippedForm, shippedPrograms } from '../scripts/record-traces';
import { createNodeRuntime, FileSnapshotStore } from '../src/runtime/node-host';
import { runtimeTag } from '../src/runtime/runtime-id';
import { shippedSnapshotName } from '../src/runtime/shipped-snapshot';
import { SNAPSHOT_LAYOUT } from '../src/runtime/snapshot-pages';
import type { RuntimeSupervisor } from '../src/runtime/supervisor';
import type { WorkerReady } from '../src/shared/runtime-protocol';
import { traceKey } from '../src/shared/trace-key';
import { builtWorker } from './corpus/harness';

const runtimeId = runtimeIdentity();
const tag = runtimeTag(runtimeId);
const shipped = join(SNAPSHOT_OUT_DIR, shippedSnapshotName(tag, SNAPSHOT_LAYOUT));
let ownFolder: string;
let runtime: RuntimeSupervisor;
let ready: WorkerReady;

beforeAll(async () => {
  if (!existsSync(shipped)) throw new Error(`${shipped} is missing: run \`npm run build:traces\` first`);
  ownFolder = mkdtempSync(join(tmpdir(), 'loop-lab-shipped-snapshot-'));
  runtime = createNodeRuntime({
    workerPath: builtWorker(),
    stallMs: 60_000,
    snapshots: new FileSnapshotStore(ownFolder, tag, 'shared', shipped),
  });
  ready = await runtime.ready();
});

afterAll(() => {
  runtime?.dispose();
  if (ownFolder) rmSync(ownFolder, { recursive: true, force: true });
});

describe('the snapshot the app ships', () => {
  it('is the only one in out/snapshot, named by this runtime', () => {
    expect(readdirSync(SNAPSHOT_OUT_DIR)).toEqual([shippedSnapshotName(tag, SNAPSHOT_LAYOUT)]);
  });

  it('is restored by a fresh interpreter with none of its own, which keeps none', () => {
    expect(ready.restored).toBe(true);
    expect(ready.snapshotRejected).toBeNull();
    expect(readdirSync(ownFolder)).toEqual([]);
  });

  it('runs a program as python3 does', async () => {
    // python3 3.11 and 3.13 print this (its clock is virtual here: the sleep takes no time).
    const source = 'import asyncio, random\n\nasync def main():\n    await asyncio.sleep(1)\n    print("up", 6 * 7, hash("loop") == hash("lo" + "op"), 0 <= random.random() < 1)\n\nasyncio.run(main())\n';
    const trace = await runtime.run({ source, filename: 'up.py', options: { wallSeconds: 120 } });
    expect(trace.end.status).toBe('ok');
    expect(trace.events.map((e) => (e.kind === 'output' ? e.text : '')).join('')).toBe('up 42 True True\n');
  });

  it('gives a program the interpreter a cold start gives: the same sys.path, environment and modules', async () => {
    const source = 'import os, sys\nprint(sys.path)\nprint(sorted(os.environ.items()))\nprint(len(sys.modules), sys.executable, sys.argv)\n';
    const printed = (trace: Awaited<ReturnType<RuntimeSupervisor['run']>>): string => trace.events.map((e) => (e.kind === 'output' ? e.text : '')).join('');
    const restored = printed(await runtime.run({ source, filename: 'env.py', options: { wallSeconds: 120 } }));
    const cold = createNodeRuntime({ workerPath: builtWorker(), stallMs: 60_000, snapshots: null });
    try {
      expect((await cold.ready()).restored).toBe(false);
      expect(restored).toBe(printed(await cold.run({ source, filename: 'env.py', options: { wallSeconds: 120 } })));
    } finally {
      cold.dispose();
    }
  }, 120_000);

  it('gives every shipped program the trace the build recorded', async () => {
    for (const program of shippedPrograms()) {
      const key = traceKey({ source: program.source, filename: program.filename }, runtimeId);
      const recorded = readFileSync(join(TRACES_DIR, `${key}.json`), 'utf8');
      const fresh = await runtime.run({ source: program.source, filename: program.filename, options: { wallSeconds: 120 } });
      expect(shippedForm(fresh, runtimeId) === recorded, `${program.program}: a run restored from the shipped snapshot differs from the recorded trace`).toBe(true);
    }
    // None of those interpreters started cold: a cold start would have kept a snapshot of its own here.
    expect(readdirSync(ownFolder)).toEqual([]);
  }, 300_000);
});
