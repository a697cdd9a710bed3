/**
 * `loop-lab trace --format text`: the step rows as a table a person can read in a terminal.
 * Give it rows made with `eachStepRow(trace, atResolution, most)`: times rounded to the clock's
 * resolution (0.3, not 0.30000000000000004), lists no longer than a cell shows (tableLines).
 */
import type { ListHeads, StepRow } from '../trace/jsonl';
import { plainText } from './plain-text';

/** The widest a column is drawn, in characters (a longer cell is cut, with an ellipsis). */
const MOST_WIDTH = 40;

/**
 * The entries of each list (ready, sleeping, done) a row needs for its cell: enough that, when
 * the list has more, their text alone passes `MOST_WIDTH`, so the cell is cut as the whole
 * list's would be. Counted from the fewest characters an entry can take (a task may be named
 * ''): a ready entry 0 and a space (42), a waiting one `name(what)` at least 2 and a space (14),
 * a done one its mark and a space (21). Fewer waiting entries made the table of 50,000 sleepers
 * three times cheaper than one count of 42 for every list. tableLines asks for rows with these.
 */
export const CELL_ENTRIES: ListHeads = {
  ready: MOST_WIDTH + 2,
  sleeping: Math.ceil((MOST_WIDTH + 2) / 3),
  done: Math.ceil((MOST_WIDTH + 2) / 2),
};

const COLUMNS = ['step', 'kind', 'task', 'line', 'clock', 'ready', 'sleeping', 'done', 'what'] as const;

/** The columns that list a board's entries, each as many as `ListHeads` says. */
const LISTS = ['ready', 'sleeping', 'done'] as const satisfies readonly (keyof ListHeads & (typeof COLUMNS)[number])[];

/**
 * A cell's text, its control characters shown as escapes: task names, exception messages and
 * printed text are the program's. A list's cell stops once it is longer than `most`
 * characters: a cell that long is cut to fewer, so the rest would never be shown (a row of
 * 50,000 sleepers lists 14, ~300 characters, where a cell shows 40).
 */
function cell(row: StepRow, column: (typeof COLUMNS)[number], most: number): string {
  switch (column) {
    case 'ready':
      return listCell(row.ready, most);
    case 'sleeping':
      return listCell(
        row.sleeping.map((s) => {
          const what = s.until === null ? s.on : `until ${s.until}`;
          return `${s.task}(${what}${s.deadline === undefined ? '' : `, timeout ${s.deadline}`})`;
        }),
        most,
      );
    case 'done':
      return listCell(
        row.done.map((d) => `${d.task}${d.outcome === 'result' ? '✓' : d.outcome === 'exception' ? '✗' : '⊘'}`),
        most,
      );
    default:
      return plainText(cellText(row, column));
  }
}

/**
 * `entries` joined by spaces, each shown as plain text ('-' if that is empty), as far as the
 * first `most` characters and one more: the same first `most` characters as the whole list's,
 * and longer than `most` exactly when it is.
 */
function listCell(entries: readonly string[], most: number): string {
  let text = '';
  for (let i = 0; i < entries.length; i++) {
    text = i === 0 ? plainText(entries[i]!) : `${text} ${plainText(entries[i]!)}`;
    if (text.length > most) return text;
  }
  return text || '-';
}

function cellText(row: StepRow, column: Exclude<(typeof COLUMNS)[number], 'ready' | 'sleeping' | 'done'>): string {
  switch (column) {
    case 'step':
      return String(row.step);
    case 'kind':
      return row.kind;
    case 'task':
      return row.task ?? '-';
    case 'line':
      return row.line === null ? '-' : String(row.line);
    case 'clock':
      return String(row.clock);
    case 'what':
      return row.kind === 'output' ? JSON.stringify(row.output) : row.detail;
  }
}

/**
 * The table's lines, each ending in a newline: the header, then a line per row. `rows` is
 * called twice, to size the columns (at most 40 characters each) and then to write the lines,
 * so that no row need be kept: a long trace's table is bigger than memory would like. Give it
 * `(most) => eachStepRow(trace, atResolution, most)`: `most` says how many entries of each list
 * a row needs (CELL_ENTRIES), and is lowered to 0 for a list while the columns are sized once
 * its column is as wide as it is drawn (eachStepRow reads it at each row).
 */
export function* tableLines(rows: (most: ListHeads) => Iterable<StepRow>): Generator<string> {
  const widths: number[] = COLUMNS.map((c) => c.length);
  // The last column is written as it is, never padded or cut: it is not sized. Nor is a column
  // once it is as wide as a column is drawn, and its list is then not made for the rest of the
  // sizing (a trace of 50,000 sleepers: its table in half the time).
  const last = COLUMNS.length - 1;
  const sizing: ListHeads = { ...CELL_ENTRIES };
  for (const row of rows(sizing)) {
    for (let i = 0; i < last; i++) {
      if (widths[i]! < MOST_WIDTH) widths[i] = Math.min(MOST_WIDTH, Math.max(widths[i]!, cell(row, COLUMNS[i]!, MOST_WIDTH).length));
    }
    for (const list of LISTS) if (widths[COLUMNS.indexOf(list)]! >= MOST_WIDTH) sizing[list] = 0;
  }
  const fit = (text: string, width: number): string =>
    text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (i === values.length - 1 ? v : fit(v, widths[i]!))).join('  ').trimEnd() + '\n';
  yield line(COLUMNS);
  for (const row of rows({ ...CELL_ENTRIES })) yield line(COLUMNS.map((c, i) => cell(row, c, i === last ? Infinity : widths[i]!)));
}
