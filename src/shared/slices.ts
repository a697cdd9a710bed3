/**
 * Long work run in slices that give a thread back between them: a generator that pauses
 * (yields) now and then is stepped for about `sliceMs` at a time, each slice a task of its own,
 * so that the page draws and takes input between slices. The player builds a trace's views so
 * (src/trace/pass.ts), and the host checks a finished trace so (src/runtime/supervisor.ts).
 */

/** Resolves in a task of its own: the event loop (input, frames) runs first. */
export function nextTask(): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/**
 * Runs `work` in slices of about `sliceMs` (ms), letting the event loop run between slices. The
 * first slice runs now, in the caller's task. Resolves with what `work` returned and the number
 * of times it let the event loop run (0: it took one slice); or with null, and no more slices,
 * once `wanted()` says false before a slice. Rejects with what `work` threw.
 */
export async function inSlices<R>(
  work: Generator<void, R>,
  sliceMs: number,
  wanted: () => boolean = () => true,
): Promise<{ value: R; yields: number } | null> {
  let sliceStart = performance.now();
  let yields = 0;
  for (let step = work.next(); ; step = work.next()) {
    if (step.done) return { value: step.value, yields };
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTask();
      if (!wanted()) return null;
      yields++;
      sliceStart = performance.now();
    }
  }
}
