/**
 * When the page's own start is over: Python first up, or given up on. Work that can wait for
 * it (saving the app for offline use) then takes no CPU from the lesson or from Python's start.
 */
import type { LoopLabBridge } from '../../shared/ipc';

/** The longest a start is waited for, in real ms (a cold start here takes about 5 s). */
export const START_OVER_AT_MOST_MS = 20_000;

/** Settles once Python says it is ready or has failed, or after `atMostMs`, whichever is first. */
export function pythonStartOver(bridge: Pick<LoopLabBridge, 'onStatus'>, atMostMs = START_OVER_AT_MOST_MS): Promise<void> {
  return new Promise<void>((resolve) => {
    let over = false;
    let unsubscribe: (() => void) | null = null;
    const end = (): void => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      unsubscribe?.();
      resolve();
    };
    const timer = setTimeout(end, atMostMs);
    unsubscribe = bridge.onStatus((info) => {
      if (info.status === 'ready' || info.status === 'failed') end();
    });
    if (over) unsubscribe(); // the status came at once, before the unsubscribe was known
  });
}
