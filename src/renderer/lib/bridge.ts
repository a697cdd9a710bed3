/** The one bridge to the host: Electron's preload when there is one, else the in-page host. */
import type { LoopLabBridge } from '../../shared/ipc';
import { createWebBridge } from './web-bridge';

declare global {
  interface Window {
    /**
     * Set by the Electron preload (src/preload/index.ts); in the browser edition, set here to
     * the in-page bridge, so that both shells offer the same `window.loopLab` (the end-to-end
     * isolation tests run their programs through it in either shell).
     */
    loopLab?: LoopLabBridge;
  }
}

let bridge: LoopLabBridge | null = null;

export function getBridge(): LoopLabBridge {
  bridge ??= window.loopLab ?? (window.loopLab = createWebBridge());
  return bridge;
}
