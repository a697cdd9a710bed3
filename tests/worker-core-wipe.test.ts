/**
 * A worker wipes its interpreter when its run ends even if posting the run's end fails
 * (src/runtime/worker-core.ts): the host is told the run failed, in the app's words, and no
 * interpreter is left whole for what the program left behind (review 40: a message that could
 * not be cloned threw, and the wipe after it never came).
 */
import { join } from 'node:path';
import { loadPyodide } from 'pyodide';
import { afterEach, expect, it, vi } from 'vitest';
import { Engine, type LoadPyodide } from '../src/runtime/engine';
import { serveRuntime } from '../src/runtime/worker-core';
import type { HostToWorker, WorkerToHost } from '../src/shared/runtime-protocol';

const STD_LIB = join(import.meta.dirname, '../out/pyodide/python_stdlib.zip');

afterEach(() => {
  vi.restoreAllMocks();
});

it('wipes the interpreter and says the run failed when the post of its end throws', async () => {
  const retire = vi.spyOn(Engine.prototype, 'retire');
  const posted: WorkerToHost[] = [];
  let deliver: ((message: HostToWorker) => void) | null = null;
  let ready!: () => void;
  const isReady = new Promise<void>((resolve) => (ready = resolve));
  serveRuntime(
    {
      post: (message) => {
        if (message.type === 'finished') throw new DOMException('could not be cloned', 'DataCloneError');
        posted.push(message);
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
  deliver!({ type: 'run', runId: 1, source: 'print("hi")\n', filename: 'main.py', options: { maxSteps: 1000, wallSeconds: 30 } } as HostToWorker);
  expect(retire).toHaveBeenCalledTimes(1);
  expect(posted.at(-1)).toEqual({ type: 'fatal', message: 'The Python runtime failed: the run’s end could not be sent.' });
}, 60_000);
