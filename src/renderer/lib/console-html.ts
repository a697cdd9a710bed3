/**
 * The console's lines as HTML, built in one string: a jump to a far step replaces the whole
 * console at once (one innerHTML) instead of building dozens of components. Text is escaped;
 * traceback entries become buttons that carry their line number (the pane handles their
 * clicks); the text written at the current step is marked.
 */
import type { ConsoleLine, ConsoleSegment } from './trace-view';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export interface ConsoleHtmlOptions {
  /** The colour of a task's lines (CSS), by the line's task. */
  colour: (line: ConsoleLine) => string;
  /** Who wrote a line, for its tooltip. */
  who: (line: ConsoleLine) => string;
  /** The ordinal of the output written at this step, or -1. */
  current: number;
  /** Output events written so far: later segments are not shown yet. */
  outputs: number;
}

function segmentHtml(seg: ConsoleSegment, current: number): string {
  const now = seg.ordinal === current;
  const text = escapeHtml(seg.text);
  if (seg.link !== null) {
    const label = escapeHtml(`${seg.text.trim()} (show line ${seg.link} in the code)`);
    return `<button type="button" class="tb-link${now ? ' now' : ''}" data-line="${seg.link}" aria-label="${label}">${text}</button>`;
  }
  return now ? `<span class="seg now" aria-current="step">${text}</span>` : text;
}

export function consoleHtml(lines: readonly ConsoleLine[], options: ConsoleHtmlOptions): string {
  let html = '';
  for (const line of lines) {
    const segments = line.last < options.outputs ? line.segments : line.segments.filter((s) => s.ordinal < options.outputs);
    let body = line.opens ? '<span class="tag" aria-hidden="true">stderr</span>' : '';
    for (const seg of segments) body += segmentHtml(seg, options.current);
    html +=
      `<div class="line ${line.stream}" data-stream="${line.stream}" style="--c: ${escapeHtml(options.colour(line))}"` +
      ` title="${escapeHtml(options.who(line))}">${body}</div>`;
  }
  return html;
}
