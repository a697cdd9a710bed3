/**
 * The code pane's CodeMirror setup: Python, editable, and the player's line marks — the
 * running line, each waiting task's line in that task's colour with its name in a gutter
 * beside it (never colour alone; a gutter, so the code itself never shifts), and a flash on a
 * line a traceback link points at.
 */
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { bracketMatching, indentOnInput, indentUnit, syntaxHighlighting } from '@codemirror/language';
import { Annotation, EditorState, type Extension, type Range, RangeSet, StateEffect, StateField, type Text } from '@codemirror/state';
import {
  Decoration,
  type DecorationSet,
  drawSelection,
  EditorView,
  gutter,
  GutterMarker,
  highlightSpecialChars,
  keymap,
  lineNumbers,
  ViewPlugin,
  type ViewUpdate,
} from '@codemirror/view';
// @lezer/highlight comes with @codemirror/language; its class highlighter lets the app's CSS
// (and so both themes) colour the syntax.
import { classHighlighter } from '@lezer/highlight';
import type { CodeMarks, LineMark } from './board-view';
import { sizedPython } from './editor-language';
import { MOST_NAMES } from '../../trace/describe';

export const setMarks = StateEffect.define<CodeMarks>();
/**
 * Marks a change the app made (a new program put in the pane), not the learner: it is not an
 * edit, so it is not reported (a shared link's program must not pass for the learner's draft).
 */
export const programText = Annotation.define<boolean>();
export const flashLine = StateEffect.define<number | null>();

/**
 * Chips named in full on one line; the rest are counted ("+2", their names in its tooltip).
 * One: the gutter holds one name readably ("▶ Task-10 +2"), where two shared it as "T… T…".
 */
const CHIPS_PER_LINE = 1;

/** The names of the tasks on one line, in their colours, in the gutter left of the code. */
class TaskChips extends GutterMarker {
  /**
   * `marks`: the line's marks, the running one first; `more`: how many more waiting tasks
   * `codeMarks` counted on the line without making their marks (CodeMarks.more).
   */
  constructor(
    readonly marks: readonly { mark: LineMark; running: boolean }[],
    readonly more = 0,
  ) {
    super();
  }

  override eq(other: GutterMarker): boolean {
    return (
      other instanceof TaskChips &&
      other.marks.length === this.marks.length &&
      other.more === this.more &&
      other.marks.every(
        (m, i) =>
          m.mark.label === this.marks[i]!.mark.label &&
          m.mark.colour === this.marks[i]!.mark.colour &&
          m.running === this.marks[i]!.running &&
          m.mark.outer === this.marks[i]!.mark.outer,
      )
    );
  }

  override toDOM(): Node {
    const box = document.createElement('span');
    box.className = 'cm-task-chips';
    // Many tasks can wait on one line (200 workers on one `await`): name the first few.
    const shown = this.marks.slice(0, CHIPS_PER_LINE);
    for (const { mark, running } of shown) {
      const chip = document.createElement('span');
      chip.className = running ? 'cm-task-chip cm-task-chip-running' : mark.outer ? 'cm-task-chip cm-task-chip-outer' : 'cm-task-chip';
      chip.style.setProperty('--c', mark.colour);
      chip.textContent = mark.label;
      chip.title = mark.title;
      box.append(chip);
    }
    const others = this.marks.length - shown.length + this.more;
    if (others > 0) {
      const more = document.createElement('span');
      more.className = 'cm-task-chip cm-task-chip-more';
      more.textContent = `+${others}`;
      // At most MOST_NAMES of the others, then how many more: 24,000 tasks' titles made one
      // tooltip of 99 million characters (a reviewer's, helper-137).
      const named = this.marks.slice(shown.length, shown.length + MOST_NAMES);
      more.title = named.map((m) => m.mark.title).join('\n') + (others > named.length ? `\nand ${others - named.length} more` : '');
      box.append(more);
    }
    return box;
  }
}

interface Marked {
  lines: DecorationSet;
  chips: RangeSet<GutterMarker>;
}

function buildMarks(doc: Text, marks: CodeMarks): Marked {
  const lines: Range<Decoration>[] = [];
  const byLine = new Map<number, { mark: LineMark; running: boolean }[]>();
  const add = (mark: LineMark, running: boolean): void => {
    if (mark.line < 1 || mark.line > doc.lines) return;
    const list = byLine.get(mark.line) ?? [];
    if (list.length === 0) {
      lines.push(
        Decoration.line({
          class: running ? 'cm-run-line' : mark.outer ? 'cm-await-line' : 'cm-wait-line',
          attributes: { style: `--c: ${mark.colour}` },
        }).range(doc.line(mark.line).from),
      );
    }
    list.push({ mark, running });
    byLine.set(mark.line, list);
  };
  if (marks.running) add(marks.running, true);
  for (const mark of marks.waiting) add(mark, false);
  const chips = [...byLine.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([line, list]) => new TaskChips(list, marks.more.get(line) ?? 0).range(doc.line(line).from));
  return { lines: Decoration.set(lines, true), chips: RangeSet.of(chips) };
}

