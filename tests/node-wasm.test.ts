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
import { hostWasm, type HostWasm, loadingCompiled, notLoaded, pyodideWasmPath, wasmFile } from '../src/runtime/node-wasm';
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

/** A load of `path` given a module returning `value`, which reads at once and ends only when let. */
function heldLoad(value: number, path: string): { loaded: Promise<Loaded>; letEnd: () => void } {
  let letEnd: () => void = () => {};
  const mayEnd = new Promise<void>((resolve) => (letEnd = resolve));
  const loaded = loadingCompiled(WebAssembly.compile(moduleReturning(value)), path, async (at: string) => {
    const read = await loadLikePyodide(at);
    await mayEnd;
    return read;
  })(path);
  return { loaded, letEnd };
}

/** As loadLikePyodide, but an instantiation that fails is only logged and waited on for ever, as Pyodide does (getInstantiateWasmFunc). */
async function loadSwallowingLikePyodide(path: string): Promise<Loaded> {
  const fs = await import('node:fs/promises');
  const bytes = await fs.readFile(path).then((n) => new Uint8Array(n.buffer, n.byteOffset, n.byteLength));
  try {
    const { instance, module } = await WebAssembly.instantiate(bytes, { env: {} });
    return { instance, module, other: '' };
  } catch {
    return new Promise<Loaded>(() => {});
  }
}

/** A module importing a function `env.g` (which the loads here do not give: it does not link). */
const NEEDS_AN_IMPORT = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f, // one type: () -> i32
  0x02, 0x09, 0x01, 0x03, 0x65, 0x6e, 0x76, 0x01, 0x67, 0x00, 0x00, // imports env.g of that type
]);

