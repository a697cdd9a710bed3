/**
 * Two things the engine's start does not copy (src/runtime/engine.ts): the standard library's
 * zip, which Pyodide's one write keeps as loaded (`ownStandardLibrary`), and a snapshot the engine
 * restores itself, for which Pyodide is handed only its size (`sizedPlaceholder`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { describe, expect, it } from 'vitest';
import { Engine, type LoadPyodide, ownStandardLibrary, sizedPlaceholder, type StandardLibraryFS } from '../src/runtime/engine';
import { testSnapshotStore } from '../src/runtime/node-host';
import { importedModuleMaker } from '../src/runtime/pyodide-code-cache';
import { PackedSnapshot } from '../src/runtime/snapshot-pages';
import { ROOT } from './corpus/harness';

const stdLibURL = join(ROOT, 'out/pyodide/python_stdlib.zip');

/** A file system that records each writeFile's path and options. */
function recordingFS(): StandardLibraryFS & { writes: { path: string; options: unknown }[] } {
  const writes: { path: string; options: unknown }[] = [];
  return {
    writes,
    writeFile(path, _data, options) {
      writes.push({ path, options });
    },
  };
}

describe('the standard library is written owned, not copied', () => {
  it('Pyodide’s write of the zip passes canOwn; every other write, and any after it, is left as it was', () => {
    const fs = recordingFS();
    const original = fs.writeFile;
    ownStandardLibrary(fs);
    fs.writeFile('/home/learner/notes.txt', new Uint8Array(3));
    fs.writeFile('/lib/python314.zip', new Uint8Array(8));
    expect(fs.writeFile).toBe(original); // the hook is gone after the one write
    fs.writeFile('/lib/python314.zip', new Uint8Array(8));
    expect(fs.writes).toEqual([
      { path: '/home/learner/notes.txt', options: undefined },
      { path: '/lib/python314.zip', options: { canOwn: true } },
      { path: '/lib/python314.zip', options: undefined },
    ]);
  });

  it('a write with options of its own, or of text, is not the one it takes', () => {
    const fs = recordingFS();
    ownStandardLibrary(fs);
    fs.writeFile('/lib/python314.zip', 'text');
    fs.writeFile('/lib/python314.zip', new Uint8Array(8), { canOwn: false });
    expect(fs.writes.map((w) => w.options)).toEqual([undefined, { canOwn: false }]);
  });

  it('a started interpreter holds the whole zip and imports from it, cold and restored', async () => {
    const zipBytes = readFileSync(stdLibURL).length;
    const program = 'import os, decimal, json\nzips = [f"/lib/{f}" for f in os.listdir("/lib") if f.endswith(".zip")]\nprint(*map(os.path.getsize, zips), decimal.Decimal("1.10") + 1, json.dumps([1]))\n';
    const snapshot = await testSnapshotStore().load();
    const engines = [
      await Engine.start(loadPyodide as LoadPyodide, { stdLibURL }),
      await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, snapshot, moduleMaker: importedModuleMaker }),
    ];
    expect(engines.map((engine) => engine.restored)).toEqual([false, snapshot !== null]);
    for (const engine of engines) {
      const wire: string[] = [];
      const end = engine.run(program, 'main.py', {}, (chunk) => wire.push(chunk));
      wire.push(end.wire);
      expect(wire.join('')).toContain(`${zipBytes} 2.10 [1]\\n`);
    }
  }, 180_000);
});

describe('the placeholder Pyodide is handed for a snapshot the engine restores itself', () => {
  it('has the snapshot’s length and holds no bytes', () => {
    const placeholder = sizedPlaceholder(30 * 2 ** 20);
    expect(ArrayBuffer.isView(placeholder)).toBe(true);
    expect(placeholder.length).toBe(30 * 2 ** 20);
    expect(placeholder.byteLength).toBe(0);
    expect(placeholder.buffer.byteLength).toBe(0);
  });

  it('is refused by Pyodide’s own restore, as any bad snapshot is (were it ever handed there)', async () => {
    const kept = await testSnapshotStore().load();
    const size = kept === null ? 30 * 2 ** 20 : PackedSnapshot.of(kept, 1 << 30).size; // the memory Pyodide makes for it
    await expect(loadPyodide({ stdLibURL, _loadSnapshot: sizedPlaceholder(size) } as Parameters<typeof loadPyodide>[0])).rejects.toThrow(
      'Snapshot has invalid magic number',
    );
  }, 120_000);
});


describe('a run says when the program begins', () => {
  it('its first chunk is empty and comes before any of the program’s steps', async () => {
    // The host takes a run that breaks before this chunk for Loop Lab's own failure (a damaged
    // snapshot: supervisor.ts, forgetSnapshot), never the program's.
    const engine = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL });
    const chunks: [string, number][] = [];
    const end = engine.run('import sys\nprint("first")\nsys.exit(3)\n', 'main.py', {}, (wire, lines) => chunks.push([wire, lines.length]));
    expect(chunks[0]).toEqual(['[]', 0]);
    expect(chunks.slice(1).map(([wire]) => wire).join('') + end.wire).toContain('first');
    expect(end.status).toBe(3);
  }, 120_000);
});
