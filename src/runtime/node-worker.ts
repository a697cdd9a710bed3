/** The runtime in a Node worker thread (CLI, tests, soak). Not a sandbox: see the CLI's help. */
import { parentPort } from 'node:worker_threads';
import { loadPyodide } from 'pyodide';
import type { HostToWorker } from '../shared/runtime-protocol';
import { serveRuntime } from './worker-core';

const port = parentPort;
if (!port) throw new Error('node-worker must run in a worker thread');

serveRuntime(
  {
    post: (message, transfer) => port.postMessage(message, transfer ?? []),
    onMessage: (handler) => port.on('message', (message: HostToWorker) => handler(message)),
  },
  loadPyodide,
);
