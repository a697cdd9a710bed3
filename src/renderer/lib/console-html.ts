/**
 * The console's lines as HTML, built in one string: a jump to a far step replaces the whole
 * console at once (one innerHTML) instead of building dozens of components. Text is escaped;
 * traceback entries become buttons that carry their line number (the pane handles their
 * clicks); the segments of the newest output carry `data-latest`, so that marking "printed at
 * this step" is a class toggled on them, not a rebuild.
 */
import { visible } from '../../trace/describe';
import type { ConsoleLine, ConsoleSegment } from './trace-view';
import { thousands } from '../../shared/numbers';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe to put in HTML: markup escaped, direction controls made visible. */
export function escapeHtml(text: string): string {
  return visible(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/**
 * Characters of one line the console shows; the rest is counted ("… 1,890,000 more characters
 * on this line"). A line of a few MB (one print, a long traceback, a forged share link) took
 * the page 0.5–5 s to draw again at every step.
 */
export const LINE_CHARS = 10_000;

/**
 * Lines "Show all" draws at most: the newest this many; the ones before are counted. Drawn
 * whole, 2,000,000 printed lines made 290 million characters of HTML (9.3 s, a reviewer's).
 */
export const MOST_LINES_SHOWN = 2_000;

export interface ConsoleHtmlOptions {
  /** The colour of a task's lines (CSS), by the line's task. */
  colour: (line: ConsoleLine) => string;
  /** Who wrote a line, for its tooltip. */
  who: (line: ConsoleLine) => string;
  /** Output events written so far: later segments are not shown yet (the newest is `outputs - 1`). */
  outputs: number;
}

function segmentHtml(seg: ConsoleSegment, latest: number): string {
  const mark = seg.ordinal === latest ? ' data-latest' : '';
  const text = escapeHtml(seg.text);
  if (seg.link !== null) {
    const label = escapeHtml(`${seg.text.trim()} (show line ${seg.link} in the code)`);
    return `<button type="button" class="tb-link" data-line="${seg.link}" aria-label="${label}"${mark}>${text}</button>`;
  }
  return mark ? `<span class="seg"${mark}>${text}</span>` : text;
}

/** Marks the newest output's segments as printed at this step (or not): class `now`, aria-current. */
export function markPrintedNow(container: ParentNode, printedNow: boolean): void {
  for (const seg of container.querySelectorAll('[data-latest]')) {
    seg.classList.toggle('now', printedNow);
    if (printedNow) seg.setAttribute('aria-current', 'step');
    else seg.removeAttribute('aria-current');
  }
}

export function consoleHtml(lines: readonly ConsoleLine[], options: ConsoleHtmlOptions): string {
  let html = '';
  for (const line of lines) {
    const segments = line.last < options.outputs ? line.segments : line.segments.filter((s) => s.ordinal < options.outputs);
    let body = line.opens ? '<span class="tag" aria-hidden="true">stderr</span>' : '';
    let room = LINE_CHARS;
    let cut = 0;
    for (const seg of segments) {
      if (room <= 0) {
        cut += seg.text.length;
      } else if (seg.text.length > room) {
        body += segmentHtml({ ...seg, text: seg.text.slice(0, room) }, options.outputs - 1);
        cut += seg.text.length - room;
        room = 0;
      } else {
        body += segmentHtml(seg, options.outputs - 1);
        room -= seg.text.length;
      }
    }
    if (cut > 0) body += `<span class="cut">… ${thousands(cut)} more characters on this line</span>`;
    if (line.repeat > 1) body += `<span class="repeat">× ${thousands(line.repeat)}<span class="visually-hidden"> (printed ${thousands(line.repeat)} times in a row)</span></span>`;
    // The stream name is checked by the trace contract, and escaped here all the same.
    const stream = line.stream === 'stderr' ? 'stderr' : 'stdout';
    html +=
      `<div class="line ${stream}" data-stream="${stream}" style="--c: ${escapeHtml(options.colour(line))}"` +
      ` title="${escapeHtml(options.who(line))}">${body}</div>`;
  }
  return html;
}