const marksField = StateField.define<Marked>({
  create: () => ({ lines: Decoration.none, chips: RangeSet.empty }),
  update(marks, tr) {
    let next = tr.docChanged ? { lines: marks.lines.map(tr.changes), chips: marks.chips.map(tr.changes) } : marks;
    for (const effect of tr.effects) {
      if (effect.is(setMarks)) next = buildMarks(tr.state.doc, effect.value);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field, (m) => m.lines),
});

/**
 * Where a wrapped line's later rows start, in columns (`ch`): under its indentation (a tab as
 * four), plus two, so a long Python line that wraps still reads as part of its block.
 */
export function hangColumns(lineText: string): number {
  return /^[ \t]*/.exec(lineText)![0].replace(/\t/g, '    ').length + 2;
}

/** Wrapped lines hang under their own indentation (hangColumns; app.css `.cm-hang`). */
const hangingIndent = ViewPlugin.fromClass(
  class {
    decorations: DecorationSet;
    constructor(view: EditorView) {
      this.decorations = this.build(view);
    }
    update(update: ViewUpdate): void {
      if (update.docChanged || update.viewportChanged) this.decorations = this.build(update.view);
    }
    build(view: EditorView): DecorationSet {
      const ranges: Range<Decoration>[] = [];
      const seen = new Set<number>();
      for (const { from, to } of view.visibleRanges) {
        for (let pos = from; pos <= to; ) {
          const line = view.state.doc.lineAt(pos);
          if (!seen.has(line.number)) {
            seen.add(line.number);
            ranges.push(Decoration.line({ attributes: { style: `--hang: ${hangColumns(line.text)}ch` }, class: 'cm-hang' }).range(line.from));
          }
          pos = line.to + 1;
        }
      }
      return Decoration.set(ranges);
    }
  },
  { decorations: (plugin) => plugin.decorations },
);

const chipSpacer = new TaskChips([]);

const taskGutter = gutter({
  class: 'cm-task-gutter',
  markers: (view) => view.state.field(marksField).chips,
  initialSpacer: () => chipSpacer,
});

const flashField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    let next = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (effect.is(flashLine)) {
        const n = effect.value;
        next =
          n === null || n < 1 || n > tr.state.doc.lines
            ? Decoration.none
            : Decoration.set([Decoration.line({ class: 'cm-flash-line' }).range(tr.state.doc.line(n).from)]);
      }
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '1rem', backgroundColor: 'var(--code-bg)', color: 'var(--fg)' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--fg)', padding: '0.4rem 0' },
  '&.cm-focused': { outline: '3px solid var(--focus)', outlineOffset: '-3px' },
  '.cm-gutters': { backgroundColor: 'var(--code-gutter)', color: 'var(--muted)', border: 'none' },
  '.cm-cursor': { borderLeftColor: 'var(--fg)', borderLeftWidth: '2px' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': { backgroundColor: 'var(--selection) !important' },
});

export interface EditorOptions {
  /** The learner changed the text (not called for the app's own `programText` changes). */
  onChange: (doc: string) => void;
  /** Read-only: no edits, no caret (the standalone player). */
  readOnly?: boolean;
  /** Ctrl/Cmd+Enter in the editor. */
  onRun: () => void;
  /** The length of the document the editor starts with (long ones are not highlighted: editor-language.ts). */
  initialLength: number;
}

export function editorExtensions(options: EditorOptions): Extension[] {
  return [
    taskGutter,
    lineNumbers(),
    highlightSpecialChars(),
    history(),
    drawSelection(),
    indentOnInput(),
    bracketMatching(),
    indentUnit.of('    '),
    sizedPython(options.initialLength),
    syntaxHighlighting(classHighlighter),
    keymap.of([
      { key: 'Mod-Enter', run: () => (options.onRun(), true) },
      ...defaultKeymap,
      ...historyKeymap,
      indentWithTab,
    ]),
    marksField,
    flashField,
    theme,
    EditorView.lineWrapping,
    hangingIndent,
    EditorView.contentAttributes.of({ 'aria-label': options.readOnly ? 'Python code' : 'Python code (editable)' }),
    ...(options.readOnly ? [EditorState.readOnly.of(true), EditorView.editable.of(false)] : []),
    EditorView.updateListener.of((update) => {
      if (update.docChanged && !update.transactions.some((tr) => tr.annotation(programText))) options.onChange(update.state.doc.toString());
    }),
  ];
}
