/**
 * A snapshot is restored only into the build whose tracer made it (engine.ts, `MADE_FROM`):
 * its file's or storage key's name is not its contents (a newcomer copied the build before's
 * snapshot over this build's name, and it was restored, old tracer and all).
 */
import { join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { describe, expect, it, vi } from 'vitest';
import { Engine, type LoadPyodide } from '../src/runtime/engine';
import { importedModuleMaker } from '../src/runtime/pyodide-code-cache';
import { ROOT } from './corpus/harness';

/** The fingerprint the engine takes for this build's tracer: changed below, as another build's would be. */
const tracer = vi.hoisted(() => ({ fingerprint: '0badcafe' }));
vi.mock('../src/runtime/tracer-files', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../src/runtime/tracer-files')>()),
  tracerFingerprint: () => tracer.fingerprint,
}));

const stdLibURL = join(ROOT, 'out/pyodide/python_stdlib.zip');

describe('a snapshot holds the tracer that made it', () => {
  it('is restored by the build that made it, and refused by another: Python starts cold, works, and makes a snapshot of its own', async () => {
    const made = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, makeSnapshot: true });
    const snapshot = made.snapshot!;
    const same = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, snapshot, moduleMaker: importedModuleMaker });
    expect([same.restored, same.snapshotRejected]).toEqual([true, null]);

    tracer.fingerprint = '5ca1ab1e';
    const other = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, snapshot, moduleMaker: importedModuleMaker, makeSnapshot: true });
    expect(other.restored).toBe(false);
    expect(other.snapshotRejected).toBe("the snapshot holds another build's tracer (0badcafe, not 5ca1ab1e)");
    expect(other.snapshot).not.toBeNull(); // the store keeps this build's instead
    const wire: string[] = [];
    const end = other.run('import asyncio\nasyncio.run(asyncio.sleep(1))\nprint("slept")\n', 'main.py', {}, (chunk) => wire.push(chunk));
    expect(wire.join('') + end.wire).toContain('slept');
    expect(end.clock).toBe(1);
  }, 180_000);
});
