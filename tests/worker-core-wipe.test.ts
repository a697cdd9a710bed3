/**
 * A worker wipes its interpreter when its run ends even if posting the run's end fails
 * (src/runtime/worker-core.ts): the host is told the run failed, in the app's words, and no
 * interpreter is left whole for what the program left behind (review 40: a message that could
 * not be cloned threw, and the wipe after it never came).
 */
import { join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Engine, type LoadPyodide } from '../src/runtime/engine';
import { describeWiped, serveRuntime } from '../src/runtime/worker-core';
import type { HostToWorker, WorkerToHost } from '../src/shared/runtime-protocol';

const STD_LIB = join(import.meta.dirname, '../out/pyodide/python_stdlib.zip');

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * A worker served in this thread, started cold and ready: what it posts goes to `post` (its
 * `ready` first); the function returned hands it a message, as its host would.
 */
async function readyWorker(post: (message: WorkerToHost) => void): Promise<(message: HostToWorker) => void> {
  let deliver: ((message: HostToWorker) => void) | null = null;
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  serveRuntime(
    {
      post: (message) => {
        post(message);
        if (message.type === 'ready') ready();
      },
      onMessage: (handler) => (deliver = handler),
      dropUncaughtErrors: () => {},
    },
    loadPyodide as LoadPyodide,
    { stdLibURL: STD_LIB },
  );
  deliver!({ type: 'start', makeSnapshot: false } as HostToWorker);
  deliver!({ type: 'restore', snapshot: null } as HostToWorker);
  await isReady;
  return deliver!;
}

it('wipes the interpreter and says the run failed when the post of its end throws', async () => {
  const retire = vi.spyOn(Engine.prototype, 'retire');
  const posted: WorkerToHost[] = [];
  const deliver = await readyWorker((message) => {
    if (message.type === 'finished') throw new DOMException('could not be cloned', 'DataCloneError');
    posted.push(message);
  });
  deliver({ type: 'run', runId: 1, source: 'print("hi")\n', filename: 'main.py', options: { maxSteps: 1000, wallSeconds: 30 } } as HostToWorker);
  expect(retire).toHaveBeenCalledTimes(1);
  expect(posted.at(-1)).toEqual({ type: 'fatal', message: 'The Python runtime failed: the run’s end could not be sent.' });
}, 60_000);

/** What a program that reached JavaScript could replace of the realm's typed arrays, each undone by the function returned. */
const REPLACEMENTS: [string, () => () => void][] = [
  ['fill made a function that does nothing', () => replaceOnTypedArrays('fill', { value: Function.prototype })],
  ['length made 0', () => replaceOnTypedArrays('length', { get: () => 0 })],
  ['buffer made a buffer of 8 bytes', () => replaceOnTypedArrays('buffer', { get: () => new ArrayBuffer(8) })],
];

/** Puts `descriptor` in place of %TypedArray%.prototype's `name` (writable and configurable), as a program could; returns what puts it back. */
function replaceOnTypedArrays(name: string, descriptor: PropertyDescriptor): () => void {
  const prototype = Object.getPrototypeOf(Uint8Array.prototype) as object;
  const original = Object.getOwnPropertyDescriptor(prototype, name)!;
  Object.defineProperty(prototype, name, { ...descriptor, configurable: true });
  return () => Object.defineProperty(prototype, name, original);
}

