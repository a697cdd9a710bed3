/** pythonStartOver: the page's start is over when Python is first ready or has failed, or after a cap. */
import { describe, expect, it } from 'vitest';
import type { StatusInfo } from '../src/shared/ipc';
import { pythonStartOver } from '../src/renderer/lib/start-over';

function fakeBridge(): { onStatus: (listener: (info: StatusInfo) => void) => () => void; say: (info: StatusInfo) => void; listeners: number } {
  const listeners = new Set<(info: StatusInfo) => void>();
  return {
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    say: (info) => [...listeners].forEach((l) => l(info)),
    get listeners() {
      return listeners.size;
    },
  };
}

const settled = async (promise: Promise<void>): Promise<boolean> => {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setTimeout(resolve, 0));
  return done;
};

describe('pythonStartOver', () => {
  it('waits while Python starts, settles when it is ready, and stops listening', async () => {
    const bridge = fakeBridge();
    const over = pythonStartOver(bridge, 60_000);
    bridge.say({ status: 'starting', message: 'Starting Python…' });
    expect(await settled(over)).toBe(false);
    bridge.say({ status: 'ready', message: 'Ready' });
    expect(await settled(over)).toBe(true);
    expect(bridge.listeners).toBe(0);
  });

  it('settles when Python failed to start, and when told at once (a listener called as it is added)', async () => {
    const failing = fakeBridge();
    const over = pythonStartOver(failing, 60_000);
    failing.say({ status: 'failed', message: 'Python could not start' });
    expect(await settled(over)).toBe(true);
    const atOnce = { onStatus: (listener: (info: StatusInfo) => void) => (listener({ status: 'ready', message: 'Ready' }), () => undefined) };
    expect(await settled(pythonStartOver(atOnce, 60_000))).toBe(true);
  });

  it('settles after the cap if Python never says', async () => {
    const bridge = fakeBridge();
    const over = pythonStartOver(bridge, 20);
    expect(await settled(over)).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(await settled(over)).toBe(true);
    expect(bridge.listeners).toBe(0);
  });
});
