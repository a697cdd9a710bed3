/**
 * Runs work once the page has painted what it holds now: a frame, then a task after it. Used
 * for work that can wait a frame but would delay that frame (the code editor's creation:
 * CodePane.svelte). A hidden page paints no frames, so there it waits for a task only.
 * Returns a function that cancels the work if it has not run yet.
 */
export function afterNextPaint(work: () => void): () => void {
  let frame = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (document.visibilityState === 'hidden') {
    timer = setTimeout(work, 0);
  } else {
    frame = requestAnimationFrame(() => {
      frame = 0;
      timer = setTimeout(work, 0);
    });
  }
  return () => {
    if (frame !== 0) cancelAnimationFrame(frame);
    if (timer !== undefined) clearTimeout(timer);
  };
}