it.each(REPLACEMENTS)('wipes the interpreter when the realm’s %TypedArray%.prototype had its %s by the run’s end (attack 77)', async (_, replace) => {
  const retire = vi.spyOn(Engine.prototype, 'retire');
  let putBack: (() => void) | null = null;
  const deliver = await readyWorker((message) => {
    // Replaced as the run ends, after the program's last line and just before the wipe: as a
    // program with attack 74's memory and a forged JsProxy replaced it during its run.
    if (message.type === 'finished') putBack = replace();
  });
  try {
    deliver({ type: 'run', runId: 1, source: 'kept = "left behind " * 1000\nprint(kept[:4])\n', filename: 'main.py', options: { maxSteps: 1000, wallSeconds: 30 } } as HostToWorker);
  } finally {
    (putBack as (() => void) | null)?.();
  }
  expect(putBack).not.toBeNull();
  expect(retire).toHaveBeenCalledTimes(1);
  const engine = retire.mock.contexts[0] as unknown as { pyodide: { _module: { HEAP8: Int8Array } } };
  const memory = new Uint8Array(engine.pyodide._module.HEAP8.buffer);
  expect(memory.length).toBeGreaterThan(16 * 2 ** 20);
  expect(memory.findIndex((byte) => byte !== 0)).toBe(-1);
}, 60_000);

it('asks nothing of what a failed run threw: its message may be a getter of the program’s, run after the tracer’s run has returned (attack 79)', async () => {
  const retire = vi.spyOn(Engine.prototype, 'retire');
  let messageReads = 0;
  const thrown = new TypeError('the program’s own');
  Object.defineProperty(thrown, 'message', { get: () => `ESCAPED (read ${++messageReads})`, configurable: true });
  // Replaced by hand, not by a spy: vitest's spies read what the function they wrap throws.
  const run = Engine.prototype.run;
  Engine.prototype.run = () => {
    throw thrown;
  };
  try {
    const posted: WorkerToHost[] = [];
    const deliver = await readyWorker((message) => posted.push(message));
    deliver({ type: 'run', runId: 1, source: 'print("hi")\n', filename: 'main.py', options: { maxSteps: 1000, wallSeconds: 30 } } as HostToWorker);
    expect(messageReads).toBe(0);
    expect(retire).toHaveBeenCalledTimes(1);
    expect(posted.at(-1)).toEqual({ type: 'fatal', message: 'The Python runtime failed.' });
  } finally {
    Engine.prototype.run = run;
  }
}, 60_000);

it('a real failure keeps its own words, read once the interpreter is wiped', async () => {
  const order: string[] = [];
  const retire = vi.spyOn(Engine.prototype, 'retire').mockImplementation(() => void order.push('wiped'));
  const run = Engine.prototype.run;
  Engine.prototype.run = () => {
    throw new WebAssembly.RuntimeError('memory access out of bounds');
  };
  try {
    const posted: WorkerToHost[] = [];
    const deliver = await readyWorker((message) => {
      if (message.type === 'fatal') order.push('fatal');
      posted.push(message);
    });
    deliver({ type: 'run', runId: 1, source: 'print("hi")\n', filename: 'main.py', options: { maxSteps: 1000, wallSeconds: 30 } } as HostToWorker);
    expect(posted.at(-1)).toEqual({ type: 'fatal', message: 'The Python runtime failed: memory access out of bounds' });
    expect(order).toEqual(['wiped', 'fatal']);
  } finally {
    Engine.prototype.run = run;
    retire.mockRestore();
  }
}, 60_000);

describe('describeWiped', () => {
  it('takes plain text only: a string thrown, or an own message that is a value; never a getter, never inherited', () => {
    expect(describeWiped('broken')).toBe('broken');
    expect(describeWiped(new RangeError('Maximum call stack size exceeded'))).toBe('Maximum call stack size exceeded');
    expect(describeWiped('x'.repeat(1000))).toHaveLength(300);
    let reads = 0;
    const withGetter = Object.defineProperty({}, 'message', { get: () => `read ${++reads}` });
    expect(describeWiped(withGetter)).toBeNull();
    expect(reads).toBe(0);
    expect(describeWiped(Object.create({ message: 'inherited' }))).toBeNull();
    expect(describeWiped({ message: 42 })).toBeNull();
    expect(describeWiped(null)).toBeNull();
    expect(describeWiped(7)).toBeNull();
    const trap = new Proxy({}, { getOwnPropertyDescriptor: () => { throw new Error('trap'); } });
    expect(describeWiped(trap)).toBeNull();
  });
});
