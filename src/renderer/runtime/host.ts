/**
 * The page of Electron's hidden runtime window: a Web Worker runs Python, supervised here as in
 * the browser edition; runs arrive from the main process and traces go back to it.
 */
import type { RuntimeWindowBridge } from '../../shared/ipc';
import { createBrowserRuntime } from '../../runtime/browser-host';

declare global {
  interface Window {
    looplabRuntime?: RuntimeWindowBridge;
  }
}

const bridge = window.looplabRuntime;
if (!bridge) throw new Error('runtime.html must be opened by Loop Lab’s main process');

const runtime = createBrowserRuntime();
runtime.onStatus((info) => bridge.sendStatus(info));
bridge.onRun(({ requestId, input }) => {
  void runtime.run(input).then((trace) => bridge.sendResult({ requestId, trace }));
});
bridge.onStop(() => runtime.stop());
