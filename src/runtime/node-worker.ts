/** The runtime in a Node worker thread (CLI, tests, soak). Not a sandbox: see the CLI's help. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parentPort } from 'node:worker_threads';
import { loadPyodide } from 'pyodide';
import type { HostToWorker } from '../shared/runtime-protocol';
import { serveRuntime } from './worker-core';

const port = parentPort;
if (!port) throw new Error('node-worker must run in a worker thread');

/** The standard library with compiled bytecode (out/pyodide, beside out/node: build/stdlib.ts). */
const stdLibURL = fileURLToPath(new URL('../pyodide/python_stdlib.zip', import.meta.url));
if (!existsSync(stdLibURL)) throw new Error(`${stdLibURL} is missing: run \`npm run build:node\` first.`);

serveRuntime(
  {
    post: (message, transfer) => port.postMessage(message, transfer ?? []),
    onMessage: (handler) => port.on('message', (message: HostToWorker) => handler(message)),
    dropUncaughtErrors: () => {
      // With a listener, an uncaught error no longer ends the thread or reaches the host.
      process.on('uncaughtException', () => {});
      process.on('unhandledRejection', () => {});
    },
  },
  loadPyodide,
  { stdLibURL },
);
