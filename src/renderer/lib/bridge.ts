/** The one bridge to the host: Electron's preload when there is one, else the in-page host. */
import type { LoopLabBridge } from '../../shared/ipc';
import { createWebBridge } from './web-bridge';

declare global {
  interface Window {
    /** Set by the Electron preload (src/preload/index.ts); absent in the browser edition. */
    loopLab?: LoopLabBridge;
  }
}

let bridge: LoopLabBridge | null = null;

export function getBridge(): LoopLabBridge {
  bridge ??= window.loopLab ?? createWebBridge();
  return bridge;
}
