/**
 * A snapshot can be whole (its gzip sound, its layout right, its tracer this build's) and still
 * be damaged inside: the interpreter restored from it then fails on its way to ready. Found by
 * scrambling 4 kB of a kept snapshot in 24 places (`loop-lab run hello.py`): a trap ("memory
 * access out of bounds") in a call the engine makes after the restore failed every start with
 * "Python could not start", and Pyodide's "fatal error" report reached the terminal. Any
 * failure after a restore now means a cold start, as a snapshot refused outright does, and
 * nothing is said on the console. The failure is made here at one of those calls (the sandbox's
 * list of types it unmakes), with the report Pyodide writes; tests/supervisor.test.ts covers a
 * restore that hangs or an interpreter that crashes in its run.
 */
import { join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine, type LoadPyodide } from '../src/runtime/engine';
import { importedModuleMaker } from '../src/runtime/pyodide-code-cache';
import { WasmNotLoaded } from '../src/runtime/wasm-load-error';
import { ROOT } from './corpus/harness';

/** How many more of the engine's reads of the unmade types fail, as a damaged interpreter's did. */
const damage = vi.hoisted(() => ({ failures: 0 }));
vi.mock('../src/runtime/type-slots', async (importOriginal) => {
  const real = await importOriginal<typeof import('../src/runtime/type-slots')>();
  return {
    ...real,
    parseUnmadeTypes: (text: string) => {
      if (damage.failures > 0) {
        damage.failures--;
        console.error('Pyodide has suffered a fatal error. Please report this to the Pyodide maintainers.');
        throw new Error('RuntimeError: memory access out of bounds');
      }
      return real.parseUnmadeTypes(text);
    },
  };
});

const stdLibURL = join(ROOT, 'out/pyodide/python_stdlib.zip');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('an interpreter restored from a damaged snapshot', () => {
  it('fails on its way to ready: Python starts cold instead, says nothing on the console, works, and makes a new snapshot', async () => {
    const made = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, makeSnapshot: true });
    const snapshot = made.snapshot!;
    const said = vi.spyOn(console, 'error');
    damage.failures = 1;
    const engine = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, snapshot, moduleMaker: importedModuleMaker, makeSnapshot: true });
    expect(damage.failures).toBe(0); // the restored interpreter did fail
    expect(engine.restored).toBe(false);
    expect(engine.snapshotRejected).toBe('RuntimeError: memory access out of bounds');
    expect(engine.snapshot).not.toBeNull(); // the store keeps this one instead
    expect(said).not.toHaveBeenCalled();
    said.mockRestore();
    // The console speaks again after the start (it was quiet only while the restore was tried).
    const spoken = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    console.error('after');
    expect(spoken).toHaveBeenCalledWith('after');
    const wire: string[] = [];
    const end = engine.run('import asyncio\nasyncio.run(asyncio.sleep(1))\nprint("slept")\n', 'main.py', {}, (chunk) => wire.push(chunk));
    expect(wire.join('') + end.wire).toContain('slept');
    expect(end.clock).toBe(1);
  }, 180_000);

  it('a sound snapshot is still restored (the fallback is only for failures)', async () => {
    const made = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, makeSnapshot: true });
    const engine = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, snapshot: made.snapshot!, moduleMaker: importedModuleMaker });
    expect([engine.restored, engine.snapshotRejected]).toEqual([true, null]);
  }, 180_000);
});

describe('an interpreter whose WebAssembly does not load', () => {
  it('is not started cold after the failed restore (the snapshot is not what failed): the start fails with why', async () => {
    const made = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, makeSnapshot: true });
    const notLoaded = new WasmNotLoaded("Python's WebAssembly (pyodide.asm.wasm) could not be loaded (damaged).");
    const loads = vi.fn((() => Promise.reject(notLoaded)) as LoadPyodide);
    const startingCold = vi.fn();
    await expect(Engine.start(loads, { stdLibURL, snapshot: made.snapshot!, moduleMaker: importedModuleMaker, onStartingCold: startingCold })).rejects.toBe(notLoaded);
    expect(loads).toHaveBeenCalledTimes(1); // the restore; no cold load after it
    expect(startingCold).not.toHaveBeenCalled();
  });
});
