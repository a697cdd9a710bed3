/**
 * The pieces that make Emscripten's host services answer as in a browser worker (no-shell.ts,
 * program-sockets.ts), on their own: what they replace, and that a Pyodide of another shape
 * gives no interpreter rather than one that reaches the host. tests/sandbox.test.ts (attack 50)
 * proves them on a real interpreter; e2e/isolation.spec.ts compares the CLI's answers with the
 * browser's own.
 */
import { describe, expect, it } from 'vitest';
import { browserSystem, withoutShell } from '../src/runtime/no-shell';
import { closeProgramSockets, type EmscriptenSockets } from '../src/runtime/program-sockets';

class FakeErrnoError extends Error {
  constructor(readonly errno: number) {
    super(`errno ${errno}`);
  }
}

describe('system() as a browser has it (no-shell.ts)', () => {
  it('no shell, and every command fails with -ENOSYS (Emscripten’s 52)', () => {
    expect(browserSystem(0)).toBe(0);
    expect(browserSystem(1234)).toBe(-52);
  });

  it('replaces the wasm’s _emscripten_system import as Pyodide instantiates it, and nothing else', async () => {
    const hostSystem = (): number => 0;
    const other = (): number => 7;
    const imports = { env: { _emscripten_system: hostSystem, other } as Record<string, unknown> };
    let instantiatedWith: typeof imports | null = null;
    const settings = {
      instantiateWasm: (given: typeof imports, done: () => void) => {
        instantiatedWith = given;
        done();
        return {};
      },
    };
    const make = withoutShell(async (given) => {
      (given as typeof settings).instantiateWasm(imports, () => {});
      return 'module';
    });
    expect(await make(settings)).toBe('module');
    expect(instantiatedWith).toBe(imports);
    expect(imports.env._emscripten_system).toBe(browserSystem);
    expect(imports.env.other).toBe(other);
  });

  it('no interpreter when Pyodide gives no instantiateWasm, or its wasm imports no system()', async () => {
    let made = false;
    const maker = withoutShell(async () => {
      made = true;
      return 'module';
    });
    await expect(maker({})).rejects.toThrow(/cannot close system\(\)/);
    expect(made).toBe(false);

    const settings = { instantiateWasm: (_imports: unknown, _done: () => void): unknown => ({}) };
    const strange = withoutShell(async (given) => (given as typeof settings).instantiateWasm({ env: {} }, () => {}));
    await expect(strange(settings)).rejects.toThrow(/imports no _emscripten_system/);
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
