/**
 * The CLI's worker thread may be made before anyone listens to it (src/cli/early.ts): what it
 * says, or a failure, before its supervisor attaches its handlers must reach them. Workers
 * here are tiny scripts, not Python.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { spawnNodeWorker } from '../src/runtime/node-worker-spawn';

const dir = mkdtempSync(join(tmpdir(), 'loop-lab-spawn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for the file a worker writes once it has said what it says (a busy machine boots a worker slowly). */
async function until(path: string): Promise<void> {
  for (let waited = 0; !existsSync(path); waited += 20) {
    if (waited > 30_000) throw new Error(`${path} never came`);
    await sleep(20);
  }
  await sleep(100); // and for its messages to have crossed to this thread
}

describe('spawnNodeWorker', () => {
  it('keeps what the worker sends before a handler is attached, in order, and hands on what comes after', async () => {
    const said = join(dir, 'said');
    const path = script(
      'talks-at-once.mjs',
      `import { writeFileSync } from 'node:fs';\nimport { parentPort } from 'node:worker_threads';\nparentPort.postMessage('one');\nparentPort.postMessage('two');\nparentPort.on('message', (m) => parentPort.postMessage('echo ' + m.type));\nwriteFileSync(${JSON.stringify(said)}, '');\n`,
    );
    const worker = spawnNodeWorker(path);
    await until(said);
    const seen: unknown[] = [];
    worker.onMessage((message) => seen.push(message));
    expect(seen).toEqual(['one', 'two']);
    worker.post({ type: 'start', makeSnapshot: false });
    await sleep(200);
    expect(seen).toEqual(['one', 'two', 'echo start']);
    worker.terminate();
  });

  it('keeps a failure that came before its handler, and reports it once', async () => {
    const loaded = join(dir, 'loaded');
    const path = script('breaks.mjs', `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(loaded)}, '');\nthrow new Error('cannot load');\n`);
    const worker = spawnNodeWorker(path);
    await until(loaded);
    const failures: string[] = [];
    worker.onError((message) => failures.push(message));
    await sleep(100);
    expect(failures).toEqual(['cannot load']);
    worker.terminate();
  });

  it('a worker that says more than a starting worker does before anyone listens is ended, and says why', async () => {
    const path = script('talks-too-much.mjs', "import { parentPort } from 'node:worker_threads';\nfor (let i = 0; i < 100; i++) parentPort.postMessage(i);\nsetInterval(() => {}, 1000);\n");
    const worker = spawnNodeWorker(path);
    const failures: string[] = [];
    worker.onError((message) => failures.push(message));
    for (let waited = 0; failures.length === 0 && waited < 30_000; waited += 20) await sleep(20);
    expect(failures).toEqual(['the worker said more than a starting worker does before anyone listened']);
    const seen: unknown[] = [];
    worker.onMessage((message) => seen.push(message));
    expect(seen).toEqual([...Array(16).keys()]);
  });

  it('a worker ended by its host reports nothing', async () => {
    const path = script('idle.mjs', "setInterval(() => {}, 1000);\n");
    const worker = spawnNodeWorker(path);
    const failures: string[] = [];
    worker.onError((message) => failures.push(message));
    worker.terminate();
    await sleep(300);
    expect(failures).toEqual([]);
  });
});
