/**
 * The lesson text a pack brings (tour.md headings and settings, lesson.md's frontmatter, a
 * checkpoint's answer) is read by hand in one pass where regular expressions took time as the
 * square or the cube of a line's length (a reviewer's: a tour.md heading line of 4,000 spaces
 * took 60 s). Each reader must say what the expression it replaced said: checked here against
 * it on hand-picked lines and on generated ones, and on lines of a million characters without
 * a timer (a hang fails at the test's limit).
 */
import { describe, expect, it } from 'vitest';
import { settingLine, stopHeading } from '../src/lessons/loader';
import { gradeAnswer, type PreparedCheckpoint } from '../src/lessons/checkpoints';
import { seeded } from './seeded-random';

const OLD_HEADING = /^##\s+(.*?)\s*#*\s*$/;
const OLD_SETTING = /^([A-Za-z][\w-]*)\s*:\s*(.*)$/;

function oldHeading(line: string): string | null {
  const m = OLD_HEADING.exec(line);
  return m && !line.startsWith('###') ? m[1]! : null;
}

function oldSetting(text: string): { key: string; value: string } | null {
  const m = OLD_SETTING.exec(text);
  return m ? { key: m[1]!, value: m[2]! } : null;
}

const HEADINGS = ['## Title', '##  Title  ', '## Title ##', '## C#', '## # #', '##', '##\t', '## ', '###', '### Three', '##Title', '## a  b ##  ', '## a\r', '## ###', '#', '', ' ## x', '##\u00a0x', '## x\u2028'];
const SETTINGS = ['at: 3', 'at:3', 'at :  3 ', 'at', ': 3', '3at: x', 'a-b_c: d', 'at: a\rb', 'at:\n x', 'at: \u2028', 'at: x: y', 'é: x', 'at:', 'at: \r', 'a\r: x'];

describe('lesson text read in one pass', () => {
  it('a stop heading reads as the expression did', () => {
    for (const line of HEADINGS) expect(stopHeading(line), JSON.stringify(line)).toBe(oldHeading(line));
  });

  it('a setting line reads as the expression did', () => {
    for (const text of SETTINGS) expect(settingLine(text), JSON.stringify(text)).toEqual(oldSetting(text));
  });

  it('and so do 20,000 lines made of the characters that matter', () => {
    const random = seeded(20_261_206);
    const pieces = ['#', '##', ' ', '\t', '\r', '\n', ':', 'a', 'Z', '-', '_', '3', '\u00a0', '\u2028', 'é'];
    for (let i = 0; i < 20_000; i++) {
      let line = i % 2 === 0 ? '## ' : 'a';
      const length = Math.floor(random() * 12);
      for (let j = 0; j < length; j++) line += pieces[Math.floor(random() * pieces.length)]!;
      expect(stopHeading(line), JSON.stringify(line)).toBe(oldHeading(line));
      expect(settingLine(line), JSON.stringify(line)).toEqual(oldSetting(line));
    }
  });

  it('lines of a million characters are read, not backtracked over', () => {
    const spaces = ' '.repeat(1_000_000);
    expect(stopHeading(`## a${spaces}b`)).toBe(`a${spaces}b`);
    expect(stopHeading(`## a${spaces}#`)).toBe('a');
    expect(settingLine(`at:${spaces}\rx`)).toEqual({ key: 'at', value: 'x' });
    expect(settingLine(`at:${spaces}x\ry`)).toBeNull();
    expect(settingLine(`at${spaces}`)).toBeNull();
    expect(settingLine(`at:${spaces}x`)).toEqual({ key: 'at', value: 'x' });
  });

  it('a wake-time answer drops its unit of seconds as the expression did', () => {
    const checkpoint: PreparedCheckpoint = { kind: 'wake-time', question: '', choices: ['2'], answer: '2', explanation: '', revealStep: null, accepted: [], why: {}, hint: {} };
    for (const [given, right] of [['2', true], ['2 s', true], ['2s', true], ['2 seconds', true], ['2 Second', true], ['2.0 S', true], ['2 sec', false], ['2 ss', false], ['3 s', false], ['s', false]] as const) {
      expect(gradeAnswer(checkpoint, given), given).toBe(right);
    }
    expect(gradeAnswer(checkpoint, `${' '.repeat(1_000_000)}x`)).toBe(false);
  });
});
