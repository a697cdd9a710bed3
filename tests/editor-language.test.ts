/**
 * The code pane highlights Python up to HIGHLIGHT_MAX_CHARS and shows longer documents as
 * plain text (CodeMirror's background parse of a 1 MB file gave 100–136 ms frames).
 */
import { language } from '@codemirror/language';
import { EditorState } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { HIGHLIGHT_MAX_CHARS, sizedPython } from '../src/renderer/lib/editor-language';

const line = `# ${'x'.repeat(97)}\n`; // 100 characters
const long = line.repeat(HIGHLIGHT_MAX_CHARS / 100 + 1);

function stateWith(doc: string): EditorState {
  return EditorState.create({ doc, extensions: sizedPython(doc.length) });
}

const languageName = (state: EditorState): string | null => state.facet(language)?.name ?? null;

describe('sizedPython', () => {
  it('a wrong start (a length counted before CRLF became LF) corrects itself at the next change', () => {
    let state = EditorState.create({ doc: 'print("short")\n', extensions: sizedPython(HIGHLIGHT_MAX_CHARS + 1) });
    expect(languageName(state)).toBeNull();
    state = state.update({ changes: { from: 0, insert: 'x = 1\n' } }).state;
    expect(languageName(state)).toBe('python');
  });

  it('highlights a program of ordinary size as Python', () => {
    expect(languageName(stateWith('print("hello")\n'))).toBe('python');
    expect(languageName(stateWith('x'.repeat(HIGHLIGHT_MAX_CHARS)))).toBe('python');
  });

  it('shows a document past the limit as plain text from the start', () => {
    expect(languageName(stateWith(long))).toBeNull();
  });

  it('switches as a change crosses the limit, either way, and only then', () => {
    let state = stateWith('print("hello")\n');
    state = state.update({ changes: { from: 0, insert: 'x = 1\n' } }).state;
    expect(languageName(state)).toBe('python');
    state = state.update({ changes: { from: 0, to: state.doc.length, insert: long } }).state;
    expect(languageName(state)).toBeNull();
    state = state.update({ changes: { from: 0, insert: '# more\n' } }).state;
    expect(languageName(state)).toBeNull();
    state = state.update({ changes: { from: 0, to: state.doc.length, insert: 'print("short again")\n' } }).state;
    expect(languageName(state)).toBe('python');
  });
});
