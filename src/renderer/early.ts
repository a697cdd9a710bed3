/**
 * The main page's first script, a module graph of its own (build/early-script.ts puts it
 * before the app's), run while the app's own scripts (about 1 MB) still load and compile:
 * - it starts fetching the recorded trace of the lesson the address names, so that the
 *   lesson's board shows as soon as the app is up;
 * - in the browser edition served by its saved copy (a service worker controls the page: the
 *   app has been here before), it starts the runtime: Python's first worker, its files and the
 *   kept snapshot are on their way while the app's scripts run (a worker made by them starts
 *   only once they are done). Measured here, side by side: Python ready 0.26 s sooner on a
 *   warm start, the lesson as soon. On a first visit it waits for the app's scripts: Python's
 *   files (about 10 MB to fetch and compile) made the lesson 0.3 s later, for Python 0.5 s
 *   sooner. In the desktop app the preload has set `window.loopLab`, and Python runs in a
 *   window of its own.
 */
import { shippedIndex } from 'virtual:looplab/shipped-index';
import { RUNTIME_ID } from '../runtime/runtime-id';
import { startBrowserRuntimeEarly } from '../runtime/browser-host';
import { prefetchRouteTrace } from './lib/shipped-fetch';
import { isEmbedFragment } from './lib/route';

if (!isEmbedFragment(location.hash)) {
  if (shippedIndex !== null) prefetchRouteTrace(location.hash, document.baseURI, shippedIndex, RUNTIME_ID);
  if (window.loopLab === undefined && navigator.serviceWorker?.controller) startBrowserRuntimeEarly();
}
