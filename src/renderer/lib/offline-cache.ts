/**
 * Keeps the browser edition on this computer for offline use: registers the service worker
 * that build/offline-app.ts generates (with workbox-window, once the page's start is over) and
 * reports how far it got. A newer version found later installs beside the one running and
 * waits: it is never swapped in under the learner, and opens at the next start.
 */
import { Workbox } from 'workbox-window';

export type OfflineState =
  /** Not this edition's job: the desktop app, or the development server. */
  | 'not-needed'
  /** The page is not a secure context (plain http off localhost): browsers allow no service worker. */
  | 'insecure'
  /** The first visit: the app's files are being saved. */
  | 'saving'
  /** Every file is saved: the app opens and runs with the network off. */
  | 'saved'
  /** A newer version is saved and waits for the next start. */
  | 'update-waiting'
  /** The browser refused (storage full, service workers turned off by policy …). */
  | 'failed';

/**
 * Registers the service worker once `startOver` settles: when the page's own start is done
 * (the lesson shown, Python up). Saving the app means fetching and compiling every file of it,
 * Pyodide's too; begun at page load on a first visit, it took the CPU from that start: Python
 * was ready about 1.3 s later (median of 4 fresh profiles each way, measured here), and the
 * lesson later too. Until then a first visit says it is saving; a page the saved app already
 * serves says it is saved.
 */
export function keepForOffline(onState: (state: OfflineState) => void, startOver: Promise<unknown> = Promise.resolve()): void {
  if (!import.meta.env.LOOPLAB_OFFLINE || import.meta.env.DEV) return onState('not-needed');
  if (!globalThis.isSecureContext || !('serviceWorker' in navigator)) return onState('insecure');
  onState(navigator.serviceWorker.controller ? 'saved' : 'saving');
  // A saved app's registration may already hold a newer version, waiting or on its way (the
  // browser looks for one at every navigation): said at once, not only after the wait.
  void navigator.serviceWorker
    .getRegistration()
    .then((registration) => registration && followUpdates(registration, onState))
    .catch(() => undefined);
  void startOver.then(
    () => register(onState),
    () => register(onState),
  );
}

/**
 * Says `update-waiting` when `registration` has a newer version waiting beside an active one,
 * now or once one being installed (now or later) has installed. Workbox reports only updates it
 * sees begin after its own `register()`, which now comes seconds after the page opened.
 */
function followUpdates(registration: ServiceWorkerRegistration, onState: (state: OfflineState) => void): void {
  const watch = (worker: ServiceWorker | null): void => {
    if (!worker) return;
    const check = (): void => {
      if (worker.state === 'installed' && registration.active) onState('update-waiting');
    };
    check();
    worker.addEventListener('statechange', check);
  };
  if (registration.waiting && registration.active) onState('update-waiting');
  watch(registration.installing);
  registration.addEventListener('updatefound', () => watch(registration.installing));
}

function register(onState: (state: OfflineState) => void): void {
  // Relative to the page: the app may live under any sub-path of its host.
  const workbox = new Workbox('./sw.js', { scope: './' });
  let hasActive = false;
  workbox.addEventListener('waiting', () => onState('update-waiting'));
  workbox.addEventListener('activated', (event) => {
    hasActive = true;
    if (!event.isUpdate) onState('saved');
  });
  workbox.addEventListener('redundant', () => onState(hasActive ? 'saved' : 'failed'));
  workbox
    .register()
    .then((registration) => {
      if (!registration) return onState('failed');
      hasActive = registration.active !== null;
      onState(registration.waiting ? 'update-waiting' : hasActive ? 'saved' : 'saving');
    })
    .catch(() => onState('failed'));
}
