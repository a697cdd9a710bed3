/**
 * While an interpreter starts, Emscripten's small wrapper modules are compiled once per
 * signature (src/runtime/wrapper-modules.ts): the same small bytes give the same module, and
 * everything else is as WebAssembly's own constructor makes it; the constructor is back after.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { shareWrapperModules, WRAPPER_MODULE_BYTES } from '../src/runtime/wrapper-modules';

const original = WebAssembly.Module;

/** A module that imports one function of `params` i32s to an i32 and exports it, as convertJsFunctionToWasm writes it. */
function wrapperBytes(params: number): Uint8Array<ArrayBuffer> {
  const type = [1, 0x60, params, ...new Array<number>(params).fill(0x7f), 1, 0x7f];
  return Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 1, type.length, ...type, 2, 7, 1, 1, 101, 1, 102, 0, 0, 7, 5, 1, 1, 102, 0, 0);
}

/** A valid module of about `size` bytes: a custom section padded out. */
function largeBytes(size: number): Uint8Array<ArrayBuffer> {
  const payload = size - 8 - 1 - 2;
  const body = [1, 120, ...new Array<number>(payload - 2).fill(0)];
  return Uint8Array.of(0, 97, 115, 109, 1, 0, 0, 0, 0, 0x80 | (body.length & 0x7f), body.length >> 7, ...body);
}

afterEach(() => {
  WebAssembly.Module = original;
});

describe('shareWrapperModules', () => {
  it('gives the same module for the same small bytes, and a module of their own for other bytes', () => {
    const unshare = shareWrapperModules();
    const first = new WebAssembly.Module(wrapperBytes(2));
    const again = new WebAssembly.Module(wrapperBytes(2));
    const other = new WebAssembly.Module(wrapperBytes(3));
    unshare();
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    // Each instance still wraps its own function.
    const f = new WebAssembly.Instance(first, { e: { f: () => 1 } }).exports.f as () => number;
    const g = new WebAssembly.Instance(again, { e: { f: () => 2 } }).exports.f as () => number;
    expect([f(), g()]).toEqual([1, 2]);
  });

  it('compiles larger bytes every time, and answers instanceof and the statics as WebAssembly does', () => {
    const unshare = shareWrapperModules();
    const bytes = largeBytes(WRAPPER_MODULE_BYTES + 64);
    const a = new WebAssembly.Module(bytes);
    const b = new WebAssembly.Module(bytes);
    expect(a).not.toBe(b);
    expect(a).toBeInstanceOf(WebAssembly.Module);
    expect(a).toBeInstanceOf(original);
    expect(WebAssembly.Module.customSections(a, 'x')).toHaveLength(1);
    expect(WebAssembly.Module.exports(new WebAssembly.Module(wrapperBytes(1)))).toEqual([{ name: 'f', kind: 'function' }]);
    expect(() => (WebAssembly.Module as unknown as (bytes: Uint8Array) => unknown)(wrapperBytes(1))).toThrow(TypeError);
    expect(() => new WebAssembly.Module(Uint8Array.of(1, 2, 3))).toThrow(WebAssembly.CompileError);
    unshare();
  });

  it('puts the constructor back, and then every compile is a new module', () => {
    const unshare = shareWrapperModules();
    expect(WebAssembly.Module).not.toBe(original);
    unshare();
    expect(WebAssembly.Module).toBe(original);
    expect(new WebAssembly.Module(wrapperBytes(2))).not.toBe(new WebAssembly.Module(wrapperBytes(2)));
  });

  it('puts the constructor back only when the last of two overlapping starts ends, in either order', () => {
    for (const order of [['first', 'second'], ['second', 'first']] as const) {
      const undo = { first: shareWrapperModules(), second: shareWrapperModules() };
      undo[order[0]]();
      expect(new WebAssembly.Module(wrapperBytes(4))).toBe(new WebAssembly.Module(wrapperBytes(4)));
      undo[order[0]](); // a second call changes nothing
      expect(WebAssembly.Module).not.toBe(original);
      undo[order[1]]();
      expect(WebAssembly.Module).toBe(original);
    }
  });
});
