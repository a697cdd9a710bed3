/**
 * `loop-lab trace --format text`: the step rows as a table a person can read in a terminal.
 * Give it rows made with `eachStepRow(trace, atResolution, CELL_ENTRIES)`: times rounded to the
 * clock's resolution (0.3, not 0.30000000000000004), lists no longer than a cell shows.
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
 * three times cheaper than one count of 42 for every list. Make the rows with
 * `eachStepRow(trace, atResolution, CELL_ENTRIES)`.
 */
export const CELL_ENTRIES: ListHeads = {
  ready: MOST_WIDTH + 2,
  sleeping: Math.ceil((MOST_WIDTH + 2) / 3),
  done: Math.ceil((MOST_WIDTH + 2) / 2),
};

const COLUMNS = ['step', 'kind', 'task', 'line', 'clock', 'ready', 'sleeping', 'done', 'what'] as const;

/** A cell's text, its control characters shown as escapes: task names, exception messages and printed text are the program's. */
function cell(row: StepRow, column: (typeof COLUMNS)[number]): string {
  return plainText(cellText(row, column));
}

function cellText(row: StepRow, column: (typeof COLUMNS)[number]): string {
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
    case 'ready':
      return row.ready.join(' ') || '-';
    case 'sleeping':
      return (
        row.sleeping
          .map((s) => {
            const what = s.until === null ? s.on : `until ${s.until}`;
            return `${s.task}(${what}${s.deadline === undefined ? '' : `, timeout ${s.deadline}`})`;
          })
          .join(' ') || '-'
      );
    case 'done':
      return row.done.map((d) => `${d.task}${d.outcome === 'result' ? '✓' : d.outcome === 'exception' ? '✗' : '⊘'}`).join(' ') || '-';
    case 'what':
      return row.kind === 'output' ? JSON.stringify(row.output) : row.detail;
  }
}

/**
 * The table's lines, each ending in a newline: the header, then a line per row. `rows` is
 * called twice, to size the columns (at most 40 characters each) and then to write the lines,
 * so that no row need be kept: a long trace's table is bigger than memory would like.
 */
export function* tableLines(rows: () => Iterable<StepRow>): Generator<string> {
  const widths: number[] = COLUMNS.map((c) => c.length);
  for (const row of rows()) {
    COLUMNS.forEach((c, i) => {
      widths[i] = Math.min(MOST_WIDTH, Math.max(widths[i]!, cell(row, c).length));
    });
  }
  const fit = (text: string, width: number): string =>
    text.length > width ? text.slice(0, width - 1) + '…' : text.padEnd(width);
  const line = (values: readonly string[]): string =>
    values.map((v, i) => (i === values.length - 1 ? v : fit(v, widths[i]!))).join('  ').trimEnd() + '\n';
  yield line(COLUMNS);
  for (const row of rows()) yield line(COLUMNS.map((c) => cell(row, c)));
}
