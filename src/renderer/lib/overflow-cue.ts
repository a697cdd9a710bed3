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
 *
 * The tab looks like a button, and acts as one (a newcomer clicked it and nothing happened): a
 * click on it scrolls the box on by most of its height. Being the box's `::after`, a click on
 * it is the box's own, told from one on the box's empty space by where it lands.
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
  const onTab = (event: MouseEvent): void => {
    if (event.target !== box || box.dataset.more !== 'below') return;
    const rect = box.getBoundingClientRect();
    // The tab: 1.4em of a 0.75rem font high, "▾ more" and its padding wide (styles/app.css).
    const em = 0.75 * parseFloat(getComputedStyle(document.documentElement).fontSize);
    if (event.clientY < rect.bottom - 1.6 * em || event.clientX < rect.right - 7 * em) return;
    const still = matchMedia('(prefers-reduced-motion: reduce)').matches;
    box.scrollBy({ top: Math.max(box.clientHeight * 0.8, 1), behavior: still ? 'instant' : 'smooth' });
  };
  box.addEventListener('click', onTab);
  soon();
  return () => {
    if (frame !== 0) cancelAnimationFrame(frame);
    sizes.disconnect();
    nodes.disconnect();
    box.removeEventListener('scroll', soon);
    box.removeEventListener('click', onTab);
    delete box.dataset.more;
  };
}
