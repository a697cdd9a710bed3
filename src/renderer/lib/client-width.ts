/**
 * An element's `clientWidth` (CSS pixels), followed with a ResizeObserver, for an attachment:
 * `{@attach clientWidth((w) => (width = w))}`. Unlike `bind:clientWidth`, which reads the
 * width as the element is attached, the first value comes with the page's first layout:
 * reading it at once laid the whole page out in the middle of drawing the first board (the
 * timeline's width: 50–230 ms of a fresh load here, in the task that mounts the app).
 */
export function clientWidth(set: (width: number) => void): (element: HTMLElement) => () => void {
  return (element) => {
    // Inside the observer's callback the layout is current: the read costs nothing.
    const observer = new ResizeObserver(() => set(element.clientWidth));
    observer.observe(element);
    return () => observer.disconnect();
  };
}
