/**
 * The pieces that make Emscripten's host services answer as in a browser worker
 * (browser-imports.ts, program-sockets.ts), on their own: what they replace, and that a Pyodide of another shape
 * gives no interpreter rather than one that reaches the host. tests/sandbox.test.ts (attack 50)
 * proves them on a real interpreter; e2e/isolation.spec.ts compares the CLI's answers with the
 * browser's own.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { browserAnswers, browserClockResolution, browserSystem, hasNodeBranch, NODE_BRANCHES_ALLOWED, NOT_IMPORTED, withBrowserImports } from '../src/runtime/browser-imports';
import type { ModuleMaker } from '../src/runtime/pyodide-code-cache';
import { closeProgramSockets, type EmscriptenSockets } from '../src/runtime/program-sockets';

class FakeErrnoError extends Error {
  constructor(readonly errno: number) {
    super(`errno ${errno}`);
  }
}

type Settings = { instantiateWasm: (imports: { env: Record<string, unknown> }, done: (instance?: unknown) => void) => unknown };

/** A module maker that instantiates as Pyodide's does: through the settings' instantiateWasm. */
const instantiatesWith = (env: Record<string, unknown>): ModuleMaker => async (given) => {
  await new Promise<void>((resolve) => (given as Settings).instantiateWasm({ env }, () => resolve()));
  return 'module';
};

/** Imports as the pinned Pyodide has them, for the names this replaces. */
const pyodideLikeImports = (): Record<string, unknown> => ({
  _emscripten_system: () => 0,
  __syscall_getuid32_js: () => 65534,
  __syscall_umask_js: () => 0o22,
  clock_res_get: () => 0,
  harmless: () => 7,
});

