/**
 * The console's HTML (src/renderer/lib/console-html.ts): program text escaped, and a line of
 * megabytes shown as its first LINE_CHARS characters and a count of the rest; the same whole
 * line printed many times in a row by one write kept once, with its count.
 */
import { describe, expect, it } from 'vitest';
import { consoleHtml, LINE_CHARS } from '../src/renderer/lib/console-html';
import { type ConsoleLine, type ConsoleSegment, consoleLines } from '../src/renderer/lib/trace-view';
import type { Trace, TraceEvent } from '../src/shared/trace';

const options = { colour: () => 'red', who: () => 'printed by the program', outputs: 10 };

function line(segments: Omit<ConsoleSegment, 'step' | 'link'>[]): ConsoleLine {
  const segs = segments.map((s) => ({ ...s, step: s.ordinal, link: null }));
  return { key: 0, stream: 'stdout', task: null, segments: segs, first: segs[0]!.ordinal, opens: false, last: segs.at(-1)!.ordinal, text: null, repeat: 1 };
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

/** A trace of these writes to stdout, each by the program (no task). */
function printed(...texts: string[]): Trace {
  const events: TraceEvent[] = texts.map((text) => ({ kind: 'output', stream: 'stdout', text }));
  return {
    version: 1,
    filename: 'main.py',
    source: 'print()\n',
    tasks: [],
    callbacks: [],
    events,
    end: { status: 'ok', exitCode: 0, clock: 0, wallMs: 1, lineSteps: 0, maxSteps: 1_000_000 },
  };
}

describe('the same line printed many times in a row', () => {
  it('is one console line with its count: 2,000,000 newlines (they were 2,000,000 objects)', () => {
    const lines = consoleLines(printed('\n'.repeat(2_000_000)));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ text: '', repeat: 2_000_000 });
    expect(textOf(consoleHtml(lines, options))).toBe('× 2,000,000 (printed 2,000,000 times in a row)');
  });

  it('counts a line only on one made whole by the same write: a line begun before, a different line, or another write starts a new one', () => {
    const lines = consoleLines(printed('a\na\nb\nb\nb\na\n', 'a\na\n', 'par', 'tial\npartial\npartial\n'));
    expect(lines.map((l) => [l.segments.map((s) => s.text).join(''), l.repeat])).toEqual([
      ['a', 2],
      ['b', 3],
      ['a', 1],
      ['a', 2],
      ['partial', 1],
      ['partial', 2],
    ]);
  });
});
