/**
 * Makes the interpreter snapshot the app ships (part of `npm run build:traces`, which the web
 * and Electron builds run first): out/snapshot/python-<runtime tag>.<layout>.gz, the packed and
 * gzipped form every store keeps (snapshot-file.ts; about 5 MB). With it a first visit, a fresh
 * browser profile or a new user's desktop app restores Python (about 0.3 s of work in Node)
 * instead of booting it cold and making a snapshot of its own (about 2.5 s): the build already
 * did that, once, in Node, with the same WebAssembly, the same standard library zip (the
 * runtime's tag names both: build/runtime-id.ts) and the same tracer.
 *
 * The snapshot is made by a fresh interpreter that has run nothing, exactly as a store's first
 * worker makes one, then restored once by another interpreter and a program run in it: the
 * build FAILS if that interpreter was not restored, or the run did not print what python3
 * prints. A shell that still cannot use it (another build: the tracer's fingerprint is checked
 * as it is restored) starts cold and keeps a snapshot of its own, as it did before.
 *
 *   npx tsx scripts/ship-snapshot.ts   make it unless out/snapshot already holds this runtime's
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runtimeIdentity } from '../build/runtime-id';
import { createNodeRuntime, FileSnapshotStore } from '../src/runtime/node-host';
import { runtimeTag } from '../src/runtime/runtime-id';
import { SNAPSHOT_LAYOUT } from '../src/runtime/snapshot-pages';
import { shippedSnapshotName } from '../src/runtime/shipped-snapshot';

const project = resolve(import.meta.dirname, '..');
export const SNAPSHOT_DIR = join(project, 'out', 'snapshot');

/** What the check's program prints, as python3 prints it. */
const CHECK_PROGRAM = 'import asyncio\n\nasync def main():\n    await asyncio.sleep(1)\n    print("up", 6 * 7)\n\nasyncio.run(main())\n';
const CHECK_OUTPUT = 'up 42\n';

async function main(): Promise<void> {
  const runtime = runtimeIdentity();
  const tag = runtimeTag(runtime);
  const name = shippedSnapshotName(tag, SNAPSHOT_LAYOUT);
  const target = join(SNAPSHOT_DIR, name);
  if (existsSync(target)) return;
  rmSync(SNAPSHOT_DIR, { recursive: true, force: true });
  mkdirSync(SNAPSHOT_DIR, { recursive: true });
  const scratch = mkdtempSync(join(tmpdir(), 'loop-lab-ship-snapshot-'));
  try {
    process.stdout.write('ship-snapshot: starting Python cold to make its snapshot\n');
    const store = new FileSnapshotStore(scratch, tag);
    let saved!: () => void;
    const made = new Promise<void>((resolveMade) => (saved = resolveMade));
    const maker = createNodeRuntime({
      snapshots: { load: async () => null, save: async (bytes) => { await store.save(bytes); saved(); }, drop: async () => {} },
      stallMs: 60_000,
    });
    try {
      const ready = await maker.ready();
      if (ready.restored) throw new Error('the interpreter that makes the snapshot must start cold');
      await made;
    } finally {
      maker.dispose();
    }
    const checker = createNodeRuntime({ snapshots: store, stallMs: 60_000 });
    try {
      const ready = await checker.ready();
      if (!ready.restored) throw new Error(`a fresh interpreter did not restore the snapshot just made (${ready.snapshotRejected ?? 'no reason given'})`);
      const trace = await checker.run({ source: CHECK_PROGRAM, filename: 'check.py', options: { wallSeconds: 120 } });
      const printed = trace.events.map((e) => (e.kind === 'output' ? e.text : '')).join('');
      if (trace.end.status !== 'ok' || printed !== CHECK_OUTPUT) {
        throw new Error(`the restored interpreter ran a program wrongly: ${trace.end.status}, printed ${JSON.stringify(printed)}`);
      }
    } finally {
      checker.dispose();
    }
    copyFileSync(store.path, target); // what was just restored: the store's own file
    process.stdout.write(`ship-snapshot: ${name} made and checked\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`ship-snapshot: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