describe('Emscripten’s Node-only imports answer as a browser’s (browser-imports.ts)', () => {
  it('system(): no shell, and every command fails with -ENOSYS (Emscripten’s 52)', () => {
    expect(browserSystem(0)).toBe(0);
    expect(browserSystem(1234)).toBe(-52);
  });

  it('clock_res_get: 1 ms for the realtime clock, 1 µs for the others, in nanoseconds at the pointer; EINVAL for a clock WASI has not', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const answer = browserClockResolution(() => memory);
    const view = new DataView(memory.buffer);
    expect(answer(0, 64)).toBe(0);
    expect(view.getBigInt64(64, true)).toBe(1_000_000n);
    expect(answer(1, 72)).toBe(0);
    expect(view.getBigInt64(72, true)).toBe(1_000n);
    expect(answer(9, 80)).toBe(28);
    expect(browserClockResolution(() => null)(1, 0)).toBe(28);
  });

  it('replaces the imports as Pyodide instantiates the wasm, and leaves the rest alone', async () => {
    const env = pyodideLikeImports();
    const harmless = env.harmless;
    const settings: Settings = { instantiateWasm: (_imports, done) => done(undefined) };
    expect(await withBrowserImports(instantiatesWith(env))(settings)).toBe('module');
    expect((env._emscripten_system as (command: number) => number)(0)).toBe(0);
    expect((env._emscripten_system as (command: number) => number)(4096)).toBe(-52);
    expect((env.__syscall_getuid32_js as () => number)()).toBe(0);
    expect((env.__syscall_umask_js as () => number)()).toBe(0);
    expect(env.harmless).toBe(harmless);
  });

  it('no interpreter when Pyodide gives no instantiateWasm, lacks one of the imports, or has another with a Node branch', async () => {
    let made = false;
    const maker = withBrowserImports(async () => {
      made = true;
      return 'module';
    });
    await expect(maker({})).rejects.toThrow(/cannot close/);
    expect(made).toBe(false);

    const settings = (): Settings => ({ instantiateWasm: (_imports, done) => done(undefined) });
    const { _emscripten_system: _gone, ...without } = pyodideLikeImports();
    await expect(withBrowserImports(instantiatesWith(without))(settings())).rejects.toThrow(/imports no _emscripten_system/);
    // A function whose source names Emscripten's Node flag, as pyodide.asm.mjs's do.
    const more: Record<string, unknown> = { ...pyodideLikeImports(), _new_host_call: new Function('if (ENVIRONMENT_IS_NODE) return 1; return 0;') };
    await expect(withBrowserImports(instantiatesWith(more))(settings())).rejects.toThrow(/Node-only branch: _new_host_call/);
  });

  it('the pinned Pyodide: the imports with a Node branch of their own are those replaced or allowed, and what NOT_IMPORTED names the wasm does not import', async () => {
    const pyodideDir = dirname(createRequire(import.meta.url).resolve('pyodide/pyodide.asm.mjs'));
    // The imports Emscripten offers the wasm, as Pyodide's instantiateWasm is handed them.
    const asm = (await import(pathToFileURL(join(pyodideDir, 'pyodide.asm.mjs')).href)) as { default: ModuleMaker };
    let offered: Record<string, unknown> = {};
    const stop = new Error('recorded');
    await expect(
      asm.default({
        API: { config: {}, runtimeEnv: { IN_NODE: true } },
        instantiateWasm: (imports: { env: Record<string, unknown> }) => {
          offered = imports.env;
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
    const branching = Object.keys(offered).filter((name) => hasNodeBranch(offered[name])).sort();
    const replaced = Object.keys(browserAnswers(() => null));
    expect(branching).toEqual([...new Set([...NODE_BRANCHES_ALLOWED, ...replaced])].filter((name) => name !== 'clock_res_get').sort());
    expect(hasNodeBranch(offered.clock_res_get)).toBe(false); // it reaches Node through emscripten_get_now_res
    const module = await WebAssembly.compile(readFileSync(join(pyodideDir, 'pyodide.asm.wasm')));
    const imported = new Set(WebAssembly.Module.imports(module).map((entry) => entry.name));
    for (const name of NOT_IMPORTED) expect(imported.has(name), name).toBe(false);
    for (const name of replaced) expect(imported.has(name), name).toBe(true);
  });
});

describe('a program’s own sockets reach nothing (program-sockets.ts)', () => {
  function fakeSockets(): EmscriptenSockets & { made: string[] } {
    const made: string[] = [];
    return {
      made,
      SOCKFS: {
        websocket_sock_ops: {
          createPeer: () => made.push('peer'),
          listen: () => made.push('server'),
        },
      },
      DNS: { lookup_name: (name: string) => `172.29.${name.length}.0` },
    };
  }

  it('a peer is refused with EHOSTUNREACH (23), a server with EOPNOTSUPP (138): the browser’s answers', () => {
    const sockets = fakeSockets();
    closeProgramSockets(sockets, FakeErrnoError);
    const ops = sockets.SOCKFS!.websocket_sock_ops;
    expect(() => ops.createPeer({}, '127.0.0.1', 22)).toThrow(expect.objectContaining({ errno: 23 }));
    expect(() => ops.listen({}, 5)).toThrow(expect.objectContaining({ errno: 138 }));
    expect(sockets.made).toEqual([]);
  });

  it('the name table keeps 4,096 names of at most 253 characters; any other resolves to an address kept nowhere', () => {
    const sockets = fakeSockets();
    closeProgramSockets(sockets, FakeErrnoError);
    const dns = sockets.DNS!;
    expect(dns.lookup_name('example.com')).toBe('172.29.11.0');
    expect(dns.lookup_name('x'.repeat(254))).toBe('172.29.255.255');
    for (let i = 0; i < 5000; i += 1) dns.lookup_name(`host${i}`);
    expect(dns.lookup_name('host4999')).toBe('172.29.255.255');
    expect(dns.lookup_name('example.com')).toBe('172.29.11.0');
  });

  it('a socket layer of another shape gives no interpreter, not an open one', () => {
    expect(() => closeProgramSockets({}, FakeErrnoError)).toThrow(/not the shape/);
    expect(() => closeProgramSockets({ SOCKFS: { websocket_sock_ops: { createPeer: () => 0 } } } as unknown as EmscriptenSockets, FakeErrnoError)).toThrow(/not the shape/);
  });
});
