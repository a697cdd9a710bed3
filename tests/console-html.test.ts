/**
 * The console's HTML (src/renderer/lib/console-html.ts): program text escaped, and a line of
 * megabytes shown as its first LINE_CHARS characters and a count of the rest.
 */
import { describe, expect, it } from 'vitest';
import { consoleHtml, LINE_CHARS } from '../src/renderer/lib/console-html';
import type { ConsoleLine, ConsoleSegment } from '../src/renderer/lib/trace-view';

const options = { colour: () => 'red', who: () => 'printed by the program', outputs: 10 };

function line(segments: Omit<ConsoleSegment, 'step' | 'link'>[]): ConsoleLine {
  const segs = segments.map((s) => ({ ...s, step: s.ordinal, link: null }));
  return { key: 0, stream: 'stdout', task: null, segments: segs, first: segs[0]!.ordinal, opens: false, last: segs.at(-1)!.ordinal, text: null };
}

const textOf = (html: string): string => html.replace(/<[^>]*>/g, '');

describe('the console', () => {
  it('escapes what a program printed', () => {
    expect(consoleHtml([line([{ ordinal: 0, text: '<b>"hi"</b>' }])], options)).toContain('&lt;b&gt;&quot;hi&quot;&lt;/b&gt;');
  });

  it('shows a line of 2 MB as its first characters and counts the rest, across segments', () => {
    const html = consoleHtml([line([{ ordinal: 0, text: 'a'.repeat(6_000) }, { ordinal: 1, text: 'b'.repeat(2_000_000) }, { ordinal: 2, text: 'c'.repeat(500) }])], options);
    expect(html.length).toBeLessThan(LINE_CHARS + 1_000);
    expect(textOf(html)).toBe(`${'a'.repeat(6_000)}${'b'.repeat(LINE_CHARS - 6_000)}… ${(2_000_000 - (LINE_CHARS - 6_000) + 500).toLocaleString('en')} more characters on this line`);
  });

  it('shows a line that fits whole, with no count', () => {
    const html = consoleHtml([line([{ ordinal: 0, text: 'x'.repeat(LINE_CHARS) }])], options);
    expect(textOf(html)).toBe('x'.repeat(LINE_CHARS));
  });
});
