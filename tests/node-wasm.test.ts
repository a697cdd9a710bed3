/**
 * Pyodide's WebAssembly compiled by a Node process's host thread and instantiated by its worker
 * threads (src/runtime/node-wasm.ts): while Pyodide loads, its read of the file is answered
 * with a token and its instantiation of that token instantiates the host's module; everything
 * else is Node's and the platform's own, and both are back once the load has settled. With no
 * module, the file is read and compiled as Pyodide would.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { afterAll, describe, expect, it } from 'vitest';
import { compilePyodideWasm, loadingCompiled, pyodideWasmPath } from '../src/runtime/node-wasm';
import { spawnNodeWorker } from '../src/runtime/node-host';
import { RuntimeSupervisor } from '../src/runtime/supervisor';
import { builtWorker, ROOT, streamText } from './corpus/harness';

/** A module exporting `f`, which returns `value` (0–63: one byte of signed LEB128). */
function moduleReturning(value: number): Uint8Array<ArrayBuffer> {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // one type: () -> i32
    0x03, 0x02, 0x01, 0x00, // one function of that type
    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // exported as "f"
    0x0a, 0x06, 0x01, 0x04, 0x00, 0x41, value, 0x0b, // its body: i32.const value
  ]);
}

const dir = mkdtempSync(join(tmpdir(), 'loop-lab-node-wasm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
/** "Pyodide's WebAssembly" for the small cases: its f returns 42. */
const wasmPath = join(dir, 'pyodide.asm.wasm');
writeFileSync(wasmPath, moduleReturning(42));
const otherPath = join(dir, 'notes.txt');
writeFileSync(otherPath, 'not WebAssembly');

interface Loaded {
  instance: WebAssembly.Instance;
  module: WebAssembly.Module;
  other: string;
}

/** Reads and instantiates as Pyodide 314.0.7 does in Node (pyodide.mjs: node_getBinaryResponse, getInstantiateWasmFunc). */
async function loadLikePyodide(path: string): Promise<Loaded> {
  const fs = await import('node:fs/promises');
  const bytes = await fs.readFile(path).then((n) => new Uint8Array(n.buffer, n.byteOffset, n.byteLength));
  const other = await fs.readFile(otherPath, 'utf8');
  const { instance, module } = await WebAssembly.instantiate(bytes, { env: {} });
  return { instance, module, other };
}

const f = (loaded: Loaded): number => (loaded.instance.exports.f as () => number)();

describe('a worker instantiating the host’s compiled WebAssembly', () => {
  it('instantiates the module it is given, not the file, and reads every other file as ever', async () => {
    const given = await WebAssembly.compile(moduleReturning(7));
    const loaded = await loadingCompiled(Promise.resolve(given), wasmPath, loadLikePyodide)(wasmPath);
    expect(f(loaded)).toBe(7);
    expect(loaded.module).toBe(given);
    expect(loaded.other).toBe('not WebAssembly');
  });

  it('with no module, reads and compiles the file, as Pyodide would', async () => {
    const loaded = await loadingCompiled(Promise.resolve(null), wasmPath, loadLikePyodide)(wasmPath);
    expect(f(loaded)).toBe(42);
  });

  it('waits for a module still being compiled', async () => {
    let give: (module: WebAssembly.Module) => void = () => {};
    const coming = new Promise<WebAssembly.Module>((resolve) => (give = resolve));
    const loading = loadingCompiled(coming, wasmPath, loadLikePyodide)(wasmPath);
    setTimeout(() => void WebAssembly.compile(moduleReturning(9)).then(give), 50);
    expect(f(await loading)).toBe(9);
  });

  it('puts Node’s read and the platform’s instantiate back once the load has settled, or failed', async () => {
    const fs = await import('node:fs/promises');
    const nodeRead = fs.readFile;
    const platform = WebAssembly.instantiate;
    const given = Promise.resolve(await WebAssembly.compile(moduleReturning(7)));
    let during: unknown = null;
    await loadingCompiled(given, wasmPath, async (path: string) => {
      during = (await import('node:fs/promises')).readFile;
      return loadLikePyodide(path);
    })(wasmPath);
    expect(during).not.toBe(nodeRead);
    expect((await import('node:fs/promises')).readFile).toBe(nodeRead);
    expect(WebAssembly.instantiate).toBe(platform);

    const failing = loadingCompiled(given, wasmPath, async () => {
      throw new Error('Pyodide failed');
    });
    await expect(failing(wasmPath)).rejects.toThrow('Pyodide failed');
    expect((await import('node:fs/promises')).readFile).toBe(nodeRead);
    expect(WebAssembly.instantiate).toBe(platform);
    // After it, the file is the file.
    expect(f(await loadLikePyodide(wasmPath))).toBe(42);
  });

  it('the real Pyodide instantiates the compiled module: it neither compiles nor is handed its 9.6 MB', async () => {
    const compiled = await compilePyodideWasm();
    expect(compiled).toBeInstanceOf(WebAssembly.Module);
    const platform = WebAssembly.instantiate;
    const sources: unknown[] = [];
    const spy = ((source: unknown, imports?: WebAssembly.Imports) => {
      sources.push(source);
      return (platform as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>)(source, imports);
    }) as typeof WebAssembly.instantiate;
    WebAssembly.instantiate = spy;
    try {
      const load = loadingCompiled(Promise.resolve(compiled), pyodideWasmPath(), loadPyodide);
      const pyodide = await load({ stdLibURL: join(ROOT, 'out/pyodide/python_stdlib.zip') });
      expect(pyodide.runPython('sum(range(10))')).toBe(45);
    } finally {
      WebAssembly.instantiate = platform;
    }
    expect(sources).toContain(compiled);
    expect(sources.filter((source) => ArrayBuffer.isView(source) && source.byteLength > 1_000_000)).toEqual([]);
  }, 60_000);
});

describe('a Node worker thread told a compiled module comes', () => {
  for (const [name, compiled] of [
    ['the host’s module', () => compilePyodideWasm()],
    ['none after all (null): it compiles its own', () => Promise.resolve(null)],
  ] as const) {
    it(`runs a program with ${name}`, async () => {
      const runtime = new RuntimeSupervisor(() => spawnNodeWorker(builtWorker(), null, compiled()), { spare: false, stallMs: 60_000 });
      try {
        const trace = await runtime.run({ source: 'import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print("slept")\nasyncio.run(main())\n', filename: 'main.py' });
        expect(trace.end.status).toBe('ok');
        expect(streamText(trace, 'stdout')).toBe('slept\n');
      } finally {
        runtime.dispose();
      }
    }, 120_000);
  }
});
