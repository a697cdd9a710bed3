/**
 * Long animation frames (over 50 ms on the UI thread) as Chromium reports them, with the
 * scripts that ran in each: the e2e suite and the UI bench both watch them.
 */
import type { Page } from 'playwright-core';

/**
 * A UI thread held this long (ms) is a freeze, which the e2e suite fails on: that is the app
 * holding the page, not a shared machine's noise. Frame-time goals (100 ms while a bad program
 * runs, 16 ms while playing) are the bench's to measure (bench/ui.ts), on a quiet machine.
 */
export const FREEZE_MS = 2000;

/** A frame the UI thread spent more than 50 ms on, and the scripts that ran in it. */
export interface LongFrame {
  duration: number;
  scripts: string[];
}

/** Records every long animation frame, with what ran in it (for the failure message). */
export async function watchLongFrames(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const w = window as unknown as { longFrames: LongFrame[] };
    w.longFrames = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        // PerformanceLongAnimationFrameTiming is not in TypeScript's DOM types yet.
        const scripts =
          (entry as unknown as { scripts?: { invoker: string; duration: number; sourceFunctionName?: string; sourceCharPosition?: number }[] })
            .scripts ?? [];
        w.longFrames.push({
          duration: entry.duration,
          scripts: scripts.map(
            (s) => `${s.invoker} ${Math.round(s.duration)} ms${s.sourceFunctionName ? ` in ${s.sourceFunctionName}@${s.sourceCharPosition ?? '?'}` : ''}`,
          ),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: false });
  });
}

/**
 * The long frames since the last call, and forgets them. Chromium reports a frame a little
 * after it ends, so this first lets two more frames go by.
 */
export async function longFrames(page: Page): Promise<LongFrame[]> {
  return page.evaluate(async () => {
    for (let i = 0; i < 2; i++) await new Promise((resolve) => requestAnimationFrame(resolve));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const w = window as unknown as { longFrames: LongFrame[] };
    const frames = w.longFrames.slice();
    w.longFrames.length = 0;
    return frames;
  });
}

/** The longest of some frames (a zero-length one when there are none). */
export function longest(frames: readonly LongFrame[]): LongFrame {
  return frames.reduce<LongFrame>((a, b) => (b.duration > a.duration ? b : a), { duration: 0, scripts: [] });
}
