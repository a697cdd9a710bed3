/**
 * The code pane's Python highlighting, left out for a document too long to parse smoothly.
 *
 * CodeMirror parses in the background, in slices of up to 100 ms where Chromium has
 * `navigator.scheduling.isInputPending` (@codemirror/language's Work.Slice; it stops early for
 * input, not for frames), up to 100,000 characters past what is on screen. A 1 MB source file
 * gave a frame of 100–136 ms at every slice, measured here with the bench's bad programs. A
 * lesson's program is a few kB; past HIGHLIGHT_MAX_CHARS the code is shown as plain text.
 */
import { python } from '@codemirror/lang-python';
import { Compartment, EditorState, type Extension } from '@codemirror/state';

/** The longest document (in UTF-16 code units, CodeMirror's length) that is highlighted. */
export const HIGHLIGHT_MAX_CHARS = 100_000;

const language = new Compartment();
/** What the compartment holds while the document is too long: nothing. */
const PLAIN: Extension = [];

function languageFor(length: number): Extension {
  return length <= HIGHLIGHT_MAX_CHARS ? python() : PLAIN;
}

/**
 * Python for a document of `initialLength` characters (CodeMirror's: a CRLF line break counts
 * one); a change after which the document's length and the highlighting disagree switches the
 * highlighting off or back on, in the same transaction. It compares with what the compartment
 * holds, not with the length before, so a wrong start corrects itself at the next change.
 */
export function sizedPython(initialLength: number): Extension {
  return [
    language.of(languageFor(initialLength)),
    EditorState.transactionExtender.of((tr) => {
      if (!tr.docChanged) return null;
      const highlighted = language.get(tr.startState) !== PLAIN;
      const wanted = tr.newDoc.length <= HIGHLIGHT_MAX_CHARS;
      return highlighted === wanted ? null : { effects: language.reconfigure(languageFor(tr.newDoc.length)) };
    }),
  ];
}