describe('a worker instantiating the host’s compiled WebAssembly', () => {
  // First in this file: the process's one compile is begun here, inside a load.
  it('the host’s compile reads the file itself, even begun while a load answers for that file', async () => {
    const given = Promise.resolve(await WebAssembly.compile(moduleReturning(7)));
    const module = await loadingCompiled(given, pyodideWasmPath(), () => hostWasm().compiled)(null);
    expect(module).toBeInstanceOf(WebAssembly.Module);
    expect(WebAssembly.Module.exports(module!).length).toBeGreaterThan(100); // Pyodide's, not a token's
  });

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

  it('loads that overlap are each answered for their own file, and the last to settle puts everything back', async () => {
    const fs = await import('node:fs/promises');
    const nodeRead = fs.readFile;
    const platform = WebAssembly.instantiate;
    const otherWasm = join(dir, 'other.wasm');
    writeFileSync(otherWasm, moduleReturning(42));
    const first = heldLoad(7, wasmPath);
    // Begun after the first, ended before it: the first's stand-ins must outlive the second.
    const second = await loadingCompiled(WebAssembly.compile(moduleReturning(9)), otherWasm, loadLikePyodide)(otherWasm);
    expect(f(second)).toBe(9);
    expect((await import('node:fs/promises')).readFile).not.toBe(nodeRead); // the first still loads
    first.letEnd();
    expect(f(await first.loaded)).toBe(7);
    expect((await import('node:fs/promises')).readFile).toBe(nodeRead);
    expect(WebAssembly.instantiate).toBe(platform);
    expect(f(await loadLikePyodide(wasmPath))).toBe(42);

    // Ended in the other order: the same.
    const a = loadingCompiled(WebAssembly.compile(moduleReturning(3)), wasmPath, loadLikePyodide);
    const b = loadingCompiled(WebAssembly.compile(moduleReturning(5)), otherWasm, loadLikePyodide);
    const [fromA, fromB] = await Promise.all([a(wasmPath), b(otherWasm)]);
    expect([f(fromA), f(fromB)]).toEqual([3, 5]);
    expect((await import('node:fs/promises')).readFile).toBe(nodeRead);
    expect(WebAssembly.instantiate).toBe(platform);
  });

  it('loads of the same file that overlap are each answered with their own module', async () => {
    const first = heldLoad(7, wasmPath);
    const second = loadingCompiled(WebAssembly.compile(moduleReturning(9)), wasmPath, async (path: string) => {
      await new Promise((resolve) => setTimeout(resolve, 20)); // reads after the first has read
      return loadLikePyodide(path);
    })(wasmPath);
    expect(f(await second)).toBe(9);
    first.letEnd();
    expect(f(await first.loaded)).toBe(7);
    // The second reads and instantiates after the first has settled.
    let letSecondRead: () => void = () => {};
    const secondMayRead = new Promise<void>((resolve) => (letSecondRead = resolve));
    const third = loadingCompiled(WebAssembly.compile(moduleReturning(3)), wasmPath, loadLikePyodide)(wasmPath);
    const fourth = loadingCompiled(WebAssembly.compile(moduleReturning(5)), wasmPath, async (path: string) => {
      await secondMayRead;
      return loadLikePyodide(path);
    })(wasmPath);
    expect(f(await third)).toBe(3);
    letSecondRead();
    expect(f(await fourth)).toBe(5);
  });

  it('hands every other read and instantiate, with all their arguments, to what was in place, and puts that back', async () => {
    const fs = await import('node:fs/promises');
    const nodeRead = fs.readFile;
    const platform = WebAssembly.instantiate;
    const seen: string[] = [];
    const readWrapper = ((...args: Parameters<typeof nodeRead>) => {
      seen.push(`read ${args.length}`);
      return nodeRead(...args);
    }) as typeof nodeRead;
    const instantiateWrapper = ((...args: unknown[]) => {
      seen.push(`instantiate ${args.length}`);
      return (platform as (...a: unknown[]) => Promise<unknown>)(...args.slice(0, 2));
    }) as typeof WebAssembly.instantiate;
    (fs as unknown as { default: { readFile: unknown } }).default.readFile = readWrapper;
    (await import('node:module')).syncBuiltinESMExports();
    WebAssembly.instantiate = instantiateWrapper;
    try {
      const given = Promise.resolve(await WebAssembly.compile(moduleReturning(7)));
      const loaded = await loadingCompiled(given, wasmPath, async (path: string) => {
        const other = await WebAssembly.instantiate(moduleReturning(11), {}, { extra: true } as unknown as WebAssembly.Imports);
        expect(((other as WebAssembly.WebAssemblyInstantiatedSource).instance.exports.f as () => number)()).toBe(11);
        return loadLikePyodide(path);
      })(wasmPath);
      expect(f(loaded)).toBe(7);
      // The other read (notes.txt), the other instantiate with its third argument, and the module's instantiate.
      expect(seen).toEqual(['instantiate 3', 'read 2', 'instantiate 2']);
      expect((await import('node:fs/promises')).readFile).toBe(readWrapper);
      expect(WebAssembly.instantiate).toBe(instantiateWrapper);
    } finally {
      (fs as unknown as { default: { readFile: unknown } }).default.readFile = nodeRead;
      (await import('node:module')).syncBuiltinESMExports();
      WebAssembly.instantiate = platform;
    }
  });

  it('reads and compiles the file itself when the module has not come in time', async () => {
    const never = new Promise<WebAssembly.Module | null>(() => {});
    const started = performance.now();
    const loaded = await loadingCompiled(never, wasmPath, loadLikePyodide, 50)(wasmPath);
    expect(f(loaded)).toBe(42);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });

  it('a WebAssembly that does not load ends the load at once, saying so, where Pyodide would wait for ever', async () => {
    const damaged = join(dir, 'damaged.wasm');
    writeFileSync(damaged, Buffer.concat([Buffer.from(moduleReturning(42)).subarray(0, 20), Buffer.from([0xff, 0xff, 0xff])]));
    // No module: the file is read and compiled, and does not compile.
    await expect(loadingCompiled(Promise.resolve(null), damaged, loadSwallowingLikePyodide)(damaged)).rejects.toThrow(
      /Python's WebAssembly \(.*damaged\.wasm\) could not be loaded \(.*\)\. The installation may be damaged: run `npm ci` in the Loop Lab folder to install it again\./,
    );
    // A module that does not link with the imports it is given.
    const unlinkable = WebAssembly.compile(NEEDS_AN_IMPORT);
    await expect(loadingCompiled(unlinkable, wasmPath, loadSwallowingLikePyodide)(wasmPath)).rejects.toThrow(/could not be loaded/);
    // Both put everything back.
    expect(f(await loadLikePyodide(wasmPath))).toBe(42);
  });

  it('says a damaged file, memory the machine would not give, and anything else, each in its own words', () => {
    expect(notLoaded('/p.wasm', new WebAssembly.CompileError('extra bits in varint'))).toMatch(/^Python's WebAssembly \(\/p\.wasm\) could not be loaded \(extra bits in varint\)\. The installation may be damaged: run `npm ci`/);
    expect(notLoaded('/p.wasm', new WebAssembly.LinkError('import env.g must be a callable'))).toMatch(/The installation may be damaged/);
    const memory = notLoaded('/p.wasm', new RangeError('WebAssembly.instantiate(): Out of memory: Cannot allocate Wasm memory for new instance'));
    expect(memory).toMatch(/could not be given its memory .*Close other programs/);
    expect(memory).not.toMatch(/npm ci/);
    expect(notLoaded('/p.wasm', new Error('something else'))).toBe("Python's WebAssembly (/p.wasm) could not be loaded (something else).");
  });

  it('a stand-in some code kept is still Node’s read and the platform’s instantiate once the loads are over', async () => {
    let keptRead: ((path: string) => Promise<unknown>) | null = null;
    let keptInstantiate: typeof WebAssembly.instantiate | null = null;
    await loadingCompiled(Promise.resolve(null), wasmPath, async (path: string) => {
      keptRead = (await import('node:fs/promises')).readFile as unknown as (path: string) => Promise<unknown>;
      keptInstantiate = WebAssembly.instantiate;
      return loadLikePyodide(path);
    })(wasmPath);
    expect(String(await keptRead!(otherPath))).toBe('not WebAssembly');
    const { instance } = await keptInstantiate!(moduleReturning(11), {});
    expect((instance.exports.f as () => number)()).toBe(11);
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
    const compiled = await hostWasm().compiled;
    expect(compiled).toBeInstanceOf(WebAssembly.Module);
    const platform = WebAssembly.instantiate;
    const sources: unknown[] = [];
    // In place before the load: the stand-in hands the module's instantiate to it.
    WebAssembly.instantiate = ((source: unknown, imports?: WebAssembly.Imports) => {
      sources.push(source);
      return (platform as (s: unknown, i?: WebAssembly.Imports) => Promise<unknown>)(source, imports);
    }) as typeof WebAssembly.instantiate;
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
  const program = 'import asyncio\nasync def main():\n    await asyncio.sleep(1)\n    print("slept")\nasyncio.run(main())\n';
  const ownFile = () => wasmFile(pyodideWasmPath());
  const foreign = () => WebAssembly.compile(moduleReturning(7));
  const cases: [string, () => HostWasm][] = [
    ['the host’s module', () => hostWasm()],
    ['none after all (null): it compiles its own', () => ({ compiled: Promise.resolve(null), compiledFrom: ownFile() })],
    // A module of another file (a worker built elsewhere reads its own), or of this one before it changed: not taken.
    ['a module compiled from another Pyodide’s file: it compiles its own', () => ({ compiled: foreign(), compiledFrom: wasmFile(wasmPath) })],
    ['a module of its file as it was before a change: it compiles its own', () => ({ compiled: foreign(), compiledFrom: { ...ownFile()!, mtimeMs: 0 } })],
  ];
  async function runWith(wasm: () => HostWasm, startTimeoutMs = 60_000): Promise<string> {
    const runtime = new RuntimeSupervisor(() => spawnNodeWorker(builtWorker(), null, wasm()), { spare: false, stallMs: 60_000, startTimeoutMs });
    try {
      const trace = await runtime.run({ source: program, filename: 'main.py' });
      return trace.end.status === 'ok' ? streamText(trace, 'stdout') : `ended ${trace.end.status}`;
    } finally {
      runtime.dispose();
    }
  }
  for (const [name, wasm] of cases) {
    it(`runs a program with ${name}`, async () => {
      expect(await runWith(wasm)).toBe('slept\n');
    }, 120_000);
  }

  it('takes the module sent for its own file, unchanged: a foreign one so sent is instantiated, and Python cannot start', async () => {
    expect(await runWith(() => ({ compiled: foreign(), compiledFrom: ownFile() }), 5_000)).not.toBe('slept\n');
  }, 60_000);
});
