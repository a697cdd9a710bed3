/**
 * Pyodide's JavaScript compiled with a V8 code cache kept in a folder (the CLI's: see
 * src/runtime/pyodide-code-cache.ts), through the Node worker thread, each run in a fresh one
 * (a fresh V8 isolate, as each `loop-lab run` is): interpreters made with it run Python as
 * before; the cache is written once, used after, and a damaged one (a byte changed, or not a cache
 * at all) is refused, and written again.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createNodeRuntime } from '../src/runtime/node-host';
import { builtWorker, streamText } from './corpus/harness';

const dir = mkdtempSync(join(tmpdir(), 'loop-lab-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PROGRAM = 'import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print("slept", sum(range(10)))\nasyncio.run(main())\n';

/** One program in a fresh worker with the code cache in `dir` (no snapshot: each start is cold). */
async function runOnce(): Promise<string> {
  const runtime = createNodeRuntime({ workerPath: builtWorker(), codeCacheDir: dir, spare: false, stallMs: 60_000 });
  try {
    const trace = await runtime.run({ source: PROGRAM, filename: 'main.py' });
    expect(trace.end.status).toBe('ok');
    return streamText(trace, 'stdout');
  } finally {
    runtime.dispose();
  }
}

function cacheFile(): string {
  const names = readdirSync(dir).filter((name) => name.startsWith('pyodide-code-'));
  expect(names).toHaveLength(1);
  return join(dir, names[0]!);
}

describe('Pyodide compiled with a code cache', () => {
  it('runs Python, writes its cache once, and uses it after; a damaged cache is written again', async () => {
    expect(await runOnce()).toBe('slept 45\n');
    const path = cacheFile();
    expect(path).toMatch(/pyodide-code-[\w.-]+-[0-9a-f]{16}\.cache$/);
    expect(statSync(path).size).toBeGreaterThan(100_000);

    // Used, not written again (a write replaces the file: a new inode): V8 took it.
    const written = statSync(path).ino;
    expect(await runOnce()).toBe('slept 45\n');
    expect(statSync(path).ino).toBe(written);

    // One byte changed in the cache (V8 checks no sum, and took such a cache: it aborted, hung
    // or computed wrong): refused by its sum, Python starts all the same, a good one takes its place.
    const good = readFileSync(path);
    const flipped = Buffer.from(good);
    flipped[40_000] = flipped[40_000]! ^ 0x10;
    writeFileSync(path, flipped);
    expect(await runOnce()).toBe('slept 45\n');
    const rewritten = readFileSync(cacheFile());
    expect(rewritten.equals(flipped)).toBe(false);
    expect(rewritten.length).toBeGreaterThan(100_000);

    // Not a cache at all: the same.
    writeFileSync(path, Buffer.from('not a code cache at all'));
    expect(await runOnce()).toBe('slept 45\n');
    expect(readFileSync(cacheFile()).length).toBeGreaterThan(100_000);
  }, 120_000);
});
