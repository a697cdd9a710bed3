/**
 * The page of Electron's hidden runtime window: a Web Worker runs Python, supervised here as in
 * the browser edition; runs arrive from the main process and traces go back to it.
 */
import type { RuntimeWindowBridge } from '../../shared/ipc';
import { packTrace } from '../../shared/trace';
import { createBrowserRuntime } from '../../runtime/browser-host';
import { RUNTIME_ID } from '../../runtime/runtime-id';

declare global {
  interface Window {
    looplabRuntime?: RuntimeWindowBridge;
  }
}

const bridge = window.looplabRuntime;
if (!bridge) throw new Error('runtime.html must be opened by Loop Lab’s main process');

// This window's session keeps nothing: the snapshot lives in main's user-data folder.
const runtime = createBrowserRuntime({
  snapshots: { load: () => bridge.loadSnapshot(), save: (bytes) => bridge.saveSnapshot(bytes), drop: () => bridge.dropSnapshot() },
});
runtime.onStatus((info) => bridge.sendStatus(info));
bridge.onRun(({ requestId, input }) => {
  void runtime.run(input).then((trace) => bridge.sendResult({ requestId, trace: packTrace(trace, RUNTIME_ID) }));
});
bridge.onStop(() => runtime.stop());
