/**
 * A cue that a scroll box goes on below its bottom edge (a lane with more cards than fit, the
 * board with the Network lane or the loop's internals under the lanes). Attach it to the box
 * (`{@attach overflowCue}`): while content lies below the visible part, the box carries
 * `data-more="below"`, and the app's CSS (styles/app.css, `[data-more='below']`) draws a
 * "▾ more" tab pinned to the bottom right-hand corner; scrolled to the end, the mark goes.
 *
 * The box is measured in the frame after it is attached (measuring at once would lay the page
 * out in the middle of drawing it: on a fresh load, the first layout of the whole page, 50–60 ms
 * here, in the task that draws the first board), then again when it or its content changes
 * size, when nodes inside it change, and when it scrolls; "below" means more than 2 CSS pixels
 * (rounding of fractional layouts).
 */
export function overflowCue(box: HTMLElement): () => void {
  let frame = 0;
  const measure = (): void => {
    frame = 0;
    const below = box.scrollHeight - box.scrollTop - box.clientHeight > 2;
    if (below) box.dataset.more = 'below';
    else delete box.dataset.more;
  };
  const soon = (): void => {
    if (frame === 0) frame = requestAnimationFrame(measure);
  };
  const sizes = new ResizeObserver(soon);
  sizes.observe(box);
  const watchChildren = (): void => {
    for (const child of box.children) sizes.observe(child);
  };
  watchChildren();
  const nodes = new MutationObserver(() => {
    watchChildren();
    soon();
  });
  nodes.observe(box, { childList: true, subtree: true, characterData: true });
  box.addEventListener('scroll', soon, { passive: true });
  soon();
  return () => {
    if (frame !== 0) cancelAnimationFrame(frame);
    sizes.disconnect();
    nodes.disconnect();
    box.removeEventListener('scroll', soon);
    delete box.dataset.more;
  };
}
