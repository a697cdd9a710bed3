/**
 * The allocator's free memory is zeroed before a snapshot is made (free-memory.ts), so that
 * pages used and freed during a cold start are left out of the packed snapshot: and nothing
 * else changes, the memory does not grow, and it grows again as before once done.
 */
import { join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { describe, expect, it } from 'vitest';
import { type AllocatorModule, zeroFreeMemory } from '../src/runtime/free-memory';
import { ROOT } from './corpus/harness';

const stdLibURL = join(ROOT, 'out/pyodide/python_stdlib.zip');

function nonZero(bytes: Uint8Array): number {
  let count = 0;
  for (const byte of bytes) if (byte !== 0) count++;
  return count;
}

describe('zeroFreeMemory', () => {
  it("zeroes what a real interpreter's allocator holds free, leaves what it holds in use, and does not grow its memory", async () => {
    const pyodide = await loadPyodide({ stdLibURL });
    const module = (pyodide as unknown as { _module: AllocatorModule })._module;
    const size = 200_000;
    const live = module._malloc(4096);
    module.HEAPU8.fill(0x55, live, live + 4096);
    const freed = module._malloc(size);
    module.HEAPU8.fill(0xaa, freed, freed + size);
    module._free(freed);
    const bytesBefore = module.memory.buffer.byteLength;

    const zeroed = zeroFreeMemory(module);

    expect(zeroed).toBeGreaterThanOrEqual(size);
    expect(module.memory.buffer.byteLength).toBe(bytesBefore);
    expect(module.HEAPU8.subarray(live, live + 4096).every((byte) => byte === 0x55)).toBe(true);
    // What is left in the freed block is the allocator's own bookkeeping: a few words at its edges.
    expect(nonZero(module.HEAPU8.subarray(freed, freed + size))).toBeLessThanOrEqual(32);
    // Python still works, and the memory grows again when asked (the prototype's grow is back).
    expect(Object.hasOwn(module.memory, 'grow')).toBe(false);
    expect(pyodide.runPython('len(bytearray(64 * 1024 * 1024))')).toBe(64 * 1024 * 1024);
    expect(module.memory.buffer.byteLength).toBeGreaterThan(bytesBefore);
  }, 120_000);

  it('stops at its bound whatever the allocator answers, and gives back every block it took', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const freed: number[] = [];
    const fake: AllocatorModule = { _malloc: () => 8, _free: (pointer) => freed.push(pointer), HEAPU8: new Uint8Array(memory.buffer), memory };
    zeroFreeMemory(fake);
    expect(freed.length).toBe(200_000);
    expect(Object.hasOwn(memory, 'grow')).toBe(false);
  });

  it('gives back what it took, and lets the memory grow again, if the allocator throws', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const freed: number[] = [];
    let calls = 0;
    const fake: AllocatorModule = {
      _malloc: () => {
        if (++calls > 3) throw new Error('allocator failed');
        return 64 * calls;
      },
      _free: (pointer) => freed.push(pointer),
      HEAPU8: new Uint8Array(memory.buffer),
      memory,
    };
    expect(() => zeroFreeMemory(fake)).toThrow('allocator failed');
    expect(freed).toEqual([64, 128, 192]);
    expect(memory.grow(1)).toBe(1);
  });
});
