/**
 * The tracer's bytecode, compiled by the build (scripts/compile-tracer.ts) for the interpreters
 * that start cold (src/runtime/tracer-bytecode.ts, engine.ts writeTracer): it is there for
 * every module, made from the sources as they are now, and a cold start imports the tracer from
 * it, compiling none of it; and a program cannot tell that it was there.
 */
import { join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { describe, expect, it } from 'vitest';
import { Engine, type LoadPyodide } from '../src/runtime/engine';
import { testSnapshotStore } from '../src/runtime/node-host';
import { importedModuleMaker } from '../src/runtime/pyodide-code-cache';
import { tracerBytecode } from '../src/runtime/tracer-bytecode';
import { TRACER_FILES } from '../src/runtime/tracer-files';
import { TRACER_DIR } from '../src/runtime/tracer-place';
import { ROOT } from './corpus/harness';

const stdLibURL = join(ROOT, 'out/pyodide/python_stdlib.zip');

type Pyodide = Awaited<ReturnType<typeof loadPyodide>>;

/** The text of everything a run printed to stdout, from its wire. */
function printed(engine: Engine, program: string): string {
  const wire: string[] = [];
  const end = engine.run(program, 'main.py', {}, (chunk) => wire.push(chunk));
  wire.push(end.wire);
  const texts: string[] = [];
  for (const chunk of wire) {
    for (const event of JSON.parse(chunk) as unknown[]) {
      if (Array.isArray(event) && event[0] === 'out' && event[1] === 'stdout') texts.push(String(event[2]));
    }
  }
  return texts.join('');
}

describe('the tracer’s bytecode', () => {
  it('is there for every module of the tracer, compiled from its source as it is now, under the path the engine writes it to', async () => {
    const bytecode = await tracerBytecode();
    expect(bytecode).not.toBeNull();
    expect([...bytecode!.files.keys()].sort()).toEqual(Object.keys(TRACER_FILES).sort());
    const pyodide = await loadPyodide({ stdLibURL });
    expect(bytecode!.cacheTag).toBe(String(pyodide.runPython('import sys; sys.implementation.cache_tag')));
    pyodide.FS.mkdirTree('/check');
    for (const [name, pyc] of bytecode!.files) {
      pyodide.FS.writeFile(`/check/${name}`, new TextEncoder().encode(TRACER_FILES[name]!));
      pyodide.FS.writeFile(`/check/${name}c`, pyc);
    }
    // PEP 552's header: the magic number, flags 0b11 (hash-based, checked), the source's hash.
    const wrong = pyodide.runPython(`
import importlib.util, marshal, os
wrong = []
for name in sorted(f for f in os.listdir("/check") if f.endswith(".py")):
    source = open(f"/check/{name}", "rb").read()
    pyc = open(f"/check/{name}c", "rb").read()
    code = marshal.loads(pyc[16:])
    if pyc[:4] != importlib.util.MAGIC_NUMBER or int.from_bytes(pyc[4:8], "little") != 0b11 \\
            or pyc[8:16] != importlib.util.source_hash(source) \\
            or code.co_filename != f"${TRACER_DIR}/_looplab/{name}":
        wrong.append(name)
wrong
`) as { toJs(): string[] };
    expect(wrong.toJs()).toEqual([]);
  }, 120_000);

  it('is what a cold start imports the tracer from: none of its modules is compiled', async () => {
    let python: Pyodide | null = null;
    // The audit hook goes in before the engine imports the tracer; a compile of any module of
    // the tracer's (the import of one without bytecode) is an event it hears.
    const watched: LoadPyodide = async (config) => {
      const pyodide = await loadPyodide(config as Parameters<typeof loadPyodide>[0]);
      pyodide.runPython(`
import sys
compiled = []
def _hear(event, args):
    if event == "compile" and isinstance(args[1], str) and args[1].startswith("${TRACER_DIR}/"):
        compiled.append(args[1])
sys.addaudithook(_hear)
`);
      python = pyodide;
      return pyodide as never;
    };
    const engine = await Engine.start(watched, { stdLibURL });
    expect(engine.restored).toBe(false);
    const heard = (python as Pyodide | null)!;
    // The hook hears compiles of the tracer's files, were there any to hear.
    heard.runPython(`compile("pass", "${TRACER_DIR}/_looplab/heard.py", "exec")`);
    expect((heard.runPython('compiled') as { toJs(): string[] }).toJs()).toEqual([`${TRACER_DIR}/_looplab/heard.py`]);
  }, 120_000);

  it('leaves no trace a program can find: the tracer’s folder, its importer’s listing of it and the inodes of new files are as in a restored interpreter', async () => {
    const program = [
      'import os, sys',
      'print(sorted(os.listdir("/lib/looplab/_looplab"))[:3], os.path.exists("/lib/looplab/_looplab/__pycache__"))',
      'print("__pycache__" in sys.path_importer_cache["/lib/looplab/_looplab"]._path_cache)',
      'open("/tmp/new.txt", "w").write("x")',
      'print(os.stat("/tmp/new.txt").st_ino, os.statvfs("/tmp").f_files)',
    ].join('\n');
    const snapshot = await testSnapshotStore().load();
    expect(snapshot).not.toBeNull();
    const cold = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL });
    const restored = await Engine.start(loadPyodide as LoadPyodide, { stdLibURL, snapshot, moduleMaker: importedModuleMaker });
    expect([cold.restored, restored.restored]).toEqual([false, true]);
    const seen = printed(cold, program);
    expect(seen).toContain("['__init__.py', 'callables.py', 'clock.py'] False\nFalse\n");
    expect(printed(restored, program)).toBe(seen);
  }, 180_000);
});
